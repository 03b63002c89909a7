"""One alert check over a database: read its Events, detect, store the alerts with their pending
deliveries (one transaction), then send every delivery that is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tocsin.alerts.alert_store import save_alerts
from tocsin.alerts.config import AlertRules
from tocsin.alerts.detection import alerts_from_events
from tocsin.alerts.event_source import load_events
from tocsin.alerts.lifecycle import Alert
from tocsin.alerts.mail import SmtpSettings
from tocsin.alerts.notify import NotifyReport, deliver_pending
from tocsin.alerts.webhooks import WebhookPolicy
from tocsin.store import Database


@dataclass
class CheckResult:
    alerts: list[Alert]
    changed: list[Alert]
    notified: NotifyReport


def check_alerts(
    database: Database,
    as_of: dt.date | None = None,
    rules: AlertRules | None = None,
    smtp: SmtpSettings | None = None,
    webhook_policy: WebhookPolicy | None = None,
    deliver: bool = True,
) -> CheckResult:
    """Detect alerts from the database's Events up to ``as_of`` (default today), store them
    with a pending delivery per subscriber of those that are new or changed status, and (with
    ``deliver``) send every pending delivery that is due, including those an earlier run left."""
    alerts = alerts_from_events(load_events(database), rules, as_of=as_of)
    changed = save_alerts(database, alerts)
    report = deliver_pending(database, smtp, webhook_policy) if deliver else NotifyReport()
    return CheckResult(alerts, changed, report)
