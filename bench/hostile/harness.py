"""Run the chosen jobs in order, print the summary table, write JSON; exit 1 when a check
failed.

    python -m bench.hostile          # every job, full size: 15 to 30 minutes on 2 cores (the
                                     # batch of million-character texts may use its 900 s)
    python -m bench.hostile --quick --parallel --jobs inputs,kill,injection   # the test's subset
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from threading import Thread

from bench.hostile.outcome import JobResult

JOBS = ("inputs", "kill", "alerts", "injection", "schema", "load")
QUICK_INPUTS = ("h01", "h06", "h13", "h16", "h22", "h25")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile",
                                     description="Tocsin tried with hostile inputs and requests.")
    parser.add_argument("--jobs", default=",".join(JOBS),
                        help=f"comma-separated, in this order: {','.join(JOBS)}")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes everywhere (a few inputs, one kill point ...)")
    parser.add_argument("--inputs", default=None,
                        help="comma-separated case stems (h01,h13 ...); default: all, or a "
                        "few with --quick")
    parser.add_argument("--long-text-timeout", type=float, default=900.0,
                        help="seconds allowed to the batch of texts over a million characters")
    parser.add_argument("--kill-points", default=None,
                        help="comma-separated: db, ms:N, docs:N, frac:F, concurrent")
    parser.add_argument("--extra-reports", type=int, default=None,
                        help="reports added to the demo corpus for the kill points (default 40)")
    parser.add_argument("--examples", type=int, default=None,
                        help="schemathesis cases per operation and mode (default 25)")
    parser.add_argument("--load-rounds", type=int, default=2)
    parser.add_argument("--load-requests", type=int, default=None,
                        help="requests per load round (default 2000)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--parallel", action="store_true",
                        help="run the inputs job beside the kill job (faster on 2+ cores; "
                        "their times and memory then overlap)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep inputs and databases here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args(argv)
    unknown = set(args.jobs.split(",")) - set(JOBS)
    if unknown:
        parser.error(f"unknown jobs: {', '.join(sorted(unknown))}")
    return args


def _guarded(name: str, job: Callable[[], JobResult]) -> JobResult:
    """A job that raises is reported as one failed check, and the others still run."""
    began = time.monotonic()
    try:
        return job()
    except Exception:  # noqa: BLE001 - a harness error is a result, not the end of the run
        result = JobResult(name, seconds=time.monotonic() - began)
        result.check("the job ran", False, traceback.format_exc()[-1500:])
        return result


def run_jobs(args: argparse.Namespace, workdir: Path) -> list[JobResult]:
    from bench.hostile.alert_kill import run_alert_kill
    from bench.hostile.input_job import run_inputs
    from bench.hostile.inputs import cases
    from bench.hostile.kill_points import FULL_POINTS, QUICK_POINTS, run_kill_points
    from bench.hostile.server import Server
    from bench.hostile.tocsin_process import run_tocsin

    chosen = args.jobs.split(",")
    results: list[JobResult] = []
    inputs_thread: Thread | None = None
    if "inputs" in chosen:
        wanted = (args.inputs.split(",") if args.inputs
                  else QUICK_INPUTS if args.quick else None)
        picked = [c for c in cases() if wanted is None or c.stem in wanted]

        def inputs() -> None:
            results.append(_guarded("inputs", lambda: run_inputs(
                picked, workdir / "hostile", slow_timeout=args.long_text_timeout)))

        if args.parallel:
            inputs_thread = Thread(target=inputs)
            inputs_thread.start()
        else:
            inputs()
    clean_db: Path | None = None
    if "kill" in chosen:
        points = tuple(args.kill_points.split(",")) if args.kill_points else (
            QUICK_POINTS if args.quick else FULL_POINTS)
        extra = args.extra_reports if args.extra_reports is not None else (
            4 if args.quick else 40)
        holder: dict[str, Path] = {}

        def kill() -> JobResult:
            result, holder["db"] = run_kill_points(workdir / "kill", points, extra)
            return result

        results.append(_guarded("kill", kill))
        clean_db = holder.get("db")
    if inputs_thread is not None:
        inputs_thread.join()
    served = [j for j in ("injection", "schema", "load") if j in chosen]
    if clean_db is None and ("alerts" in chosen or served):
        from tocsin.demo import corpus_path

        clean_db = workdir / "demo.sqlite"
        made = run_tocsin("run", str(corpus_path()), "--db", str(clean_db))
        if made.returncode != 0:
            raise SystemExit(f"could not build the served database: {made.output[-500:]}")
    if "alerts" in chosen:
        assert clean_db is not None
        results.append(_guarded("alerts", lambda: run_alert_kill(workdir / "alerts-kill",
                                                                 clean_db)))
    if served:
        from bench.hostile.injection import run_injection
        from bench.hostile.load import run_load
        from bench.hostile.schema_cases import run_schema

        assert clean_db is not None
        db = workdir / "served.sqlite"
        shutil.copy(clean_db, db)
        with Server(db) as server:
            if "load" in chosen:
                requests = args.load_requests or (100 if args.quick else 2000)
                results.append(_guarded("load", lambda: run_load(
                    server, args.load_rounds, requests, args.concurrency)))
            if "injection" in chosen:
                results.append(_guarded("injection", lambda: run_injection(
                    server, workdir, quick=args.quick)))
            if "schema" in chosen:
                examples = args.examples or (3 if args.quick else 25)
                results.append(_guarded("schema", lambda: run_schema(server, examples)))
    order = {name: i for i, name in enumerate(JOBS)}
    return sorted(results, key=lambda r: order[r.job])


def main(argv: list[str] | None = None) -> int:
    from bench.hostile.report import print_table, write_json

    args = parse(argv)
    command = ["python", "-m", "bench.hostile", *(sys.argv[1:] if argv is None else argv)]
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        results = run_jobs(args, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="tocsin-hostile-") as folder:
            results = run_jobs(args, Path(folder))
    print_table(results)
    if args.json:
        write_json(args.json, results, command)
    return 0 if all(r.ok or r.skipped for r in results) else 1
