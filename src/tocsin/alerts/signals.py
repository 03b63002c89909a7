"""Signals: forecasts, conditionals, aims and warnings attached to alerts, never counted.

An Event is a signal when its modality is one of the rules' signal modalities (forecast,
hypothetical, intended) or its category is a warning (THREATEN). It attaches to an alert when
its dates fall between ``lookback_days`` before the alert's start and ``quiet_days`` after its
last active day, and it either names the alert's area or comes from a report that also reports
one of the alert's events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from tocsin.alerts.config import AlertRules, default_rules
from tocsin.alerts.lifecycle import Alert, Signal
from tocsin.alerts.onsets import fold_name
from tocsin.records import Event


def is_signal(event: Event, rules: AlertRules) -> bool:
    return event.modality in rules.signal_modalities or (
        event.modality in rules.count_modalities and event.event in rules.signal_events
    )


def as_signal(event: Event) -> Signal:
    place = event.location
    return Signal(
        event_id=event.id,
        event=event.event,
        modality=event.modality,
        start=event.date.start if event.date else None,
        end=event.date.end if event.date else None,
        country=place.country if place else None,
        admin1=place.admin1 if place else None,
        killed=event.counts.killed,
        displaced=event.counts.displaced,
        evidence=list(dict.fromkeys(m.sentence for m in event.mentions)),
    )


def _overlaps(event: Event, first: dt.date, last: dt.date) -> bool:
    if event.date is None or event.date.start is None:
        return False
    end = event.date.end or event.date.start
    return event.date.start <= last and end >= first


def _names_area(event: Event, alert: Alert) -> bool:
    place = event.location
    return (
        place is not None
        and place.country == alert.area.country
        and place.admin1 is not None
        and fold_name(place.admin1) == fold_name(alert.area.admin1)
    )


def attach_signals(
    alerts: Sequence[Alert], events: Iterable[Event], rules: AlertRules | None = None
) -> None:
    """Fill each alert's ``signals`` from ``events`` (all modalities; non-signals ignored)."""
    rules = rules or default_rules()
    events = list(events)
    by_id = {e.id: e for e in events}
    signals = [e for e in events if is_signal(e, rules)]
    lookback = dt.timedelta(days=rules.signal_lookback_days)
    quiet = dt.timedelta(days=rules.quiet_days)
    for alert in alerts:
        documents = {
            m.document for i in alert.event_ids if i in by_id for m in by_id[i].mentions
        }
        found = [
            e
            for e in signals
            if _overlaps(e, alert.start - lookback, alert.end + quiet)
            and (_names_area(e, alert) or documents & {m.document for m in e.mentions})
        ]
        alert.signals = [as_signal(e) for e in found]
