"""Job ``kill``: ``tocsin run`` killed with SIGKILL at several points, then run again; the
database must end as an uninterrupted run leaves it. Also two runs at once on one database.

A kill point is ``db`` (as soon as the database file exists: creation and migration),
``ms:N`` (N milliseconds after the start: model loading), ``docs:N`` (once N documents are
stored) or ``frac:F`` (once that share of the clean run's documents is stored).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from bench.hostile.database_rows import count, differences, dump
from bench.hostile.outcome import JobResult
from bench.hostile.tocsin_process import Finished, Started, tocsin_command, tocsin_env

FULL_POINTS = ("ms:1500", "db", "docs:1", "frac:0.25", "frac:0.5", "frac:0.75", "frac:0.95",
               "concurrent")
QUICK_POINTS = ("docs:1",)


def write_corpus(folder: Path, extra: int) -> Path:
    """The bundled demo corpus plus ``extra`` short reports of our own, in ``folder``."""
    from tocsin.demo import corpus_path

    shutil.copytree(corpus_path(), folder, dirs_exist_ok=True)
    towns = ["Ariha", "Saraqib", "Binnish", "Taftanaz", "Sarmin", "Kafr Takharim"]
    for i in range(extra):
        town = towns[i % len(towns)]
        (folder / f"extra-{i:03d}.txt").write_text(
            f"Report {i}. Shelling hit {town} in Idlib province on Tuesday, killing {i + 2} "
            f"people, medics said. Some {10 * i + 40} families fled toward the border, "
            f"officials in {town} said on day {i}.", encoding="utf-8")
    return folder


def _condition(point: str, db: Path, total: int, started: Started) -> Callable[[], bool]:
    kind, _, value = point.partition(":")
    if kind == "db":
        return db.exists
    if kind == "ms":
        return lambda: time.monotonic() - started.began >= float(value) / 1000
    if kind not in ("docs", "frac"):
        raise ValueError(f"unknown kill point {point!r}")
    need = int(value) if kind == "docs" else max(1, round(float(value) * total))
    return lambda: count(db, "documents") >= need


def _run(corpus: Path, db: Path, env: dict[str, str]) -> Started:
    return Started(tocsin_command("run", str(corpus), "--db", str(db)), env=env)


def run_kill_points(workdir: Path, points: tuple[str, ...], extra: int = 40,
                    batch_size: int = 2, timeout: float = 900.0) -> tuple[JobResult, Path]:
    """Kill and resume at each of ``points``; returns the result and the clean database
    (which later jobs serve)."""
    result = JobResult("kill")
    began = time.monotonic()
    corpus = write_corpus(workdir / "corpus", extra)
    env = tocsin_env(TOCSIN_BATCH_SIZE=str(batch_size))
    clean_db = workdir / "clean.sqlite"
    clean = _run(corpus, clean_db, env).wait(timeout)
    result.check("uninterrupted run ends cleanly", clean.returncode == 0 and not clean.traceback,
                 f"exit {clean.returncode}, {clean.seconds:.0f} s {clean.stderr[-300:]}")
    reference = dump(clean_db)
    total = len(reference.get("documents", []))
    figures: dict[str, object] = {"documents": total, "events": len(reference.get("events", [])),
                                  "clean_seconds": round(clean.seconds, 1), "points": {}}
    for point in dict.fromkeys(points):  # each point once: it names its database
        db = workdir / f"killed-{point.replace(':', '-')}.sqlite"
        if point == "concurrent":
            first, second = _run(corpus, db, env), _run(corpus, db, env)
            ends = [first.wait(timeout), second.wait(timeout)]
            crashed = [e for e in ends if e.traceback or e.returncode not in (0, 1)]
            detail = f"exits {[e.returncode for e in ends]}"
            if crashed:
                detail += f"; {crashed[0].output[-400:]}"
            result.check("two runs at once: both end without a crash", not crashed, detail)
            resumed: Finished | None = _run(corpus, db, env).wait(timeout)
            stored = None
        else:
            started = _run(corpus, db, env)
            killed = started.wait(timeout, until=_condition(point, db, total, started),
                                  every=0.01)
            stored = count(db, "documents")
            reached = killed.killed
            resumed = _run(corpus, db, env).wait(timeout)
            result.check(f"{point}: killed before the run ended", reached,
                         f"{stored} of {total} documents stored when killed"
                         if reached else f"the run ended first (exit {killed.returncode})")
        assert resumed is not None
        result.check(f"{point}: the rerun ends cleanly",
                     resumed.returncode == 0 and not resumed.traceback,
                     f"exit {resumed.returncode} {resumed.output[-300:]}")
        diff = differences(dump(db), reference)
        result.check(f"{point}: database equals the uninterrupted run's", not diff,
                     "; ".join(diff))
        figures["points"][point] = {"stored_when_killed": stored,  # type: ignore[index]
                                    "rerun_seconds": round(resumed.seconds, 1),
                                    "identical": not diff}
    result.figures = figures
    result.seconds = time.monotonic() - began
    return result, clean_db
