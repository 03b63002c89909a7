"""API latency on a large record: p95 of ``/api/events`` pages, ``/api/stats`` and
``/api/events/grid``, on SQLite or PostgreSQL/PostGIS.

    python bench/api_latency.py [--events 1000000] [--backend sqlite|postgresql]
                                [--requests 40] [--page 500] [--cache /tmp/apibench]
                                [--kinds country_month,world,mixed] [--db PATH] [--mentions]

Builds a database of ``--events`` synthetic fused events (one document and one mention each,
spread over 40 countries and two years) with the store's own row builders, once: SQLite in
``<cache>/<events>.sqlite``, PostgreSQL in a cluster of its own under ``<cache>/pg-<events>``
(initdb as the ``postgres`` user when run as root, loaded with COPY, then VACUUM ANALYZE); later
runs reuse them. Then times requests through the real ASGI app (TestClient, in process, so no
network stack is measured), per request kind:

- ``country_month``: one country and one calendar month (a different one each request);
- ``world``: no filter at all, the dashboard's first view (the grid at zoom 2, the whole world);
- ``mixed``: the earlier bench's realistic filters (a country, a category, a 60-day window, a
  bounding box, minimum sources, a country from a day on).

Prints one JSON object with p50/p95/max in milliseconds per kind and endpoint, and the
machine's one-minute load average before and after (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert

from tocsin.api import create_app
from tocsin.document_id import document_id
from tocsin.records import (
    Actor,
    Counts,
    DateSpan,
    Document,
    DocumentResult,
    Event,
    EventMention,
    Evidence,
    MentionRef,
    Place,
    Sentence,
)
from tocsin.store import open_database
from tocsin.store.event_rows import event_row, events, links
from tocsin.store.rows import result_rows

COUNTRIES = [
    "AFG", "BFA", "CAF", "CMR", "COD", "COL", "ETH", "HTI", "IND", "IRQ", "ISR", "KEN", "LBN",
    "LBY", "MLI", "MMR", "MOZ", "NER", "NGA", "PAK", "PHL", "PSE", "SDN", "SOM", "SSD", "SYR",
    "TCD", "TUR", "UKR", "VEN", "YEM", "MEX", "BRA", "EGY", "IRN", "BGD", "LKA", "NPL", "ZWE",
    "UGA",
]
TYPES = ["ASSAULT", "PROTEST", "DISPLACEMENT", "COERCE", "AID", "ACCUSE", "THREATEN", "CONSULT"]
START = dt.date(2023, 1, 1)


def synthetic(i: int, rng: random.Random) -> tuple[DocumentResult, Event]:
    country = rng.choice(COUNTRIES)
    base_lat = (COUNTRIES.index(country) * 7) % 120 - 50
    base_lon = (COUNTRIES.index(country) * 37) % 340 - 170
    lat, lon = base_lat + rng.uniform(-3, 3), base_lon + rng.uniform(-3, 3)
    day = START + dt.timedelta(days=rng.randrange(730))
    kind = rng.choice(TYPES)
    sentence = f"Report {i}: a {kind.lower()} event near town {i % 997} in {country} on {day}."
    doc_id = document_id(sentence)
    place = Place(f"town {i % 997}", 0, 1, 0, name=f"Town {i % 997}", country=country,
                  admin1=f"{country}-{i % 13}", lat=lat, lon=lon, precision="town",
                  geonameid=1_000_000 + i % 5000)
    actor = Actor(rng.choice(["soldiers", "protesters", "militia", "police"]), country, "MIL")
    counts = Counts(killed=rng.choice([None, None, 1, 3, 12]))
    mention = EventMention(kind, Evidence(doc_id, sentence, 0, len(sentence)), actor1=actor,
                           location=place, date=DateSpan(day, day, "day"), counts=counts)
    document = Document(doc_id, sentence, f"bench://{i}", "text", published=day,
                        source=f"outlet{i % 50}", language="en")
    result = DocumentResult(document, [Sentence(0, 0, len(sentence), sentence)], [], [place],
                            [mention])
    event = Event(
        id=f"ev-bench-{i:07d}", event=kind, actor1=actor, location=place,
        date=DateSpan(day, day, "day"), counts=counts, sources=rng.choice([1, 1, 1, 2, 3]),
        mentions=[MentionRef(f"{doc_id}:0", doc_id, sentence, 0, len(sentence))],
    )
    return result, event


TABLE_ORDER = ("documents", "sentences", "places", "event_mentions", "events", "links")
BATCH = 5000


def batches(count: int, seed: int) -> Iterator[dict[str, list[dict]]]:
    """The rows of ``count`` synthetic events and their documents, by table, BATCH at a time."""
    rng = random.Random(seed)
    for first in range(0, count, BATCH):
        tables: dict[str, list[dict]] = {name: [] for name in TABLE_ORDER}
        for i in range(first, min(first + BATCH, count)):
            result, event = synthetic(i, rng)
            rows = result_rows(result)
            tables["documents"].extend(rows.documents)
            tables["sentences"].extend(rows.sentences)
            tables["places"].extend(rows.places)
            tables["event_mentions"].extend(rows.event_mentions)
            tables["events"].append(event_row(event))
            tables["links"].append({"event_id": event.id,
                                    "mention_id": event.mentions[0].mention})
        yield tables


def _table(name: str):  # type: ignore[no-untyped-def]
    from tocsin.store.database import documents, event_mentions, places, sentences

    return {"documents": documents, "sentences": sentences, "places": places,
            "event_mentions": event_mentions, "events": events, "links": links}[name]


def build(path: Path, count: int, seed: int) -> None:
    """An SQLite database of ``count`` synthetic events at ``path`` (written aside, then moved,
    so an interrupted build is not taken for a finished one)."""
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    database = open_database(str(partial))
    with database.engine.begin() as connection:
        for tables in batches(count, seed):
            for name in TABLE_ORDER:
                connection.execute(insert(_table(name)), tables[name])
    database.close()
    partial.rename(path)


def build_postgresql(url: str, count: int, seed: int) -> None:
    """Load ``count`` synthetic events into the (migrated, empty) database at ``url`` with COPY,
    then VACUUM ANALYZE (index-only scans need the visibility map)."""
    import psycopg

    database = open_database(url)
    database.close()
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain) as connection, connection.cursor() as cursor:
        for tables in batches(count, seed):
            for name in TABLE_ORDER:
                rows = tables[name]
                if not rows:
                    continue
                columns = list(rows[0])
                quoted = ", ".join(f'"{c}"' for c in columns)
                statement = f"COPY {_table(name).name} ({quoted}) FROM STDIN"
                with cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row([row[c] for c in columns])
        connection.commit()
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


SERVER_USER = "postgres"
DATABASE = "tocsin_bench"
# fsync off as in the tests; no JIT (compiling a grouped scan costs more than it saves here).
SERVER_OPTIONS = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                  " -c shared_buffers=512MB -c work_mem=32MB -c jit=off -c max_connections=40")


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise SystemExit("PostgreSQL is not installed (Debian: postgresql-15-postgis-3)")
    return found[-1].parent


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SERVER_USER, "--", *command]


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def postgres_cluster(folder: Path) -> Iterator[tuple[str, bool]]:
    """A PostgreSQL server (PostGIS) on a loopback port with its data in ``folder`` (created
    with initdb the first time, kept afterwards); yields (URL, whether the bench database was
    there already) and stops the server at the end."""
    import psycopg

    bin_dir = _pg_bin()
    data, log = folder / "data", folder / "server.log"
    fresh = not (data / "PG_VERSION").exists()
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(folder, user=SERVER_USER)
        subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U",
                                        SERVER_USER, "-A", "trust", "-E", "UTF8",
                                        "--no-locale", "--no-sync"]),
                       check=True, capture_output=True)
    port = free_port()
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 {SERVER_OPTIONS}"
    subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log),
                                    "-o", options, "-w", "-t", "120", "start"]),
                   check=True, capture_output=True)
    try:
        admin = f"postgresql://{SERVER_USER}@127.0.0.1:{port}/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            known = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
            if not known:
                connection.execute(f"CREATE DATABASE {DATABASE}")
        url = f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{port}/{DATABASE}"
        if not known:
            with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
                connection.execute("CREATE EXTENSION postgis")
        yield url, bool(known)
    finally:
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                        "-w", "stop"]), check=False, capture_output=True)


@contextmanager
def bench_database(
    backend: str, count: int, seed: int, cache: Path, path: Path | None = None
) -> Iterator[tuple[str, float]]:
    """The URL of a database of ``count`` synthetic events on ``backend`` (built into ``cache``,
    or SQLite at ``path``, the first time) and the seconds building it took (0 when it was
    there)."""
    cache.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if backend == "sqlite":
        path = path or cache / f"{count}.sqlite"
        if not path.exists():
            build(path, count, seed)
        yield f"sqlite:///{path}", time.perf_counter() - started
        return
    with postgres_cluster(cache / f"pg-{count}") as (url, known):
        if not known:
            build_postgresql(url, count, seed)
        yield url, time.perf_counter() - started if not known else 0.0


def month_of(rng: random.Random) -> tuple[str, str]:
    first = START.replace(month=1 + rng.randrange(12), year=START.year + rng.randrange(2))
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first.isoformat(), (following - dt.timedelta(days=1)).isoformat()


def filters_for(kind: str, rng: random.Random) -> dict[str, str]:
    """The filters of one request of ``kind`` (see the module's docstring)."""
    if kind == "world":
        return {}
    if kind == "country_month":
        since, until = month_of(rng)
        return {"country": rng.choice(COUNTRIES), "since": since, "until": until}
    day = START + dt.timedelta(days=rng.randrange(600))
    choices = [
        {"country": rng.choice(COUNTRIES)},
        {"type": rng.choice(TYPES)},
        {"since": day.isoformat(), "until": (day + dt.timedelta(days=60)).isoformat()},
        {"bbox": "20,-10,60,30"},
        {"min_sources": "2", "type": rng.choice(TYPES)},
        {"country": rng.choice(COUNTRIES), "since": day.isoformat()},
    ]
    return rng.choice(choices)


def requests_for(
    kind: str, rng: random.Random, page: int, mentions: bool = False
) -> list[tuple[str, dict[str, str]]]:
    params = filters_for(kind, rng)
    listing = {**params, "limit": str(page), **({"mentions": "true"} if mentions else {})}
    zoom = "2" if kind == "world" or "bbox" not in params else "4"
    return [("/api/events", listing), ("/api/stats", params),
            ("/api/events/grid", {**params, "zoom": zoom})]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--requests", type=int, default=40, help="Per kind and endpoint.")
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/apibench"),
                        help="Folder keeping the databases between runs.")
    parser.add_argument("--db", type=Path, default=None,
                        help="SQLite: keep the database in this file instead of --cache.")
    parser.add_argument("--kinds", default="country_month,world,mixed")
    parser.add_argument("--mentions", action="store_true",
                        help="Ask the event pages for every mention (mentions=true).")
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    with bench_database(args.backend, args.events, args.seed, args.cache, args.db) as (url,
                                                                                   built):
        report = measure(url, kinds, args)
    report["build_seconds"] = round(built, 1)
    print(json.dumps(report, indent=2))


def measure(url: str, kinds: list[str], args: argparse.Namespace) -> dict:
    app = create_app(url, process=lambda *_: None)  # type: ignore[arg-type]
    rng = random.Random(args.seed + 1)
    sizes: list[int] = []
    report: dict = {
        "events": args.events, "backend": args.backend, "requests_per_endpoint": args.requests,
        "page": args.page, "mentions": args.mentions,
    }
    load_before = os.getloadavg()[0]
    with TestClient(app) as client:
        for path_ in ("/api/events", "/api/stats", "/api/events/grid"):  # warm caches once
            client.get(path_)
        for kind in kinds:
            timings: dict[str, list[float]] = {}
            for _ in range(args.requests):
                for endpoint, params in requests_for(kind, rng, args.page, args.mentions):
                    t0 = time.perf_counter()
                    response = client.get(endpoint, params=params)
                    timings.setdefault(endpoint, []).append((time.perf_counter() - t0) * 1000)
                    response.raise_for_status()
                    if endpoint == "/api/events":
                        sizes.append(len(response.json()["events"]))
            report[kind] = {
                endpoint: {
                    "p50_ms": round(percentile(values, 0.5), 1),
                    "p95_ms": round(percentile(values, 0.95), 1),
                    "max_ms": round(max(values), 1),
                }
                for endpoint, values in timings.items()
            }
    report["mean_page_rows"] = round(statistics.mean(sizes), 1) if sizes else 0
    report["load_average_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return report


if __name__ == "__main__":
    main()
