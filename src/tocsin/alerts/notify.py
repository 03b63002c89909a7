"""Deliver alerts to subscribers from the outbox of ``alert_store``.

Every pending delivery that is due is claimed (so a second sender leaves it alone), then tried
up to ``WebhookPolicy.attempts`` times in all, waiting ``backoff * 2**n`` seconds between tries;
each try is recorded before the wait, so a sender that dies resumes where it was. A row ends
"delivered", or "dead" after its last try (a dead letter, sent again by ``retry``). A sender
interrupted (Ctrl-C, SystemExit) gives its claim back at once; one killed outright loses it
when the claim runs out, ``timeout + CLAIM_MARGIN`` seconds after the try began, and the next
run sends the row again. Delivery is therefore at least once: a receiver that must not act
twice deduplicates by the alert id and status in the payload.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from tocsin.alerts.alert_store import (
    DEAD,
    DELIVERED,
    PENDING,
    PendingDelivery,
    claim_delivery,
    due_deliveries,
    enqueue_deliveries,
    retry_dead,
    update_delivery,
)
from tocsin.alerts.lifecycle import Alert
from tocsin.alerts.mail import SmtpSettings, send_alert_email
from tocsin.alerts.webhooks import DeliveryOutcome, WebhookPolicy, post_webhook
from tocsin.store import Database

CLAIM_MARGIN = 60.0  # seconds a claim outlives a try's timeout


@dataclass
class NotifyReport:
    delivered: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)
    dead_ids: list[int] = field(default_factory=list)


def alert_payload(alert: Alert) -> bytes:
    return json.dumps({"type": "tocsin.alert", "alert": alert.to_dict()},
                      ensure_ascii=False, sort_keys=True).encode("utf-8")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _send_once(
    delivery: PendingDelivery, smtp: SmtpSettings | None, policy: WebhookPolicy
) -> DeliveryOutcome:
    """One try; an unexpected error counts as a failed try, not a crash of the run."""
    try:
        if delivery.kind == "webhook":
            return post_webhook(delivery.target, delivery.payload.encode("utf-8"),
                                delivery.secret or "", replace(policy, attempts=1),
                                sleep=lambda _seconds: None)
        alert = json.loads(delivery.payload)["alert"]
        return send_alert_email(smtp or SmtpSettings(), delivery.target, alert)
    except Exception as problem:  # noqa: BLE001 - recorded on the row as its last error
        return DeliveryOutcome(False, 1, f"{type(problem).__name__}: {problem}")


def _deliver(
    database: Database,
    delivery: PendingDelivery,
    smtp: SmtpSettings | None,
    policy: WebhookPolicy,
    sleep: Callable[[float], None],
    report: NotifyReport,
) -> None:
    claim = dt.timedelta(seconds=policy.timeout + CLAIM_MARGIN)
    attempts, error = delivery.attempts, None
    try:
        while True:
            outcome = _send_once(delivery, smtp, policy)
            attempts += 1
            if outcome.ok:
                update_delivery(database, delivery.id, DELIVERED, attempts, None, None)
                report.delivered += 1
                return
            error = outcome.error
            if attempts >= policy.attempts:
                update_delivery(database, delivery.id, DEAD, attempts, error, None)
                report.dead += 1
                report.dead_ids.append(delivery.id)
                report.errors.append(f"{delivery.kind} {delivery.target}: {error}")
                return
            wait = policy.backoff * 2 ** (attempts - 1)
            update_delivery(database, delivery.id, PENDING, attempts, error,
                            _now() + dt.timedelta(seconds=wait) + claim)
            sleep(wait)
    except BaseException:
        # Interrupted: give the claim back so the next run sends the row at once.
        try:
            update_delivery(database, delivery.id, PENDING, attempts, error, None)
        except Exception:  # noqa: BLE001, S110 - the claim then runs out by itself
            pass
        raise


def deliver_pending(
    database: Database,
    smtp: SmtpSettings | None = None,
    webhook_policy: WebhookPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
    ids: Sequence[int] | None = None,
) -> NotifyReport:
    """Send every due pending delivery (or those of ``ids``); the report counts this run's
    deliveries that ended delivered or dead."""
    policy = webhook_policy or WebhookPolicy()
    report = NotifyReport()
    claim = dt.timedelta(seconds=policy.timeout + CLAIM_MARGIN)
    for delivery in due_deliveries(database, ids):
        if claim_delivery(database, delivery.id, _now() + claim):
            _deliver(database, delivery, smtp, policy, sleep or time.sleep, report)
    return report


def notify(
    database: Database,
    alerts: Sequence[Alert],
    smtp: SmtpSettings | None = None,
    webhook_policy: WebhookPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
) -> NotifyReport:
    """Queue ``alerts`` for their subscribers (once per alert state), then send what is due."""
    enqueue_deliveries(database, alerts)
    return deliver_pending(database, smtp, webhook_policy, sleep)


def retry(
    database: Database,
    ids: Sequence[int] | None = None,
    smtp: SmtpSettings | None = None,
    webhook_policy: WebhookPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
) -> tuple[list[int], NotifyReport]:
    """Send dead letters again (all, or those of ``ids``) with fresh tries; return the ids
    retried and the report."""
    revived = retry_dead(database, ids)
    if not revived:
        return revived, NotifyReport()
    return revived, deliver_pending(database, smtp, webhook_policy, sleep, revived)
