"""Daily series per area and concern: events, people killed, people displaced, event ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from tocsin.alerts.config import AlertRules
from tocsin.alerts.observations import Area, Observation


@dataclass
class DailySeries:
    """Counts of one concern in one area, by day (days without events are absent: zero)."""

    area: Area
    concern: str
    events: dict[dt.date, int] = field(default_factory=dict)
    killed: dict[dt.date, int] = field(default_factory=dict)
    displaced: dict[dt.date, int] = field(default_factory=dict)
    event_ids: dict[dt.date, list[str]] = field(default_factory=dict)

    def add(self, observation: Observation) -> None:
        day = observation.day
        self.events[day] = self.events.get(day, 0) + 1
        if observation.killed:
            self.killed[day] = self.killed.get(day, 0) + observation.killed
        if observation.displaced:
            self.displaced[day] = self.displaced.get(day, 0) + observation.displaced
        if observation.event_id:
            self.event_ids.setdefault(day, []).append(observation.event_id)

    def people(self, kind: str) -> dict[dt.date, int]:
        return self.killed if kind == "killed" else self.displaced

    @property
    def first_day(self) -> dt.date:
        return min(self.events)


def build_series(
    observations: Iterable[Observation], rules: AlertRules
) -> dict[tuple[Area, str], DailySeries]:
    """One series per (area, concern) at each configured level: an admin2 observation also
    counts in its admin1's series."""
    found: dict[tuple[Area, str], DailySeries] = {}
    for observation in observations:
        areas = [observation.area.parent or observation.area]
        if observation.area.admin2 and "admin2" in rules.levels:
            areas.append(observation.area)
        for area in areas:
            if area.level not in rules.levels:
                continue
            key = (area, observation.concern)
            series = found.get(key)
            if series is None:
                series = found[key] = DailySeries(area, observation.concern)
            series.add(
                Observation(
                    area,
                    observation.concern,
                    observation.day,
                    observation.killed,
                    observation.displaced,
                    observation.event_id,
                )
            )
    return found
