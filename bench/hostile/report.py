"""The harness's summary: a table of jobs (checks passed, time, key figures), the failed checks
below it, and the JSON form of every result."""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path
from typing import Any, TextIO

from bench.hostile.outcome import JobResult


def _key_figures(result: JobResult) -> str:
    f = result.figures
    if result.job == "inputs":
        return (f"{f.get('clean')}/{f.get('inputs')} inputs clean, {f.get('documents')} documents, "
                f"{f.get('failure_rows')} failure rows, peak {f.get('peak_rss_mb')} MB")
    if result.job == "kill":
        points = f.get("points", {})
        same = sum(1 for p in points.values() if p["identical"])
        return f"{same}/{len(points)} kill points identical ({f.get('documents')} documents)"
    if result.job == "alerts":
        return (f"delivered {f.get('delivered_at_once')} at once, "
                f"{f.get('delivered_after_claim')} after {f.get('claim_wait_seconds')} s")
    if result.job == "injection":
        return (f"{f.get('requests')} requests ({f.get('sql_injection')} injection, "
                f"{f.get('traversal')} traversal), statuses {f.get('statuses')}")
    if result.job == "schema":
        return (f"{f.get('cases')} cases over {f.get('operations')} operations, "
                f"{f.get('server_errors')} server errors")
    if result.job == "load":
        rounds = f.get("rounds", [])
        return "; ".join(f"p50 {r['p50_ms']} ms p95 {r['p95_ms']} ms, {r['rss_mb_end']} MB"
                         for r in rounds)
    return ""


def print_table(results: list[JobResult], out: TextIO = sys.stdout) -> None:
    rows = [("job", "result", "checks", "seconds", "figures")]
    for r in results:
        state = f"skipped: {r.skipped}" if r.skipped else ("ok" if r.ok else "FAILED")
        rows.append((r.job, state, f"{r.passed}/{len(r.checks)}", f"{r.seconds:.0f}",
                     _key_figures(r)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        out.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4]))
                  + "  " + row[4] + "\n")
    for r in results:
        for check in r.failed:
            out.write(f"FAILED {r.job}: {check.name}: {check.detail}\n")


def to_json(results: list[JobResult], command: list[str]) -> dict[str, Any]:
    return {"command": " ".join(command), "python": platform.python_version(),
            "ok": all(r.ok or r.skipped for r in results),
            "jobs": [r.to_dict() for r in results]}


def write_json(path: Path, results: list[JobResult], command: list[str]) -> None:
    path.write_text(json.dumps(to_json(results, command), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
