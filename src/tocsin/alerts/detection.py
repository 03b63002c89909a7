"""Alerts from fused Events: observations, detection, the Events behind each alert, signals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tocsin.alerts.config import AlertRules, default_rules
from tocsin.alerts.event_summary import summarise_event
from tocsin.alerts.lifecycle import Alert, detect_alerts
from tocsin.alerts.observations import observations_from_events
from tocsin.alerts.signals import attach_signals
from tocsin.records import Event


def alerts_from_events(
    events: Iterable[Event], rules: AlertRules | None = None, as_of: dt.date | None = None
) -> list[Alert]:
    """Every alert the Events raise up to ``as_of`` (default: today), with the Events behind
    each one and the signals attached."""
    rules = rules or default_rules()
    events = list(events)
    as_of = as_of or dt.date.today()
    alerts = detect_alerts(observations_from_events(events, rules), rules, as_of=as_of)
    by_id = {e.id: e for e in events}
    for alert in alerts:
        alert.events = [summarise_event(by_id[i]) for i in alert.event_ids if i in by_id]
    attach_signals(alerts, events, rules)
    return alerts
