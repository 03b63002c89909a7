"""Job ``inputs``: the hostile files of ``bench.hostile.inputs`` in one folder, through one
``tocsin run``; each must end as the outcomes its case allows, with no traceback, and the good
files of the batch stored."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.hostile.database_rows import count, rows
from bench.hostile.inputs import MAX_BYTES, Case, write_cases
from bench.hostile.outcome import JobResult
from bench.hostile.tocsin_process import run_tocsin, tocsin_env

PEAK_MB = 3000  # a run over this much resident memory fails the job (spaCy alone is ~1 GB)


def _stem_of(locator: str, folder: str) -> str:
    """The case stem of a row: the first part of its locator below the folder."""
    rest = locator[len(folder):].lstrip("/") if locator.startswith(folder) else locator
    return rest.split("/", 1)[0].split("-", 1)[0]


def outcome_of(failures: list[dict], documents: list[dict]) -> str:
    if failures and documents:
        return "mixed"
    if failures:
        return "failure"
    return "document" if documents else "skipped"


def run_inputs(chosen: list[Case], workdir: Path, timeout: float = 1200.0) -> JobResult:
    """Write ``chosen`` into ``workdir/inputs``, run them as one batch, judge every case."""
    result = JobResult("inputs")
    began = time.monotonic()
    folder = workdir / "inputs"
    write_cases(folder, chosen)
    db = workdir / "inputs.sqlite"
    env = tocsin_env(TOCSIN_MAX_BYTES=str(MAX_BYTES))
    done = run_tocsin("run", str(folder), "--db", str(db), env=env, timeout=timeout)
    prefix = os.fspath(folder)
    failures = rows(db, "select locator, stage, reason from failures")
    documents = rows(db, "select id, locator, status, text from documents")
    result.check("run ends within the time limit", not done.killed,
                 f"{done.seconds:.0f} s (limit {timeout:.0f} s)")
    result.check("no traceback", not done.traceback,
                 done.output[done.output.find("Traceback"):][:600] if done.traceback else "")
    result.check("exit status 1 (some inputs failed, none crashed)", done.returncode == 1,
                 f"exit {done.returncode}: {done.stderr[-300:]}")
    result.check(f"peak memory under {PEAK_MB} MB", done.peak_rss_mb < PEAK_MB,
                 f"{done.peak_rss_mb:.0f} MB")
    by_stem: dict[str, tuple[list[dict], list[dict]]] = {c.stem: ([], []) for c in chosen}
    for row in failures:
        by_stem.setdefault(_stem_of(row["locator"], prefix), ([], []))[0].append(row)
    for row in documents:
        by_stem.setdefault(_stem_of(row["locator"], prefix), ([], []))[1].append(row)
    outcomes = {}
    for case in chosen:
        fails, docs = by_stem[case.stem]
        outcome = outcome_of(fails, docs)
        outcomes[case.stem] = outcome
        reasons = "; ".join(sorted({f["reason"][:80] for f in fails}))[:240]
        detail = f"{outcome} ({len(fails)} failure rows, {len(docs)} documents) {reasons}"
        ok = outcome in case.expect
        if ok and case.judge is not None:
            problem = case.judge(fails, docs)
            if problem:
                ok, detail = False, f"{detail}; {problem}"
        result.check(f"{case.stem} {case.about}", ok, detail)
    strays = sorted(s for s in by_stem if s not in outcomes)
    result.check("every row belongs to a case", not strays, ", ".join(strays))
    result.figures = {
        "inputs": len(chosen),
        "clean": sum(1 for c in result.checks if c.ok and c.name[:1] == "h"),
        "documents": count(db, "documents"),
        "failure_rows": len(failures),
        "exit": done.returncode,
        "run_seconds": round(done.seconds, 1),
        "peak_rss_mb": round(done.peak_rss_mb),
        "outcomes": outcomes,
    }
    result.seconds = time.monotonic() - began
    return result
