"""Documents/s of a single-process run against Dask runs on 1 and 2 workers, peak memory per
worker, and the bulk-load rate of staged Parquet into SQLite and PostgreSQL (rows/s).

    python bench/dask_scaling.py --texts ../shared/data/geoparsing/GWN.xml [MORE ...] [--limit 200]
        [--partition 16] [--workers 1 2] [--load-copies 20] [--pg-url URL | --no-pg]

Texts come from a path you give (as in bench/throughput.py: XML <text> elements, JSON Lines
``text`` fields or a folder of .txt files); they are written to a temporary JSON Lines file,
never into the repository. Each run stores into a fresh temporary SQLite database. Times start
once the models are loaded (the single process's Resources, the workers' preload plugin), so
they measure steady throughput; the wall time with start-up is reported too. The bulk-load
figure loads the staged partitions of the last Dask run ``--load-copies`` times under fresh
document ids; without --pg-url a throwaway PostgreSQL is started (tests/postgres_server.py).
The machine's own ceiling is measured in the same run: a bare spaCy pass (``nlp.pipe``, no Tocsin)
over the same texts in 1 and in N separate processes at once; ``bare_spacy_efficiency`` is what two
processes on this hardware reach without any Dask or Tocsin work, so the Dask figure can be read
against it (``vs_bare_ceiling``). Prints one JSON object. On a shared machine, the load averages
printed beside the figures say how much other work competed with the run; CPU seconds per
document (single process, workers, driver) are less sensitive to it than documents/s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss it is not inherited from
    the parent of a spawned worker)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User + system CPU time of this process so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _failures(summary: object) -> dict[str, int]:
    """Failed documents by stage and reason (first 80 characters)."""
    from collections import Counter

    counted = Counter(f"{f.stage}: {f.reason[:80]}" for f in summary.failures)  # type: ignore[attr-defined]
    return dict(counted.most_common(5))


def single_process(corpus: Path, folder: Path, threads: int | None) -> dict:
    """One run in this process; ``threads`` caps the BLAS threads (Dask workers run with one,
    as the nanny sets OMP_NUM_THREADS=1), None leaves the library default."""
    from threadpoolctl import threadpool_limits

    from tocsin.resources import Resources
    from tocsin.runner import run
    from tocsin.store import open_database

    resources = Resources()
    started = time.perf_counter()
    _ = resources.nlp, resources.gazetteer
    loaded = time.perf_counter()
    name = f"single-{threads or 'default'}.sqlite"
    cpu = _cpu_seconds()
    with threadpool_limits(limits=threads), open_database(f"sqlite:///{folder / name}") as database:
        summary = run([str(corpus)], database, resources)
    done = time.perf_counter()
    cpu = _cpu_seconds() - cpu
    return {
        "blas_threads": threads or "default",
        "cpu_s_per_doc": round(cpu / max(summary.processed, 1), 3),
        "documents": summary.processed,
        "failed": _failures(summary),
        "seconds": round(done - loaded, 2),
        "docs_per_s": round(summary.processed / (done - loaded), 2),
        "wall_with_startup_s": round(done - started, 2),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def _bare_share(texts: list[str], ready: Any, go: Any, out: Any) -> None:
    """One process of the bare spaCy ceiling: load, wait for the others, parse, report times."""
    from tocsin.resources import load_spacy
    from tocsin.settings import Settings

    nlp = load_spacy(Settings().model)
    for _ in nlp.pipe(texts[:4]):
        pass  # warm-up
    ready.put(True)
    go.wait()
    started = time.time()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    out.put((started, time.time(), _peak_rss_mb()))


def bare_spacy(texts: list[str], processes: int) -> dict:
    """Wall time of a bare spaCy pass over ``texts`` split between ``processes`` at once."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ready, out, go = context.Queue(), context.Queue(), context.Event()
    shares = [texts[i::processes] for i in range(processes)]
    workers = [context.Process(target=_bare_share, args=(share, ready, go, out))
               for share in shares]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get()
    go.set()
    results = [out.get() for _ in workers]
    for worker in workers:
        worker.join()
    seconds = max(end for _, end, _ in results) - min(start for start, _, _ in results)
    return {"processes": processes, "seconds": round(seconds, 2),
            "docs_per_s": round(len(texts) / seconds, 2),
            "peak_rss_mb_per_process": sorted(round(m, 1) for _, _, m in results)}


def _same_tables(first: Path, second: Path) -> bool:
    """Whether two databases hold the same rows in every table (timestamps aside)."""
    from sqlalchemy import select

    from tocsin.store import open_database
    from tocsin.store.models import Base

    def rows(path: Path) -> dict[str, list[dict]]:
        found = {}
        with open_database(f"sqlite:///{path}") as database, database.engine.connect() as c:
            for name, table in Base.metadata.tables.items():
                ordered = select(table).order_by(*table.primary_key.columns)
                found[name] = [{k: v for k, v in r.items() if not k.endswith("_at")}
                               for r in c.execute(ordered).mappings()]
        return found

    return rows(first) == rows(second)


def dask_run(corpus: Path, folder: Path, workers: int, partition: int) -> dict:
    import dask
    from distributed import Client, LocalCluster

    from tocsin.distributed import DistributedOptions, run_distributed
    from tocsin.distributed.cluster import LOCAL_WORKER_CONFIG
    from tocsin.distributed.worker_resources import PreloadResources
    from tocsin.settings import Settings
    from tocsin.store import open_database

    settings = Settings()
    started = time.perf_counter()
    with dask.config.set(LOCAL_WORKER_CONFIG), LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster, Client(cluster) as client:
        client.register_plugin(PreloadResources(settings))  # waits for every worker's setup
        loaded = time.perf_counter()
        driver_cpu = _cpu_seconds()
        worker_cpu = client.run(_cpu_seconds)
        staging = folder / f"staging-{workers}"
        with open_database(f"sqlite:///{folder / f'dask-{workers}.sqlite'}") as database:
            summary = run_distributed(
                [str(corpus)], database, settings, client=client,
                options=DistributedOptions(documents_per_partition=partition,
                                           staging=str(staging)),
            )
        done = time.perf_counter()
        driver_cpu = _cpu_seconds() - driver_cpu
        worker_cpu = {k: v - worker_cpu[k] for k, v in client.run(_cpu_seconds).items()}
        peaks = client.run(_peak_rss_mb)
    documents = max(summary.processed, 1)
    return {
        "workers": workers,
        "documents": summary.processed,
        "failed": _failures(summary),
        "seconds": round(done - loaded, 2),
        "docs_per_s": round(summary.processed / (done - loaded), 2),
        "wall_with_startup_s": round(done - started, 2),
        "worker_cpu_s_per_doc": round(sum(worker_cpu.values()) / documents, 3),
        "driver_cpu_s_per_doc": round(driver_cpu / documents, 3),
        "peak_rss_mb_per_worker": sorted(round(v, 1) for v in peaks.values()),
        "same_tables_as_single": _same_tables(folder / "single-1.sqlite",
                                              folder / f"dask-{workers}.sqlite"),
        "staging": str(staging),
    }


def _copies(staging: Path, target: Path, copies: int) -> list[str]:
    """The staged partitions written again ``copies`` times with fresh document ids."""
    from tocsin.distributed.staging import RESULT_TABLES, read_table, write_partition

    urls = []
    parts = sorted(p for p in staging.glob("part-*") if (p / "_SUCCESS").exists())
    for copy in range(copies):
        for part in parts:
            tables: dict[str, list[dict]] = {}
            for name in RESULT_TABLES:
                rows = read_table(str(part), name).to_pylist()
                for row in rows:
                    key = "id" if name == "documents" else "document_id"
                    row[key] = f"{row[key][:20]}c{copy:03d}"
                    if name == "event_mentions":
                        row["id"] = f"{row['document_id']}:{row['idx']}"
                    if name == "documents":
                        row["locator"] = f"{row['locator']}#copy={copy}"
                tables[name] = rows
            url = str(target / f"part-{copy:03d}-{part.name}")
            write_partition(url, tables, [], {})
            urls.append(url)
    return urls


def bulk_load(staging: Path, folder: Path, copies: int, pg_url: str | None, use_pg: bool) -> dict:
    from tocsin.distributed.bulk_load import load_partitions
    from tocsin.store import open_database

    urls = _copies(staging, folder / "copies", copies)
    found: dict = {"partitions": len(urls)}
    targets = [("sqlite", f"sqlite:///{folder / 'load.sqlite'}")]
    server = None
    if use_pg:
        if pg_url is None:
            from postgres_server import running_postgres

            server = running_postgres()
            pg_url = server.__enter__()
        targets.append(("postgresql", pg_url))
    try:
        for kind, url in targets:
            with open_database(url) as database:
                started = time.perf_counter()
                result = load_partitions(database, urls)
                seconds = time.perf_counter() - started
            found[kind] = {
                "documents": result.loaded,
                "rows": result.rows,
                "seconds": round(seconds, 2),
                "rows_per_s": round(result.rows / seconds),
            }
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, nargs="+", required=True)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--partition", type=int, default=16, help="documents per partition")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--load-copies", type=int, default=20)
    parser.add_argument("--pg-url", default=None)
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args(argv)

    from throughput import read_texts

    texts = [t for path in args.texts for t in read_texts(path, None)]
    texts = texts[: args.limit] if args.limit else texts
    report: dict = {"texts": len(texts), "cpus": os.cpu_count(),
                    "load_average_before": os.getloadavg(), "driver_note": "single runs share "
                    "the driver process: their peak_rss_mb is the driver's high-water mark"}
    with tempfile.TemporaryDirectory(prefix="tocsin-bench-") as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for i, text in enumerate(texts):
                out.write(json.dumps({"id": i, "text": text}) + "\n")
        report["bare_spacy"] = [bare_spacy(texts, n) for n in sorted({1, *args.workers})]
        report["single_default_threads"] = single_process(corpus, folder, None)
        report["single"] = single_process(corpus, folder, 1)
        report["dask"] = [dask_run(corpus, folder, n, args.partition) for n in args.workers]
        base = report["single"]["docs_per_s"]
        one_worker = next((r["docs_per_s"] for r in report["dask"] if r["workers"] == 1), None)
        bare = {r["processes"]: r["docs_per_s"] for r in report["bare_spacy"]}
        for run in report["bare_spacy"]:
            run["bare_spacy_efficiency"] = round(run["docs_per_s"] / bare[1] / run["processes"], 2)
        for run in report["dask"]:
            n = run["workers"]
            run["speedup_vs_single"] = round(run["docs_per_s"] / base, 2)
            run["scaling_efficiency"] = round(run["docs_per_s"] / base / n, 2)
            if one_worker:
                run["scaling_efficiency_vs_1_worker"] = round(run["docs_per_s"] / one_worker / n, 2)
            if n in bare and n > 1:
                ceiling = bare[n] / bare[1] / n
                run["vs_bare_ceiling"] = round(run["docs_per_s"] / base / n / ceiling, 2)
            # Contention aside: CPU per document in a worker against the single process.
            run["cpu_efficiency"] = round(
                report["single"]["cpu_s_per_doc"] / run["worker_cpu_s_per_doc"], 2)
        report["load_average_after_runs"] = os.getloadavg()
        if args.load_copies > 0:
            staging = Path(report["dask"][-1]["staging"])
            report["bulk_load"] = bulk_load(staging, folder, args.load_copies, args.pg_url,
                                            not args.no_pg)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
