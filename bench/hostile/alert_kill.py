"""Job ``alerts``: ``tocsin alerts check`` killed with SIGKILL while a subscriber's webhook holds
the delivery, then run again: the alert must still be delivered (the outbox).

A killed sender keeps its claim on the delivery until the claim runs out (the webhook timeout
plus a margin, about 70 s): a rerun before then leaves it alone, one after sends it. The job
measures both: an immediate rerun, then one once the claim has run out.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from pathlib import Path

from bench.hostile.database_rows import rows
from bench.hostile.outcome import JobResult
from bench.hostile.tocsin_process import Started, run_tocsin, tocsin_command
from bench.hostile.webhook import Receiver

AS_OF = "2015-11-22"  # the demo corpus raises a Latakia displacement alert by then


def _deliveries(db: Path) -> list[dict]:
    return rows(db, "select id, state, attempts, next_attempt_at, alert_id from alert_deliveries")


def _claim_ends(db: Path) -> dt.datetime | None:
    ends = [d["next_attempt_at"] for d in _deliveries(db) if d["next_attempt_at"]]
    if not ends:
        return None
    latest = max(dt.datetime.fromisoformat(str(e)) for e in ends)
    return latest if latest.tzinfo else latest.replace(tzinfo=dt.UTC)


def run_alert_kill(workdir: Path, clean_db: Path, timeout: float = 300.0) -> JobResult:
    result = JobResult("alerts")
    began = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "alerts.sqlite"
    shutil.copy(clean_db, db)
    with Receiver() as receiver:
        subscribed = run_tocsin("alerts", "subscribe", "--webhook", receiver.url, "--country",
                                "SYR", "--db", str(db), timeout=timeout)
        result.check("subscribe", subscribed.returncode == 0, subscribed.output[-300:])
        receiver.hold.set()
        check = Started(tocsin_command("alerts", "check", "--db", str(db), "--as-of", AS_OF))
        killed = check.wait(timeout, until=lambda: bool(receiver.arrived))
        result.check("killed while the webhook held the delivery",
                     killed.killed and len(receiver.arrived) == 1,
                     f"exit {killed.returncode}, {len(receiver.arrived)} requests arrived")
        receiver.hold.clear()
        receiver.release.set()
        states = [d["state"] for d in _deliveries(db)]
        result.check("the delivery is in the outbox after the kill", states == ["pending"],
                     f"states {states}")
        soon = run_tocsin("alerts", "check", "--db", str(db), "--as-of", AS_OF, "--json",
                          timeout=timeout)
        soon_report = json.loads(soon.stdout) if soon.returncode == 0 else {}
        result.check("an immediate rerun ends cleanly", soon.returncode == 0 and not soon.traceback,
                     soon.output[-300:])
        claim = _claim_ends(db)
        waited = 0.0
        if claim is not None:
            waited = max(0.0, (claim - dt.datetime.now(dt.UTC)).total_seconds() + 1)
            time.sleep(waited)
        later = run_tocsin("alerts", "check", "--db", str(db), "--as-of", AS_OF, "--json",
                           timeout=timeout)
        later_report = json.loads(later.stdout) if later.returncode == 0 else {}
        delivered = soon_report.get("delivered", 0) + later_report.get("delivered", 0)
        result.check("the alert is delivered once the claim has run out", delivered == 1,
                     f"delivered {soon_report.get('delivered')} at once, "
                     f"{later_report.get('delivered')} after {waited:.0f} s")
        ids = {json.loads(body)["alert"]["id"] for body in receiver.answered}
        stored = {d["alert_id"] for d in _deliveries(db)}
        result.check("the receiver got the stored alert", bool(ids) and ids == stored,
                     f"received {sorted(ids)}, stored {sorted(stored)}")
        states = [d["state"] for d in _deliveries(db)]
        result.check("the outbox row ends delivered", states == ["delivered"], f"{states}")
    result.figures = {"claim_wait_seconds": round(waited), "requests": len(receiver.arrived),
                      "delivered_at_once": soon_report.get("delivered"),
                      "delivered_after_claim": later_report.get("delivered")}
    result.seconds = time.monotonic() - began
    return result
