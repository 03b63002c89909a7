"""API latency on a large record: p95 of filtered ``/api/events`` pages and of ``/api/stats``.

    python bench/api_latency.py [--events 100000] [--requests 60] [--page 500] [--db PATH]
                                [--mentions]

Builds an SQLite database of ``--events`` synthetic fused events (one document and one mention
each, spread over 40 countries and two years), with the store's own row builders, then times
requests through the real ASGI app (TestClient, in process, so no network stack is measured) with a
different realistic filter each time: a country, a category, a date window, a bounding box,
minimum sources. Prints one JSON object with p50/p95/max in milliseconds per endpoint, and the
machine's one-minute load average before and after (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import tempfile
import time
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


def build(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    database = open_database(str(path))
    batch = 5000
    with database.engine.begin() as connection:
        for first in range(0, count, batch):
            tables: dict[str, list[dict]] = {
                "documents": [], "sentences": [], "places": [], "event_mentions": [],
                "events": [], "links": [],
            }
            for i in range(first, min(first + batch, count)):
                result, event = synthetic(i, rng)
                rows = result_rows(result)
                tables["documents"].extend(rows.documents)
                tables["sentences"].extend(rows.sentences)
                tables["places"].extend(rows.places)
                tables["event_mentions"].extend(rows.event_mentions)
                tables["events"].append(event_row(event))
                tables["links"].append({"event_id": event.id,
                                        "mention_id": event.mentions[0].mention})
            from tocsin.store.database import documents, event_mentions, places, sentences

            for table, key in ((documents, "documents"), (sentences, "sentences"),
                               (places, "places"), (event_mentions, "event_mentions"),
                               (events, "events"), (links, "links")):
                connection.execute(insert(table), tables[key])
    database.close()


def requests_for(
    rng: random.Random, page: int, mentions: bool = False
) -> list[tuple[str, dict[str, str]]]:
    day = START + dt.timedelta(days=rng.randrange(600))
    choices = [
        {"country": rng.choice(COUNTRIES)},
        {"type": rng.choice(TYPES)},
        {"since": day.isoformat(), "until": (day + dt.timedelta(days=60)).isoformat()},
        {"bbox": "20,-10,60,30"},
        {"min_sources": "2", "type": rng.choice(TYPES)},
        {"country": rng.choice(COUNTRIES), "since": day.isoformat()},
    ]
    params = rng.choice(choices)
    listing = {**params, "limit": str(page), **({"mentions": "true"} if mentions else {})}
    return [("/api/events", listing), ("/api/stats", params)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, default=None, help="Keep the database here.")
    parser.add_argument("--mentions", action="store_true",
                        help="Ask the event pages for every mention (mentions=true).")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.db or Path(folder.name) / "bench.sqlite"
    started = time.perf_counter()
    if not path.exists():
        build(path, args.events, args.seed)
    built = time.perf_counter() - started
    app = create_app(f"sqlite:///{path}", process=lambda *_: None)  # type: ignore[arg-type]
    timings: dict[str, list[float]] = {"/api/events": [], "/api/stats": []}
    rng = random.Random(args.seed + 1)
    sizes: list[int] = []
    load_before = os.getloadavg()[0]
    with TestClient(app) as client:
        for path_ in ("/api/events", "/api/stats"):  # warm caches once
            client.get(path_)
        for _ in range(args.requests):
            for endpoint, params in requests_for(rng, args.page, args.mentions):
                t0 = time.perf_counter()
                response = client.get(endpoint, params=params)
                timings[endpoint].append((time.perf_counter() - t0) * 1000)
                response.raise_for_status()
                if endpoint == "/api/events":
                    sizes.append(len(response.json()["events"]))
    report = {
        "events": args.events, "requests_per_endpoint": args.requests, "page": args.page,
        "mentions": args.mentions,
        "build_seconds": round(built, 1), "mean_page_rows": round(statistics.mean(sizes), 1),
        "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    for endpoint, values in timings.items():
        report[endpoint] = {
            "p50_ms": round(percentile(values, 0.5), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "max_ms": round(max(values), 1),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
