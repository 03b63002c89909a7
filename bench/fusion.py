"""Fusion speed (and pairwise quality) on synthetic mentions.

    python bench/fusion.py [--mentions 100000] [--reports 4] [--seed 7] [--digest]
                           [--in-memory | --oracle | --db URL [--late 1000] [--workers 2]]

Generates ``--mentions`` synthetic event mentions: real events spread over 40 countries and two
years, each reported ``--reports`` times on average by different outlets with jittered wording of
the facts (a coarser place, a date range or only the publication date, other figures), plus wire
copies that share a text fingerprint (values drawn from a shared pool, see ``_value_pool``).
By default the mentions are drawn first (kept packed, 321 bytes each), sorted by the start of
their date window, built one by one as ``tocsin.fusion.fuse_stream`` asks for them, and each
Event is scored and let go as it comes out: the time spent building mentions (and hashing Events
for ``--digest``) is left out of fusion's time. ``--in-memory`` builds the whole shuffled list
first and times ``tocsin.fusion.fuse`` on it. Prints one JSON object: sizes, seconds (wall clock
and CPU: the machine is shared), mentions per second, the memory the input takes, the peak memory
of the process up to the end of fusion (generation and fusion), and pairwise precision/recall
against the generator's truth; ``--digest`` adds a digest of the Events (any order), to check
that two versions give the same Events.

With ``--oracle``, the generator's ceiling instead: the mentions of each true event are fused
apart (``fuse`` on that event's mentions alone), so no pair of two events is ever joined and
every pair the compatibility rules allow within an event is; its recall is the most any fusion
under these rules can reach on this input (its precision is 1 by construction).

With ``--db``, the mentions are bulk-loaded into that (empty) database instead and the store's
fusion is timed: ``fuse_pending`` over everything, a re-run with nothing pending, then ``--late``
more mentions arriving afterwards (incremental re-fusion of the components they touch). With
``--workers``, the same runs go through ``fuse_pending_parallel`` on a local Dask cluster;
``--digest`` adds the digest of the stored Events at the end. Memory: the process's resident
memory before fusing (the generated mentions it holds), its peak at the end of the first fusion
(of the driver alone, with ``--workers``) and at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib
import json
import random
import resource
import struct
import time
from collections.abc import Iterator
from typing import NamedTuple

from tocsin.fusion import MentionInput, fuse, pairwise_scores
from tocsin.fusion.rules import FusionRules, default_rules
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


class _Draw(NamedTuple):
    """One synthetic mention as drawn: every random choice, before any record is built."""

    event_number: int
    report: int
    country: str
    admin1: str
    centre: tuple[float, float]
    place: tuple[float, float] | None  # the town's coordinates; None: a coarser place
    coarse: str  # "province" or "country" when ``place`` is None
    day: dt.date
    published: dt.date
    shape: float
    kind: int  # index in KINDS
    killed: int | None
    figure: int | None
    mode_kept: bool
    actor1: Actor
    actor1_kept: bool
    actor2: Actor
    actor2_kept: bool
    confidence: float
    fingerprint: tuple[int, ...]  # indexes into the value pool
    source: int


def _centres(seed: int) -> dict[str, tuple[float, float]]:
    """The countries' centres (the generator's first draws)."""
    rng = random.Random(seed)
    return {c: (rng.uniform(-30, 50), rng.uniform(-80, 120)) for c in COUNTRIES}


def _draws(count: int, reports: float, seed: int, rng: random.Random) -> Iterator[_Draw]:
    """The mentions' random choices, in the order the generator draws them (frozen)."""
    centres = {c: (rng.uniform(-30, 50), rng.uniform(-80, 120)) for c in COUNTRIES}
    made = 0
    event_number = 0
    while made < count:
        event_number += 1
        country = rng.choice(COUNTRIES)
        clat, clon = centres[country]
        lat, lon = clat + rng.uniform(-3, 3), clon + rng.uniform(-3, 3)
        admin1 = f"{country}-A{int((lat - clat + 3) // 1.5)}{int((lon - clon + 3) // 1.5)}"
        day = START + dt.timedelta(days=rng.randrange(730))
        kind = KINDS.index(rng.choice(KINDS))
        actor1 = Actor("side one", country, rng.choice(SECTORS))
        actor2 = Actor("side two", country, "CVL")
        killed = rng.choice([None, rng.randrange(1, 60)])
        wire = tuple(rng.getrandbits(32) & _POOL_MASK for _ in range(64))
        n = max(1, int(rng.expovariate(1 / reports) + 0.5))
        for r in range(n):
            if made >= count:
                break
            roll = rng.random()
            place: tuple[float, float] | None = None
            coarse = ""
            if roll < 0.75:
                place = (lat + rng.uniform(-0.02, 0.02), lon + rng.uniform(-0.02, 0.02))
            elif roll < 0.92:
                coarse = "province"
            else:
                coarse = "country"
            published = day + dt.timedelta(days=rng.randrange(0, 3))
            shape = rng.random()
            figure = None if killed is None else max(1, killed + rng.randrange(-3, 4))
            mode_kept = rng.random() < 0.9
            actor1_kept = rng.random() < 0.8
            actor2_kept = rng.random() < 0.6
            confidence = round(rng.uniform(0.4, 0.9), 2)
            copy = rng.random() < 0.2
            fingerprint = (
                wire if copy else tuple(rng.getrandbits(32) & _POOL_MASK for _ in range(64))
            )
            made += 1
            yield _Draw(
                event_number, r, country, admin1, (clat, clon), place, coarse, day, published,
                shape, kind, killed, figure, mode_kept, actor1, actor1_kept, actor2, actor2_kept,
                confidence, fingerprint, rng.randrange(300),
            )  # fmt: skip


def _mention(draw: _Draw, pool: list[int]) -> tuple[MentionInput, str]:
    """The mention a draw describes, and its true event's label."""
    document = f"doc{draw.event_number:07d}-{draw.report}"
    country, admin1 = draw.country, draw.admin1
    clat, clon = draw.centre
    if draw.place is not None:
        place = Place("town", 0, 4, 0, f"T{draw.event_number}", None, country, admin1,
                      draw.place[0], draw.place[1], "town")  # fmt: skip
    elif draw.coarse == "province":
        place = Place("province", 0, 8, 0, admin1, None, country, admin1, clat, clon, "admin1")
    else:
        place = Place("country", 0, 7, 0, country, None, country, None, clat, clon, "country")
    day, published = draw.day, draw.published
    if draw.shape < 0.7:
        date = DateSpan(day, day, "day")
    elif draw.shape < 0.85:
        date = DateSpan(day - dt.timedelta(days=1), day + dt.timedelta(days=1), "range")
    else:
        date = DateSpan(published, published, "published")
    event, mode, acled = KINDS[draw.kind]
    mention = EventMention(
        event=event,
        mode=mode if draw.mode_kept else None,
        acled=acled,
        evidence=Evidence(document, "synthetic sentence", 0, 18),
        actor1=draw.actor1 if draw.actor1_kept else None,
        actor2=draw.actor2 if draw.actor2_kept else None,
        location=place,
        date=date,
        counts=Counts(killed=draw.figure),
        confidence=draw.confidence,
    )
    item = MentionInput(
        id=f"{document}:0",
        mention=mention,
        document_id=document,
        text_fingerprint=tuple([pool[k] for k in draw.fingerprint]),
        source=f"outlet{draw.source}",
        url=None,
        published=published,
    )
    return item, f"e{draw.event_number}"


def generate(count: int, reports: float, seed: int) -> tuple[list[MentionInput], dict[str, str]]:
    """``count`` mentions in a shuffled order, and each one's true event."""
    rng = random.Random(seed)
    pool = _value_pool(seed)
    items: list[MentionInput] = []
    gold: dict[str, str] = {}
    for draw in _draws(count, reports, seed, rng):
        item, label = _mention(draw, pool)
        items.append(item)
        gold[item.id] = label
    rng.shuffle(items)
    return items, gold


_PACKED = struct.Struct("<IHBBBBddIIdBiiBBBBdH64I")


def _pack(draw: _Draw) -> bytes:
    """A draw in 321 bytes (a tuple of Python objects takes about 2.5 KB)."""
    a, b = draw.admin1.rsplit("-A", 1)[1]
    town = draw.place or (0.0, 0.0)
    return _PACKED.pack(
        draw.event_number, draw.report, COUNTRIES.index(draw.country), int(a), int(b),
        0 if draw.place is not None else 1 if draw.coarse == "province" else 2, *town,
        draw.day.toordinal(), draw.published.toordinal(), draw.shape, draw.kind,
        -1 if draw.killed is None else draw.killed, -1 if draw.figure is None else draw.figure,
        draw.mode_kept, draw.actor1_kept, draw.actor2_kept, SECTORS.index(draw.actor1.sector or ""),
        draw.confidence, draw.source, *draw.fingerprint,
    )  # fmt: skip


def _unpack(data: bytes, centres: dict[str, tuple[float, float]]) -> _Draw:
    (number, report, c, a, b, where, lat, lon, day, published, shape, kind, killed, figure,
     mode_kept, actor1_kept, actor2_kept, sector, confidence, source,
     *fingerprint) = _PACKED.unpack(data)  # fmt: skip
    country = COUNTRIES[c]
    return _Draw(
        number, report, country, f"{country}-A{a}{b}", centres[country],
        (lat, lon) if where == 0 else None, ["", "province", "country"][where],
        dt.date.fromordinal(day), dt.date.fromordinal(published), shape, kind,
        None if killed < 0 else killed, None if figure < 0 else figure, bool(mode_kept),
        Actor("side one", country, SECTORS[sector]), bool(actor1_kept),
        Actor("side two", country, "CVL"), bool(actor2_kept), confidence, tuple(fingerprint),
        source,
    )  # fmt: skip


def _window_start(draw: _Draw, rules: FusionRules) -> int:
    """The first day of the mention's date window as fusion widens it (``_window`` of
    ``tocsin.fusion.profiles`` for the three shapes of date the generator gives)."""
    event, mode, _ = KINDS[draw.kind]
    family = rules.family(event, mode if draw.mode_kept else None)
    least = rules.family_tolerance_days.get(family, 0)
    if draw.shape < 0.7:
        low, precision = draw.day.toordinal(), "day"
    elif draw.shape < 0.85:
        low, precision = draw.day.toordinal() - 1, "range"
    else:
        low = draw.published.toordinal() - rules.published_lookback_days
        precision = "published"
    return low - max(rules.tolerance_days.get(precision, 0), least)


def generate_in_order(
    count: int, reports: float, seed: int
) -> Iterator[tuple[MentionInput, str]]:
    """The very mentions of ``generate`` (and their true events), lazily, in order of their
    date window's start: the draws are kept packed and each mention is built only when it is
    asked for (the draws are made and sorted before this returns)."""
    rules = default_rules()
    rng = random.Random(seed)
    pool = _value_pool(seed)
    keyed = [(_window_start(d, rules), _pack(d)) for d in _draws(count, reports, seed, rng)]
    keyed.sort(key=lambda pair: pair[0], reverse=True)
    draws = [data for _, data in keyed]
    del keyed
    return _built(draws, _centres(seed), pool)


def _built(
    draws: list[bytes], centres: dict[str, tuple[float, float]], pool: list[int]
) -> Iterator[tuple[MentionInput, str]]:
    """The mentions of packed draws, last draw first, each let go once built."""
    while draws:
        yield _mention(_unpack(draws.pop(), centres), pool)


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
    url: str,
    items: list[MentionInput],
    gold: dict[str, str],
    late: int,
    workers: int = 0,
    digest: bool = False,
) -> None:
    from tocsin.incremental_fusion import fuse_pending
    from tocsin.queries import EventFilters, query_events
    from tocsin.store import open_database

    if workers:
        from distributed import Client, LocalCluster

        from tocsin.distributed.fusion_tasks import fuse_pending_parallel

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0")
        client = Client(cluster)
        # The workers import fusion before the clock starts, as this process did above.
        client.run(importlib.import_module, "tocsin.distributed.fusion_tasks")

        def fuse_pending(database):  # type: ignore[no-redef,no-untyped-def]  # noqa: F811
            """The store's fusion, done by the cluster's workers."""
            return fuse_pending_parallel(database, client)

    database = open_database(url)
    first, rest = items[: len(items) - late], items[len(items) - late :]
    started = time.perf_counter()
    _load(database, first)
    load_seconds = time.perf_counter() - started
    input_mb = _resident_mb()
    started = time.perf_counter()
    full = fuse_pending(database)
    fuse_seconds = time.perf_counter() - started
    fuse_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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
                "input_memory_mb": round(input_mb),
                "fuse_peak_memory_mb": round(fuse_peak_mb),
                "peak_memory_mb": round(peak_mb),
                "pairwise_precision": round(scores["precision"], 4),
                "pairwise_recall": round(scores["recall"], 4),
                **({"event_digest": event_digest([event_hash(e) for e in events])}
                   if digest else {}),
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


class _Timed:
    """Mentions from ``generate_in_order``, with the time spent building them (to leave out of
    fusion's time) and their true events, kept until their Event comes out."""

    def __init__(self, source: Iterator[tuple[MentionInput, str]]) -> None:
        self.source = source
        self.seconds = self.cpu_seconds = 0.0
        self.gold: dict[str, str] = {}
        self.gold_sizes: dict[str, int] = {}
        self.count = 0

    def __iter__(self) -> Iterator[MentionInput]:
        while True:
            started, cpu_started = time.perf_counter(), time.process_time()
            found = next(self.source, None)
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.process_time() - cpu_started
            if found is None:
                return
            item, label = found
            self.gold[item.id] = label
            self.gold_sizes[label] = self.gold_sizes.get(label, 0) + 1
            self.count += 1
            yield item


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def stream_bench(args: argparse.Namespace) -> dict[str, object]:
    """Fusion of mentions generated lazily in date order, by ``fuse_stream``: Events are
    scored and let go as they come out."""
    from tocsin.fusion.streaming import fuse_stream

    source = generate_in_order(args.mentions, args.reports, args.seed)
    timed = _Timed(source)
    input_mb = _resident_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    predicted = right = events = 0
    hashes: list[str] = []
    hashing = hashing_cpu = 0.0
    for released in fuse_stream(timed, rules=default_rules()):
        for _, event in released.events:
            events += 1
            labels: dict[str, int] = {}
            for ref in event.mentions:
                label = timed.gold.pop(ref.mention)
                labels[label] = labels.get(label, 0) + 1
            predicted += _pairs(len(event.mentions))
            right += sum(_pairs(n) for n in labels.values())
            if args.digest:
                hash_started, hash_cpu_started = time.perf_counter(), time.process_time()
                hashes.append(event_hash(event))
                hashing += time.perf_counter() - hash_started
                hashing_cpu += time.process_time() - hash_cpu_started
    seconds = time.perf_counter() - started - timed.seconds - hashing
    cpu_seconds = time.process_time() - cpu_started - timed.cpu_seconds - hashing_cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # up to fusion's end
    expected = sum(_pairs(n) for n in timed.gold_sizes.values())
    return {
        "mentions": timed.count,
        "streamed": True,
        "gold_events": len(timed.gold_sizes),
        "fused_events": events,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "building_input_seconds": round(timed.seconds, 2),
        "mentions_per_second": round(timed.count / seconds),
        "input_memory_mb": round(input_mb),
        "peak_memory_mb": round(peak_mb),
        "pairwise_precision": round(right / predicted if predicted else 1.0, 4),
        "pairwise_recall": round(right / expected if expected else 1.0, 4),
        **({"event_digest": event_digest(hashes)} if args.digest else {}),
    }


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
    parser.add_argument("--in-memory", action="store_true",
                        help="Generate every mention first and fuse the list with fuse().")
    parser.add_argument("--digest", action="store_true",
                        help="Also print a digest of the Events (to check two versions agree).")
    args = parser.parse_args()
    if args.db:
        items, gold = generate(args.mentions + args.late, args.reports, args.seed)
        bench_database(args.db, items, gold, args.late, args.workers, args.digest)
        return
    if not (args.oracle or args.in_memory):
        print(json.dumps(stream_bench(args)))
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
