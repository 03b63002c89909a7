"""Backtest: replay human-coded events (UCDP GED) day by day through the detector.

Reports the alerts raised, how many opened per month, and for each known onset the lead time
of the alert that covered it: ``lead_days`` = onset day - alert start (negative = after the
onset). An onset is detected when an alert of its admin1 is open on the onset day or opens
within ``detection_days`` after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.alerts.config import AlertRules, default_rules
from tocsin.alerts.lifecycle import Alert, detect_alerts
from tocsin.alerts.observations import Observation
from tocsin.alerts.onsets import Onset, fold_name
from tocsin.alerts.ucdp import read_ucdp

DETECTION_DAYS = 3
CALM_YEARS = (2010, 2011, 2012)


@dataclass
class OnsetResult:
    onset: Onset
    alert: Alert | None
    lead_days: int | None

    @property
    def detected(self) -> bool:
        return self.lead_days is not None and self.lead_days >= -DETECTION_DAYS

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.onset.name,
            "admin1": self.onset.admin1,
            "date": self.onset.day.isoformat(),
            "detected": self.detected,
            "lead_days": self.lead_days,
            "alert": self.alert.id if self.alert else None,
            "alert_concern": self.alert.concern if self.alert else None,
            "alert_start": self.alert.start.isoformat() if self.alert else None,
        }


def _months(first: dt.date, last: dt.date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def alerts_per_month(alerts: Sequence[Alert], first: dt.date, last: dt.date) -> dict[str, int]:
    """Alerts opened per calendar month, every month from ``first`` to ``last`` (zeros kept)."""
    opened = Counter(a.start.strftime("%Y-%m") for a in alerts)
    return {month: opened.get(month, 0) for month in _months(first, last)}


def match_onset(onset: Onset, alerts: Sequence[Alert], rules: AlertRules) -> OnsetResult:
    """The alert of the onset's admin1 open on the onset day, else the first opening within
    ``DETECTION_DAYS`` after it, else the first opening after it (a late detection)."""
    place = fold_name(onset.admin1)
    mine = [a for a in alerts if fold_name(a.area.admin1) == place]
    quiet = dt.timedelta(days=rules.quiet_days)
    covering = [a for a in mine if a.start <= onset.day <= a.end + quiet]
    chosen: Alert | None
    if covering:
        chosen = max(covering, key=lambda a: a.start)
    else:
        later = [a for a in mine if a.start > onset.day]
        chosen = min(later, key=lambda a: a.start) if later else None
    lead = (onset.day - chosen.start).days if chosen else None
    return OnsetResult(onset, chosen, lead)


@dataclass
class BacktestResult:
    alerts: list[Alert]
    per_month: dict[str, int]
    onsets: list[OnsetResult]

    def calm_median(self, years: Sequence[int] = CALM_YEARS) -> float | None:
        values = [n for m, n in self.per_month.items() if int(m[:4]) in years]
        return statistics.median(values) if values else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "alerts": [
                {
                    "admin1": a.area.admin1,
                    "concern": a.concern,
                    "start": a.start.isoformat(),
                    "end": a.end.isoformat(),
                    "score": round(a.score, 2),
                    "observed": a.observed,
                    "expected": round(a.expected, 3),
                    "people": {"kind": a.people_kind, "observed": a.people_observed,
                               "expected": round(a.people_expected, 2)},
                }
                for a in self.alerts
            ],
            "alerts_per_month": self.per_month,
            "median_alerts_per_month": {
                f"{CALM_YEARS[0]}-{CALM_YEARS[-1]}": self.calm_median(),
            },
            "onsets": [o.to_dict() for o in self.onsets],
            "onsets_detected": sum(o.detected for o in self.onsets),
            "onsets_total": len(self.onsets),
        }


def run_backtest(
    observations: Sequence[Observation],
    onsets: Sequence[Onset],
    rules: AlertRules | None = None,
) -> BacktestResult:
    """Replay ``observations`` at admin1 level and score the alerts against ``onsets``."""
    rules = dataclasses.replace(rules or default_rules(), levels=("admin1",))
    if not observations:
        raise ValueError("no usable events to replay")
    first = min(o.day for o in observations)
    last = max(o.day for o in observations)
    alerts = detect_alerts(observations, rules, as_of=last, origin=first)
    return BacktestResult(
        alerts=alerts,
        per_month=alerts_per_month(alerts, first, last),
        onsets=[match_onset(o, alerts, rules) for o in onsets],
    )


def backtest_ucdp(
    path: str | Path, onsets: Sequence[Onset], rules: AlertRules | None = None
) -> BacktestResult:
    rules = rules or default_rules()
    return run_backtest(list(read_ucdp(path, rules)), onsets, rules)
