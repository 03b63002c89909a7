"""What runs after a watch cycle stored new documents: fusion of the new mentions, then the
alert check, which also sends the alert deliveries still pending. Either failing, and each
delivery that ends as a dead letter, is logged and the watcher goes on."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tocsin.store import Database

log = logging.getLogger("tocsin.watch")


@dataclass
class FollowupReport:
    fused: bool = False
    alerts_checked: bool = False
    changed_alerts: int = 0
    errors: tuple[str, ...] = ()


def after_new_documents(database: Database, check_alerts: bool = True) -> FollowupReport:
    report = FollowupReport()
    errors: list[str] = []
    try:
        from tocsin.incremental_fusion import fuse_pending

        fuse_pending(database)
        report.fused = True
    except Exception as error:  # noqa: BLE001 - keep watching; the next cycle fuses again
        errors.append(f"fusion failed: {type(error).__name__}: {error}")
    if check_alerts:
        try:
            from tocsin.alerts.check import check_alerts as check

            result = check(database)
            report.alerts_checked = True
            report.changed_alerts = len(result.changed)
            for delivery_id, reason in zip(result.notified.dead_ids, result.notified.errors,
                                           strict=True):
                errors.append(f"alert delivery {delivery_id} is a dead letter: {reason} "
                              f"(tocsin alerts retry {delivery_id})")
        except Exception as error:  # noqa: BLE001
            errors.append(f"alert check failed: {type(error).__name__}: {error}")
    for message in errors:
        log.error(message)
    report.errors = tuple(errors)
    return report
