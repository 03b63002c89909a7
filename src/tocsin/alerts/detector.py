"""The escalation test: is a window of days in an area unusual against its own recent history?

For each day the detector compares the last ``window_days`` with a baseline of the
``baseline_days`` before them (leaving ``guard_days`` out, so a slow build-up does not become
its own baseline). Two counts are tested, each with a negative binomial whose mean and size come
from the baseline's moments: the number of events, and the people killed or displaced (by the
concern). Sparse places get a floor on the expected rate, and minimum counts keep a single
report from opening an alert. The score is -log10 of the smaller p-value.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from dataclasses import dataclass

from tocsin.alerts.config import AlertRules
from tocsin.alerts.negative_binomial import size_from_moments, upper_tail
from tocsin.alerts.series import DailySeries


class _Counts:
    """A sparse daily count with prefix sums for fast range sums and sums of squares."""

    def __init__(self, values: dict[dt.date, int]) -> None:
        self.days = sorted(values)
        self.sums = [0]
        self.squares = [0]
        for day in self.days:
            self.sums.append(self.sums[-1] + values[day])
            self.squares.append(self.squares[-1] + values[day] ** 2)

    def _span(self, first: dt.date, last: dt.date) -> tuple[int, int]:
        return bisect.bisect_left(self.days, first), bisect.bisect_right(self.days, last)

    def total(self, first: dt.date, last: dt.date) -> int:
        i, j = self._span(first, last)
        return self.sums[j] - self.sums[i]

    def moments(self, first: dt.date, last: dt.date) -> tuple[float, float]:
        """Mean and variance per day over [first, last] (absent days are zeros)."""
        n = (last - first).days + 1
        i, j = self._span(first, last)
        total = self.sums[j] - self.sums[i]
        squares = self.squares[j] - self.squares[i]
        mean = total / n
        return mean, max(0.0, squares / n - mean * mean)


@dataclass(frozen=True)
class DayTest:
    """The test of one day: observed and expected counts over the window, and the score."""

    day: dt.date
    observed_events: int
    expected_events: float
    people_kind: str
    observed_people: int
    expected_people: float
    score: float
    opens: bool  # strong enough to open an alert
    keeps: bool  # strong enough to keep an open alert active


def _score(p: float, cap: float) -> float:
    return cap if p <= 0 else min(cap, -math.log10(p))


class SeriesDetector:
    """Runs the day test on one series. ``origin`` is the first day the data covers: baseline
    days before it are unknown, not quiet."""

    def __init__(self, series: DailySeries, rules: AlertRules, origin: dt.date) -> None:
        self.series = series
        self.rules = rules
        self.origin = origin
        self.people_kind = rules.concern(series.concern).people
        self._events = _Counts(series.events)
        self._people = _Counts(series.people(self.people_kind))

    def _tail(
        self, counts: _Counts, observed: int, day: dt.date, floor: float, min_size: float
    ) -> tuple[float, float]:
        """(expected over the window, p-value of observing at least ``observed``)."""
        rules = self.rules
        w = rules.window_days
        last = day - dt.timedelta(days=w + rules.guard_days)
        first = max(self.origin, last - dt.timedelta(days=rules.baseline_days - 1))
        if last < first:
            mean, variance = 0.0, 0.0
        else:
            mean, variance = counts.moments(first, last)
        rate = max(mean, floor)
        size = size_from_moments(mean, variance, min_size, rules.max_size)
        expected = rate * w
        return expected, upper_tail(observed, expected, size * w)

    def test(self, day: dt.date) -> DayTest:
        rules = self.rules
        window_first = day - dt.timedelta(days=rules.window_days - 1)
        events = self._events.total(window_first, day)
        people = self._people.total(window_first, day)
        expected_events, p_events = self._tail(
            self._events, events, day, rules.min_event_rate, rules.min_event_size
        )
        expected_people, p_people = self._tail(
            self._people, people, day, rules.min_people_rate, rules.min_people_size
        )
        event_score = _score(p_events, rules.max_score) if events else 0.0
        people_score = _score(p_people, rules.max_score) if people else 0.0
        opens = (events >= rules.min_events and event_score >= rules.open_score) or (
            people >= rules.people_min[self.people_kind] and people_score >= rules.open_score
        )
        keeps = max(event_score, people_score) >= rules.keep_score
        return DayTest(
            day=day,
            observed_events=events,
            expected_events=expected_events,
            people_kind=self.people_kind,
            observed_people=people,
            expected_people=expected_people,
            score=max(event_score, people_score),
            opens=opens,
            keeps=keeps,
        )

    def window_event_ids(self, day: dt.date) -> list[str]:
        ids: list[str] = []
        for offset in range(self.rules.window_days):
            ids.extend(self.series.event_ids.get(day - dt.timedelta(days=offset), []))
        return ids

    def active_days(self) -> list[dt.date]:
        """Every day whose window holds at least one event, in order."""
        days: set[dt.date] = set()
        for day in self.series.events:
            for offset in range(self.rules.window_days):
                days.add(day + dt.timedelta(days=offset))
        return sorted(days)
