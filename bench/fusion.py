"""Fusion speed (and pairwise quality) on synthetic mentions.

    python bench/fusion.py [--mentions 100000] [--reports 4] [--seed 7] [--oracle]
                           [--db URL [--late 1000] [--workers 2]]

Generates ``--mentions`` synthetic event mentions: real events spread over 40 countries and two
years, each reported ``--reports`` times on average by different outlets with jittered wording of
the facts (a coarser place, a date range or only the publication date, other figures), plus wire
copies that share a text fingerprint (values drawn from a shared pool, see ``_value_pool``).
Times ``tocsin.fusion.fuse`` alone (generation excluded) and prints one JSON object: sizes,
seconds (wall clock and CPU: the machine is shared), mentions per second, the memory the input
takes, the peak memory of the process up to the end of fusion (generation and fusion, not the
scoring after it), and pairwise precision/recall against the generator's truth.

With ``--oracle``, the generator's ceiling instead: the mentions of each true event are fused
apart (``fuse`` on that event's mentions alone), so no pair of two events is ever joined and
every pair the compatibility rules allow within an event is; its recall is the most any fusion
under these rules can reach on this input (its precision is 1 by construction).

With ``--db``, the mentions are bulk-loaded into that (empty) database instead and the store's
fusion is timed: ``fuse_pending`` over everything, a re-run with nothing pending, then ``--late``
more mentions arriving afterwards (incremental re-fusion of the components they touch). With
``--workers``, the same runs go through ``fuse_pending_parallel`` on a local Dask cluster.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import resource
import time

from tocsin.fusion import MentionInput, fuse, pairwise_scores
from tocsin.records import Actor, Counts, DateSpan, Event, EventMention, Evidence, Place

COUNTRIES = [
    "AFG", "BFA", "CAF", "CMR", "COD", "COL", "ETH", "HTI", "IND", "IRQ", "ISR", "KEN", "LBN",
    "LBY", "MEX", "MLI", "MMR", "MOZ", "NER", "NGA", "PAK", "PHL", "PSE", "RUS", "SDN", "SOM",
    "SSD", "SYR", "TCD", "TUR", "UKR", "YEM", "BGD", "BRA", "EGY", "IRN", "NPL", "TZA", "UGA",
    "VEN",
]  # fmt: skip
KINDS = [
    ("ASSAULT", "aerial", ["Explosions/Remote violence", "Air/drone strike"]),
    ("ASSAULT", "shelling", ["Explosions/Remote violence", "Shelling/artillery/missile attack"]),
    ("ASSAULT", "explosive", ["Explosions/Remote violence", "Remote explosive/landmine/IED"]),
    ("ASSAULT", "clash", ["Battles", "Armed clash"]),
    ("ASSAULT", "attack", ["Violence against civilians", "Attack"]),
    ("PROTEST", "demonstrate", ["Protests", "Peaceful protest"]),
    ("DISPLACEMENT", "flight", None),
    ("COERCE", "arrest", ["Strategic developments", "Arrests"]),
    ("AID", "humanitarian", None),
    ("ACCUSE", "disapprove", None),
]
SECTORS = ["MIL", "REB", "POL", "GOV", "MIL-NS"]
START = dt.date(2022, 1, 1)


_POOL_MASK = (1 << 20) - 1


def _value_pool(seed: int) -> list[int]:
    """2**20 random 32-bit MinHash values that every fingerprint draws from, so that a mention's
    64 values are shared int objects (64 distinct Python ints cost about 2.5 KB a mention: 2.5 GB
    of input at 1M mentions). Two unrelated fingerprints still agree on a value with probability
    2**-20 only. A generator of its own, so the mentions are the same as without the pool."""
    values = random.Random(seed + 1_000_003)
    return [values.getrandbits(32) for _ in range(_POOL_MASK + 1)]


def generate(count: int, reports: float, seed: int) -> tuple[list[MentionInput], dict[str, str]]:
    rng = random.Random(seed)
    pool = _value_pool(seed)
    centres = {c: (rng.uniform(-30, 50), rng.uniform(-80, 120)) for c in COUNTRIES}
    items: list[MentionInput] = []
    gold: dict[str, str] = {}
    event_number = 0
    while len(items) < count:
        event_number += 1
        country = rng.choice(COUNTRIES)
        clat, clon = centres[country]
        lat, lon = clat + rng.uniform(-3, 3), clon + rng.uniform(-3, 3)
        admin1 = f"{country}-A{int((lat - clat + 3) // 1.5)}{int((lon - clon + 3) // 1.5)}"
        day = START + dt.timedelta(days=rng.randrange(730))
        event, mode, acled = rng.choice(KINDS)
        actor1 = Actor("side one", country, rng.choice(SECTORS))
        actor2 = Actor("side two", country, "CVL")
        killed = rng.choice([None, rng.randrange(1, 60)])
        wire = [pool[rng.getrandbits(32) & _POOL_MASK] for _ in range(64)]
        n = max(1, int(rng.expovariate(1 / reports) + 0.5))
        for r in range(n):
            if len(items) >= count:
                break
            document = f"doc{event_number:07d}-{r}"
            roll = rng.random()
            if roll < 0.75:
                place = Place("town", 0, 4, 0, f"T{event_number}", None, country, admin1,
                              lat + rng.uniform(-0.02, 0.02), lon + rng.uniform(-0.02, 0.02),
                              "town")  # fmt: skip
            elif roll < 0.92:
                place = Place("province", 0, 8, 0, admin1, None, country, admin1,
                              clat, clon, "admin1")  # fmt: skip
            else:
                place = Place("country", 0, 7, 0, country, None, country, None, clat, clon,
                              "country")  # fmt: skip
            published = day + dt.timedelta(days=rng.randrange(0, 3))
            shape = rng.random()
            if shape < 0.7:
                date = DateSpan(day, day, "day")
            elif shape < 0.85:
                date = DateSpan(day - dt.timedelta(days=1), day + dt.timedelta(days=1), "range")
            else:
                date = DateSpan(published, published, "published")
            figure = None if killed is None else max(1, killed + rng.randrange(-3, 4))
            mention = EventMention(
                event=event,
                mode=mode if rng.random() < 0.9 else None,
                acled=acled,
                evidence=Evidence(document, "synthetic sentence", 0, 18),
                actor1=actor1 if rng.random() < 0.8 else None,
                actor2=actor2 if rng.random() < 0.6 else None,
                location=place,
                date=date,
                counts=Counts(killed=figure),
                confidence=round(rng.uniform(0.4, 0.9), 2),
            )
            copy = rng.random() < 0.2
            fingerprint = (
                tuple(wire)
                if copy
                else tuple(pool[rng.getrandbits(32) & _POOL_MASK] for _ in range(64))
            )
            mid = f"{document}:0"
            gold[mid] = f"e{event_number}"
            items.append(
                MentionInput(
                    id=mid,
                    mention=mention,
                    document_id=document,
                    text_fingerprint=fingerprint,
                    source=f"outlet{rng.randrange(300)}",
                    url=None,
                    published=published,
                )
            )
    rng.shuffle(items)
    return items, gold


def _load(database, items: list[MentionInput]) -> None:  # type: ignore[no-untyped-def]
    """Bulk-insert the mentions' documents, mentions and fingerprints (no pipeline)."""
    from sqlalchemy import insert

    from tocsin.records import Document, DocumentResult
    from tocsin.store.database import documents, event_mentions
    from tocsin.store.event_store import fingerprints, pack_minhash
    from tocsin.store.rows import result_rows

    doc_rows, mention_rows, print_rows = [], [], []
    for item in items:
        document = Document(item.document_id, f"synthetic {item.document_id}", item.document_id,
                            "text", published=item.published, source=item.source)  # fmt: skip
        table_rows = result_rows(DocumentResult(document, events=[item.mention]))
        doc_rows.extend(table_rows.documents)
        mention_rows.extend(table_rows.event_mentions)
        print_rows.append({"document_id": item.document_id,
                           "minhash": pack_minhash(item.text_fingerprint or ())})  # fmt: skip
    with database.engine.begin() as connection:
        for table, values in ((documents, doc_rows), (event_mentions, mention_rows),
                              (fingerprints, print_rows)):  # fmt: skip
            for i in range(0, len(values), 5000):
                connection.execute(insert(table), values[i : i + 5000])


def _resident_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return float("nan")


def bench_database(
    url: str, items: list[MentionInput], gold: dict[str, str], late: int, workers: int = 0
) -> None:
    from tocsin.incremental_fusion import fuse_pending
    from tocsin.queries import EventFilters, query_events
    from tocsin.store import open_database

    if workers:
        from distributed import Client, LocalCluster

        from tocsin.distributed.fusion_tasks import fuse_pending_parallel

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0")
        client = Client(cluster)

        def fuse_pending(database):  # type: ignore[no-redef,no-untyped-def]  # noqa: F811
            """The store's fusion, done by the cluster's workers."""
            return fuse_pending_parallel(database, client)

    database = open_database(url)
    first, rest = items[: len(items) - late], items[len(items) - late :]
    started = time.perf_counter()
    _load(database, first)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    full = fuse_pending(database)
    fuse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    fuse_pending(database)
    noop_seconds = time.perf_counter() - started
    _load(database, rest)
    started = time.perf_counter()
    incremental = fuse_pending(database)
    late_seconds = time.perf_counter() - started
    events = query_events(database, EventFilters(modality=None))
    database.close()
    if workers:
        client.close()
        cluster.close()
    scores = pairwise_scores(events, gold)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "database": url.split("://")[0] if "://" in url else "sqlite",
                "dask_workers": workers,
                "mentions": len(first),
                "load_seconds": round(load_seconds, 2),
                "fuse_seconds": round(fuse_seconds, 2),
                "events_written": full.events_written,
                "rerun_seconds": round(noop_seconds, 2),
                "late_mentions": len(rest),
                "late_seconds": round(late_seconds, 2),
                "late_refused_mentions": incremental.refused_mentions,
                "events": len(events),
                "peak_memory_mb": round(peak_mb),
                "pairwise_precision": round(scores["precision"], 4),
                "pairwise_recall": round(scores["recall"], 4),
            }
        )
    )


def event_hash(event: Event) -> str:
    """sha256 of one Event, every field included."""
    text = json.dumps(event.to_dict(), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def event_digest(hashes: list[str]) -> str:
    """A digest of a set of Events from their ``event_hash``es, whatever order they came in:
    two runs that print the same digest produced the same Events."""
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()


def ordered_digest(events: list[Event]) -> str:
    """sha256 of the Events in the order fusion returned them."""
    digest = hashlib.sha256()
    for event in events:
        digest.update(json.dumps(event.to_dict(), sort_keys=True, default=str).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def oracle(items: list[MentionInput], gold: dict[str, str]) -> list[Event]:
    """Each true event's mentions fused on their own: the ceiling of fusion under its rules."""
    by_event: dict[str, list[MentionInput]] = {}
    for item in items:
        by_event.setdefault(gold[item.id], []).append(item)
    return [event for group in by_event.values() for event in fuse(group)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=100_000)
    parser.add_argument("--reports", type=float, default=4.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", help="Time the store's fusion in this empty database.")
    parser.add_argument("--late", type=int, default=1000, help="With --db: mentions added late.")
    parser.add_argument(
        "--workers", type=int, default=0,
        help="With --db: fuse with fuse_pending_parallel on a LocalCluster of this many workers.",
    )  # fmt: skip
    parser.add_argument("--oracle", action="store_true",
                        help="Score the ceiling: each true event's mentions fused apart.")
    parser.add_argument("--digest", action="store_true",
                        help="Also print a digest of the Events (to check two versions agree).")
    args = parser.parse_args()
    if args.db:
        items, gold = generate(args.mentions + args.late, args.reports, args.seed)
        bench_database(args.db, items, gold, args.late, args.workers)
        return
    items, gold = generate(args.mentions, args.reports, args.seed)
    input_mb = _resident_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    events = oracle(items, gold) if args.oracle else fuse(items)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # up to fusion's end
    scores = pairwise_scores(events, gold)
    print(
        json.dumps(
            {
                "mentions": len(items),
                "oracle": args.oracle,
                "gold_events": len(set(gold.values())),
                "fused_events": len(events),
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu_seconds, 2),
                "mentions_per_second": round(len(items) / seconds),
                "input_memory_mb": round(input_mb),
                "peak_memory_mb": round(peak_mb),
                "pairwise_precision": round(scores["precision"], 4),
                "pairwise_recall": round(scores["recall"], 4),
                **(
                    {"event_digest": event_digest([event_hash(e) for e in events]),
                     "ordered_digest": ordered_digest(events)}
                    if args.digest
                    else {}
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
