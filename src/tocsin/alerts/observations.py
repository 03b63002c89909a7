"""The detector's input: one ``Observation`` per counted event, placed on a day and an area.

An Observation is deliberately light (area, concern, day, killed, displaced, event id) so the
same detector runs on fused Events (``observations_from_events``) and on UCDP GED rows
(``tocsin.alerts.ucdp``). Only events of a counted modality become observations; the rest are
signals (``tocsin.alerts.signals``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tocsin.alerts.config import AlertRules, default_rules
from tocsin.records import Event


@dataclass(frozen=True, order=True)
class Area:
    """An administrative area: a country's admin1, or an admin2 inside it."""

    country: str
    admin1: str
    admin2: str | None = None

    @property
    def level(self) -> str:
        return "admin2" if self.admin2 else "admin1"

    @property
    def parent(self) -> Area | None:
        return Area(self.country, self.admin1) if self.admin2 else None

    @property
    def label(self) -> str:
        parts = [p for p in (self.admin2, self.admin1, self.country) if p]
        return ", ".join(parts)


@dataclass(frozen=True)
class Observation:
    """One counted event on one day in one area, for one concern."""

    area: Area
    concern: str
    day: dt.date
    killed: int = 0
    displaced: int = 0
    event_id: str | None = None


def concerns_of(event: Event, rules: AlertRules) -> list[str]:
    """The concerns an Event belongs to (by category, or by its ACLED event type)."""
    acled_type = event.acled[0] if event.acled else None
    return [
        c.name
        for c in rules.concerns.values()
        if event.event in c.events or (acled_type is not None and acled_type in c.acled_types)
    ]


def event_day(event: Event, rules: AlertRules) -> dt.date | None:
    """The day an Event is counted on: its start, when its date is precise enough."""
    if event.date is None or event.date.start is None:
        return None
    end = event.date.end or event.date.start
    if (end - event.date.start).days > rules.max_span_days:
        return None
    return event.date.start


def _documents(event: Event) -> set[str]:
    return {m.document for m in event.mentions}


def displacement_origins(events: Iterable[Event], rules: AlertRules) -> dict[str, Area]:
    """Areas inferred for displacement events that the reports place only at country level
    (or in another country, where people fled to): the single admin1 in which the same
    reports place violent events. Event id -> Area."""
    events = list(events)
    violent_areas: dict[str, set[Area]] = defaultdict(set)  # document -> areas of violence
    for event in events:
        place = event.location
        if (
            event.event in rules.violent_events
            and event.modality in rules.count_modalities
            and place is not None
            and place.country
            and place.admin1
        ):
            for document in _documents(event):
                violent_areas[document].add(Area(place.country, place.admin1))
    origins: dict[str, Area] = {}
    for event in events:
        if event.event != "DISPLACEMENT":
            continue
        place = event.location
        if place is not None and place.admin1 and place.precision != "country":
            continue
        candidates: set[Area] = set()
        for document in _documents(event):
            candidates |= violent_areas.get(document, set())
        if len(candidates) == 1:
            origins[event.id] = next(iter(candidates))
    return origins


def event_area(event: Event, admin2: bool = True) -> Area | None:
    """The Event's admin1 area (with its admin2 when the place is an admin2 area)."""
    place = event.location
    if place is None or not place.country or not place.admin1 or place.precision == "country":
        return None
    name = place.name if admin2 and place.precision == "admin2" else None
    return Area(place.country, place.admin1, name)


def observations_from_events(
    events: Iterable[Event], rules: AlertRules | None = None
) -> list[Observation]:
    """Observations of every counted Event that has a day, an area and a concern."""
    rules = rules or default_rules()
    events = list(events)
    origins = displacement_origins(events, rules) if rules.displacement_origin else {}
    found: list[Observation] = []
    for event in events:
        if event.modality not in rules.count_modalities:
            continue
        day = event_day(event, rules)
        area = event_area(event) or origins.get(event.id)
        if day is None or area is None:
            continue
        for concern in concerns_of(event, rules):
            found.append(
                Observation(
                    area=area,
                    concern=concern,
                    day=day,
                    killed=event.counts.killed or 0,
                    displaced=event.counts.displaced or 0,
                    event_id=event.id,
                )
            )
    return found
