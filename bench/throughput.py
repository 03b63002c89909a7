"""Throughput of Tocsin's pipeline against a bare spaCy pass over the same texts, in one run.

    python bench/throughput.py --texts ../shared/data/geoparsing/GWN.xml [--limit 200] [--repeat 2]

Texts come from a path you give: an XML file (every <text> element), a JSON Lines file (the
``text`` field), or a directory of .txt files. Nothing is copied. Prints one JSON object: words/s
of the bare spaCy pass (``nlp.pipe`` over the texts, all components of the pipeline) and of
Tocsin (cleaning, parse, places, events; optionally storing into a temporary SQLite database),
their ratio, the time spent in each stage, and peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path


def read_texts(path: Path, limit: int | None) -> list[str]:
    if path.is_dir():
        texts = [p.read_text("utf-8", errors="replace") for p in sorted(path.glob("*.txt"))]
    elif path.suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8") as handle:
            texts = [json.loads(line)["text"] for line in handle if line.strip()]
    else:
        texts = [(e.text or "") for e in ET.parse(path).getroot().iter("text")]
    texts = [t for t in texts if t.strip()]
    return texts[:limit] if limit else texts


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def timed_stages(timings: dict[str, float]) -> None:
    """Wrap the place and event stages so their time is recorded separately."""
    import tocsin.pipeline as pipeline

    def wrap(name: str, function):  # type: ignore[no-untyped-def]
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timings[name] += time.perf_counter() - start

        return timed

    pipeline.find_places = wrap("places", pipeline.find_places)
    pipeline.find_events = wrap("events", pipeline.find_events)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=2, help="best of N runs for each side")
    parser.add_argument("--store", action="store_true", help="also store into a temp SQLite db")
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)

    from tocsin.pipeline import analyse
    from tocsin.resources import Resources
    from tocsin.settings import Settings
    from tocsin.sources import ReadOptions, read_text

    texts = read_texts(args.texts, args.limit)
    n_words = words(texts)
    settings = Settings()
    if args.model:
        settings.model = args.model
    resources = Resources(settings)
    nlp = resources.nlp
    resources.gazetteer  # noqa: B018 - load before timing
    list(analyse([read_text(texts[0], ReadOptions())], resources))  # warm caches

    timings: dict[str, float] = defaultdict(float)
    timed_stages(timings)
    bare_best = bare_cpu = tocsin_best = tocsin_cpu = float("inf")
    best_timings: dict[str, float] = {}
    # Alternate the two sides so that load from other processes hits both alike.
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        for _doc in nlp.pipe(texts, batch_size=settings.batch_size):
            pass
        bare_best = min(bare_best, time.perf_counter() - start)
        bare_cpu = min(bare_cpu, time.process_time() - cpu)

        timings.clear()
        database = None
        if args.store:
            from tocsin.store import open_database

            database = open_database(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite")
        start, cpu = time.perf_counter(), time.process_time()
        t0 = time.perf_counter()
        documents = [read_text(t, ReadOptions(), locator=f"bench:{i}") for i, t in enumerate(texts)]
        timings["read+clean"] += time.perf_counter() - t0
        results = list(analyse(documents, resources))
        if database is not None:
            t0 = time.perf_counter()
            for result in results:
                if hasattr(result, "document"):
                    database.store_result(result)  # type: ignore[arg-type]
            timings["store"] += time.perf_counter() - t0
            database.close()
        elapsed = time.perf_counter() - start
        tocsin_cpu = min(tocsin_cpu, time.process_time() - cpu)
        if elapsed < tocsin_best:
            tocsin_best = elapsed
            best_timings = dict(timings)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "texts": len(texts),
        "words": n_words,
        "model": nlp.meta.get("name"),
        "bare_spacy_words_per_s": round(n_words / bare_best),
        "tocsin_words_per_s": round(n_words / tocsin_best),
        "ratio": round(bare_best / tocsin_best, 3),
        "ratio_cpu": round(bare_cpu / tocsin_cpu, 3),
        "bare_spacy_s": round(bare_best, 3),
        "tocsin_s": round(tocsin_best, 3),
        "stage_s": {k: round(v, 3) for k, v in best_timings.items()},
        "stage_share_of_bare_parse": {
            k: round(v / bare_best, 3) for k, v in best_timings.items()
        },
        "peak_rss_mb": round(peak_mb),
        "stored": bool(args.store),
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
