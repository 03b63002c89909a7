"""The Python API over stored Events: ``tocsin.events`` (a DataFrame), ``tocsin.event`` (one
Event), and analysts' corrections (``split_event``, ``merge_events``); and over the cumulative
totals, kept apart from Events: ``tocsin.totals`` (a DataFrame).

``db`` is anything ``open_database`` takes (a path or URL), or an open ``Database``; a database
opened here is closed before returning. A missing SQLite file is not created: these raise
``tocsin.store.DatabaseMissing`` (a ``FileNotFoundError``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from typing import Any

import pandas as pd

from tocsin.exports.flat_event import flat_event
from tocsin.exports.totals import TOTAL_COLUMNS, flat_total
from tocsin.filter_values import resolve_country, resolve_event_type
from tocsin.incremental_fusion import merge_stored_events, split_stored_event
from tocsin.queries import EventFilters, get_event, parse_point, query_events
from tocsin.records import Event
from tocsin.store import Database, open_database
from tocsin.store.total_store import TotalFilters, query_totals

_FILTER_NAMES = {f.name for f in fields(EventFilters)}
_COUNT_COLUMNS = ("killed", "injured", "displaced", "arrested", "abducted")


@contextmanager
def opened(db: Database | str) -> Iterator[Database]:
    if isinstance(db, Database):
        yield db
        return
    database = open_database(str(db), create=False)
    try:
        yield database
    finally:
        database.close()


def event_record(event: Event) -> dict[str, Any]:
    """One DataFrame row: the flat fields of the Event plus its coordinates."""
    row = flat_event(event)
    place = event.location
    row["lat"] = place.lat if place else None
    row["lon"] = place.lon if place else None
    return row


def events_table(events: Iterable[Event]) -> pd.DataFrame:
    """Events as a DataFrame: dates as datetimes, counts as nullable integers."""
    rows = [event_record(e) for e in events]
    columns = list(event_record(Event(id="", event="")).keys())
    frame = pd.DataFrame(rows, columns=columns)
    for name in ("date_start", "date_end"):
        frame[name] = pd.to_datetime(frame[name], errors="coerce")
    for name in _COUNT_COLUMNS:
        frame[name] = frame[name].astype("Int64")
    for name in ("lat", "lon", "confidence"):
        frame[name] = frame[name].astype("float64")
    return frame


def filters_from(options: dict[str, Any]) -> EventFilters:
    unknown = sorted(set(options) - _FILTER_NAMES)
    if unknown:
        raise TypeError(f"unknown filter(s): {', '.join(unknown)}")
    values = dict(options)
    for name in ("since", "until"):
        if isinstance(values.get(name), str):
            values[name] = dt.date.fromisoformat(values[name])
    if isinstance(values.get("bbox"), str):
        values["bbox"] = tuple(float(x) for x in values["bbox"].split(","))
    if isinstance(values.get("near"), str):
        values["near"] = parse_point(values["near"])
    if values.get("country") is not None:
        values["country"] = resolve_country(str(values["country"])).alpha_3
    if values.get("type") is not None:
        values["type"] = resolve_event_type(str(values["type"]))
    return EventFilters(**values)


def events_frame(db: Database | str, limit: int | None = None, **filters: Any) -> pd.DataFrame:
    """The Events matching ``filters`` (``EventFilters`` fields), sorted by date then id."""
    wanted = filters_from(filters)
    with opened(db) as database:
        return events_table(query_events(database, wanted, limit=limit))


def one_event(db: Database | str, event_id: str) -> Event | None:
    with opened(db) as database:
        return get_event(database, event_id)


def split_event(
    db: Database | str, event_id: str, mention_ids: Iterable[str], note: str | None = None
) -> list[Event]:
    """Move ``mention_ids`` out of an Event into their own (kept across re-processing)."""
    with opened(db) as database:
        return split_stored_event(database, event_id, mention_ids, note)


def merge_events(
    db: Database | str, first_id: str, second_id: str, note: str | None = None
) -> Event:
    """Make two Events one (kept across re-processing); return the merged Event."""
    with opened(db) as database:
        return merge_stored_events(database, first_id, second_id, note)


def totals_frame(db: Database | str, limit: int | None = None, **filters: Any) -> pd.DataFrame:
    """The cumulative totals matching ``filters`` (``TotalFilters`` fields: country, category,
    since, until, text), one row per total, sorted by the date they are stated as of."""
    unknown = sorted(set(filters) - {f.name for f in fields(TotalFilters)})
    if unknown:
        raise TypeError(f"unknown filter(s): {', '.join(unknown)}")
    values = dict(filters)
    for name in ("since", "until"):
        if isinstance(values.get(name), str):
            values[name] = dt.date.fromisoformat(values[name])
    if values.get("country") is not None:
        values["country"] = resolve_country(str(values["country"])).alpha_3
    with opened(db) as database:
        found = query_totals(database, TotalFilters(**values), limit=limit)
    frame = pd.DataFrame([flat_total(t) for t in found], columns=list(TOTAL_COLUMNS))
    for name in ("period_start", "period_end"):
        frame[name] = pd.to_datetime(frame[name], errors="coerce")
    frame["value"] = frame["value"].astype("Int64")
    return frame
