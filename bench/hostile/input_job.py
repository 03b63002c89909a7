"""Job ``inputs``: the hostile files of ``bench.hostile.inputs`` in one folder, through one
``tocsin run``; each must end as the outcomes its case allows, with no traceback, and the good
files of the batch stored."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.hostile.database_rows import rows
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


def _batch(label: str, chosen: list[Case], folder: Path, db: Path, timeout: float,
           result: JobResult) -> dict[str, object]:
    """One ``tocsin run`` over ``chosen``; checks of the run itself, and its rows by stem."""
    write_cases(folder, chosen)
    env = tocsin_env(TOCSIN_MAX_BYTES=str(MAX_BYTES))
    done = run_tocsin("run", str(folder), "--db", str(db), env=env, timeout=timeout)
    failures = rows(db, "select locator, stage, reason from failures")
    documents = rows(db, "select id, locator, status, text from documents")
    result.check(f"{label}: run ends within the time limit", not done.killed,
                 f"{done.seconds:.0f} s (limit {timeout:.0f} s)")
    result.check(f"{label}: no traceback", not done.traceback,
                 done.output[done.output.find("Traceback"):][:600] if done.traceback else "")
    expected = 1 if failures else 0
    result.check(f"{label}: exit status {expected} (failures are rows, not crashes)",
                 done.killed or done.returncode == expected,
                 f"exit {done.returncode}: {done.stderr[-300:]}")
    result.check(f"{label}: peak memory under {PEAK_MB} MB", done.peak_rss_mb < PEAK_MB,
                 f"{done.peak_rss_mb:.0f} MB")
    prefix = os.fspath(folder)
    by_stem: dict[str, tuple[list[dict], list[dict]]] = {c.stem: ([], []) for c in chosen}
    for row in failures:
        by_stem.setdefault(_stem_of(row["locator"], prefix), ([], []))[0].append(row)
    for row in documents:
        by_stem.setdefault(_stem_of(row["locator"], prefix), ([], []))[1].append(row)
    return {"rows": by_stem, "killed": done.killed, "seconds": round(done.seconds, 1),
            "peak_rss_mb": round(done.peak_rss_mb), "exit": done.returncode,
            "documents": len(documents), "failure_rows": len(failures)}


def run_inputs(chosen: list[Case], workdir: Path, timeout: float = 900.0,
               slow_timeout: float = 900.0) -> JobResult:
    """Write ``chosen`` under ``workdir`` and run them as one batch (the slow cases, texts of
    over a million characters, as a second batch with its own time limit); judge every case."""
    result = JobResult("inputs")
    began = time.monotonic()
    batches = [("batch", [c for c in chosen if not c.slow], timeout),
               ("long texts", [c for c in chosen if c.slow], slow_timeout)]
    outcomes: dict[str, str] = {}
    figures: dict[str, object] = {"inputs": len(chosen), "batches": {}}
    for number, (label, group, limit) in enumerate(batches):
        if not group:
            continue
        ran = _batch(label, group, workdir / f"inputs-{number}",
                     workdir / f"inputs-{number}.sqlite", limit, result)
        by_stem = ran.pop("rows")
        assert isinstance(by_stem, dict)
        figures["batches"][label] = {"cases": len(group), **ran}  # type: ignore[index]
        for case in group:
            fails, docs = by_stem[case.stem]
            outcome = outcome_of(fails, docs)
            outcomes[case.stem] = outcome
            reasons = "; ".join(sorted({f["reason"][:80] for f in fails}))[:240]
            detail = f"{outcome} ({len(fails)} failure rows, {len(docs)} documents) {reasons}"
            if ran["killed"]:
                detail += " (the run was stopped at its time limit)"
            ok = outcome in case.expect
            if ok and case.judge is not None:
                problem = case.judge(fails, docs)
                if problem:
                    ok, detail = False, f"{detail}; {problem}"
            result.check(f"{case.stem} {case.about}", ok, detail)
        strays = sorted(s for s in by_stem if s not in outcomes)
        result.check(f"{label}: every row belongs to a case", not strays, ", ".join(strays))
    batch_figures = figures["batches"].values()  # type: ignore[attr-defined]
    figures.update({
        "clean": sum(1 for c in result.checks if c.ok and c.name[:1] == "h"),
        "documents": sum(b["documents"] for b in batch_figures),
        "failure_rows": sum(b["failure_rows"] for b in batch_figures),
        "peak_rss_mb": max((b["peak_rss_mb"] for b in batch_figures), default=0),
        "outcomes": outcomes,
    })
    result.figures = figures
    result.seconds = time.monotonic() - began
    return result
