"""Notify subscribers of alerts that are new or changed status: once per (subscription, alert,
status); a delivery that fails after its last try is kept as a dead letter."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tocsin.alerts.alert_store import (
    DEAD,
    DELIVERED,
    already_delivered,
    list_subscriptions,
    record_delivery,
)
from tocsin.alerts.lifecycle import Alert
from tocsin.alerts.mail import SmtpSettings, send_alert_email
from tocsin.alerts.webhooks import WebhookPolicy, post_webhook
from tocsin.store import Database


@dataclass
class NotifyReport:
    delivered: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


def alert_payload(alert: Alert) -> bytes:
    return json.dumps({"type": "tocsin.alert", "alert": alert.to_dict()},
                      ensure_ascii=False, sort_keys=True).encode("utf-8")


def notify(
    database: Database,
    alerts: Sequence[Alert],
    smtp: SmtpSettings | None = None,
    webhook_policy: WebhookPolicy | None = None,
    sleep: Callable[[float], None] | None = None,
) -> NotifyReport:
    report = NotifyReport()
    subscriptions = list_subscriptions(database)
    for alert in alerts:
        payload = alert_payload(alert)
        for subscription in subscriptions:
            if not subscription.matches(alert):
                continue
            if already_delivered(database, subscription.id, alert):
                continue
            if subscription.kind == "webhook":
                extra = {"sleep": sleep} if sleep else {}
                outcome = post_webhook(subscription.target, payload, subscription.secret or "",
                                       webhook_policy, **extra)
            else:
                outcome = send_alert_email(smtp or SmtpSettings(), subscription.target,
                                           alert.to_dict())
            state = DELIVERED if outcome.ok else DEAD
            record_delivery(database, subscription.id, alert, state, outcome.attempts,
                            payload.decode("utf-8"), outcome.error)
            if outcome.ok:
                report.delivered += 1
            else:
                report.dead += 1
                report.errors.append(f"{subscription.kind} {subscription.target}: {outcome.error}")
    return report
