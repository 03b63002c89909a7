"""Alerts and their lifecycle: new -> ongoing -> resolved, one alert per situation.

``detect_alerts`` replays the daily series from their first day to ``as_of``. An alert opens on
the first day whose test is strong enough (``open_score`` and minimum counts), stays active
while tests keep ``keep_score``, and resolves ``quiet_days`` after its last active day. Its
``end`` is that last active day. While open, its ``escalation`` rises by one each time the events
or people of its window reach ``escalate_factor`` times their count at opening. The replay is
deterministic, so running it again over the same data yields the same alerts with the same ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tocsin.alerts.config import AlertRules, default_rules
from tocsin.alerts.detector import DayTest, SeriesDetector
from tocsin.alerts.observations import Area, Observation
from tocsin.alerts.series import DailySeries, build_series

NEW, ONGOING, RESOLVED = "new", "ongoing", "resolved"


def alert_id(area: Area, concern: str, start: dt.date) -> str:
    key = "|".join([area.country, area.admin1, area.admin2 or "", concern, start.isoformat()])
    return "al-" + hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()


@dataclass
class Signal:
    """A forecast, conditional or warning attached to an alert; it is not counted."""

    event_id: str
    event: str
    modality: str
    start: dt.date | None
    end: dt.date | None
    country: str | None
    admin1: str | None
    killed: int | None
    displaced: int | None
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "event": self.event,
            "modality": self.modality,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "country": self.country,
            "admin1": self.admin1,
            "killed": self.killed,
            "displaced": self.displaced,
            "evidence": list(self.evidence),
        }


@dataclass
class Alert:
    """An escalation of one concern in one area. ``observed``/``expected`` are the events in the
    window of the peak test and the baseline's expectation; ``people_*`` the same for people
    killed or displaced; ``event_ids`` the counted events behind it."""

    id: str
    area: Area
    concern: str
    start: dt.date
    end: dt.date
    status: str
    score: float
    observed: int
    expected: float
    people_kind: str
    people_observed: int
    people_expected: float
    resolved: dt.date | None = None
    event_ids: list[str] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)  # Event summaries, when known
    escalation: int = 0  # escalations since it opened
    opened_observed: int = 0  # events and people in the window of the opening day
    opened_people: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "country": self.area.country,
            "admin1": self.area.admin1,
            "admin2": self.area.admin2,
            "level": self.area.level,
            "concern": self.concern,
            "status": self.status,
            "escalation": self.escalation,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "resolved": self.resolved.isoformat() if self.resolved else None,
            "score": round(self.score, 2),
            "observed": self.observed,
            "expected": round(self.expected, 3),
            "people": {
                "kind": self.people_kind,
                "observed": self.people_observed,
                "expected": round(self.people_expected, 2),
            },
            "event_ids": list(self.event_ids),
            "events": list(self.events),
            "signals": [s.to_dict() for s in self.signals],
        }


def _open(detector: SeriesDetector, test: DayTest) -> Alert:
    series = detector.series
    return Alert(
        id=alert_id(series.area, series.concern, test.day),
        area=series.area,
        concern=series.concern,
        start=test.day,
        end=test.day,
        status=NEW,
        score=test.score,
        observed=test.observed_events,
        expected=test.expected_events,
        people_kind=test.people_kind,
        people_observed=test.observed_people,
        people_expected=test.expected_people,
        event_ids=list(dict.fromkeys(detector.window_event_ids(test.day))),
        opened_observed=test.observed_events,
        opened_people=test.observed_people,
    )


def escalation_level(opened: int, now: int, factor: float) -> int:
    """How many times ``now`` has multiplied ``opened`` by ``factor`` (0 below the first)."""
    if factor <= 1.0 or opened <= 0 or now < opened * factor:
        return 0
    level, threshold = 0, float(opened)
    while now >= threshold * factor:
        threshold *= factor
        level += 1
    return level


def _extend(alert: Alert, detector: SeriesDetector, test: DayTest) -> None:
    alert.end = test.day
    factor = detector.rules.escalate_factor
    alert.escalation = max(alert.escalation,
                      escalation_level(alert.opened_observed, test.observed_events, factor),
                      escalation_level(alert.opened_people, test.observed_people, factor))
    if test.score > alert.score:
        alert.score = test.score
        alert.observed = test.observed_events
        alert.expected = test.expected_events
        alert.people_observed = test.observed_people
        alert.people_expected = test.expected_people
    for event_id in detector.window_event_ids(test.day):
        if event_id not in alert.event_ids:
            alert.event_ids.append(event_id)


def _blocked(intervals: list[tuple[dt.date, dt.date | None]], day: dt.date) -> bool:
    return any(start <= day and (stop is None or day < stop) for start, stop in intervals)


def replay_series(
    detector: SeriesDetector,
    as_of: dt.date,
    blocked: list[tuple[dt.date, dt.date | None]] | None = None,
) -> list[Alert]:
    """The alerts one series raises up to ``as_of``. No alert opens on a ``blocked`` day."""
    rules = detector.rules
    quiet = dt.timedelta(days=rules.quiet_days)
    alerts: list[Alert] = []
    current: Alert | None = None
    for day in detector.active_days():
        if day > as_of:
            break
        if current is not None and day > current.end + quiet:
            current.status, current.resolved = RESOLVED, current.end + quiet
            current = None
        test = detector.test(day)
        if current is None:
            if test.opens and not (blocked and _blocked(blocked, day)):
                current = _open(detector, test)
                alerts.append(current)
        elif test.keeps or test.opens:
            _extend(current, detector, test)
    if current is not None:
        if as_of >= current.end + quiet:
            current.status, current.resolved = RESOLVED, current.end + quiet
        elif as_of > current.start:
            current.status = ONGOING
    return alerts


def detect_alerts(
    observations: Iterable[Observation],
    rules: AlertRules | None = None,
    as_of: dt.date | None = None,
    origin: dt.date | None = None,
) -> list[Alert]:
    """Every alert the observations raise up to ``as_of`` (default: their last day), oldest
    first. ``origin`` is the first day the data covers (default: the first observation)."""
    rules = rules or default_rules()
    series = build_series(observations, rules)
    if not series:
        return []
    first = min(s.first_day for s in series.values())
    last = max(max(s.events) for s in series.values())
    origin = origin or first
    as_of = as_of or last
    by_level: dict[str, list[DailySeries]] = {}
    for item in series.values():
        by_level.setdefault(item.area.level, []).append(item)
    alerts: list[Alert] = []
    open_spans: dict[tuple[Area, str], list[tuple[dt.date, dt.date | None]]] = {}
    for level in ("admin1", "admin2"):
        for item in sorted(by_level.get(level, []), key=lambda s: (s.area, s.concern)):
            parent = item.area.parent
            blocked = open_spans.get((parent, item.concern)) if parent else None
            found = replay_series(SeriesDetector(item, rules, origin), as_of, blocked)
            open_spans[(item.area, item.concern)] = [(a.start, a.resolved) for a in found]
            alerts.extend(found)
    alerts.sort(key=lambda a: (a.start, a.area, a.concern))
    return alerts
