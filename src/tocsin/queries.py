"""Queries over fused Events: filters, listing with cursor pagination, one Event, statistics.

The one core that the CLI (``tocsin events``), the Python API (``tocsin.events``), the REST API
and the alerts share. Filters (all optional, combined with AND):

- ``country`` (ISO 3166 alpha-3) and ``admin1`` (case-insensitive) of the Event's place;
  ``geonameid`` of the place;
- ``type``: the Event category (ASSAULT, PROTEST, DISPLACEMENT, ...); ``acled_type``: ACLED's
  event type *or* sub-event type, case-insensitive;
- ``actor``: words found in either actor's text, or either actor's country, sector or group;
- ``since``/``until``: the Event's date window overlaps [since, until] (undated Events are left
  out when either is given);
- ``bbox`` (west, south, east, north; west > east crosses the antimeridian): the PostGIS point
  on PostgreSQL, a latitude/longitude range on SQLite;
- ``modality``: "asserted" by default; None keeps every modality;
- ``min_sources``: at least this many independent sources;
- ``text``: words found in an evidence sentence of the Event, its place or its actors.

Events are sorted by date (undated last), then id. ``after`` continues a listing after the given
Event id (or a retired id of it), or after an opaque ``"<date>|<id>"`` key (``cursor_key``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
)

from tocsin.records import Event
from tocsin.store import Database
from tocsin.store.event_rows import documents, event_mentions, events, links, read_events
from tocsin.store.fusion_tables import EventAliasRow

aliases = EventAliasRow.__table__


@dataclass
class EventFilters:
    country: str | None = None
    admin1: str | None = None
    type: str | None = None
    acled_type: str | None = None
    actor: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    bbox: tuple[float, float, float, float] | None = None  # W,S,E,N
    modality: str | None = "asserted"
    min_sources: int | None = None
    text: str | None = None
    geonameid: int | None = None


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: Any, value: str) -> ColumnElement[bool]:
    return column.ilike(_like(value), escape="\\")


def _bbox_clause(
    connection: Connection, bbox: tuple[float, float, float, float]
) -> ColumnElement[bool]:
    west, south, east, north = bbox
    if south > north:
        raise ValueError("bbox: south must not exceed north")
    spans = [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]
    if connection.dialect.name == "postgresql":
        geom = literal_column("events.geom")
        return or_(
            *(
                geom.op("&&")(func.ST_MakeEnvelope(w, south, e, north, 4326))
                for w, e in spans
            )
        )
    lat, lon = events.c.location_lat, events.c.location_lon
    return and_(
        lat.between(south, north),
        or_(*(lon.between(w, e) for w, e in spans)),
    )


def filter_clauses(connection: Connection, filters: EventFilters) -> list[ColumnElement[bool]]:
    """The WHERE conditions on ``events`` for ``filters``."""
    c = events.c
    where: list[ColumnElement[bool]] = []
    if filters.country:
        where.append(c.location_country == filters.country.strip().upper())
    if filters.admin1:
        where.append(func.lower(c.location_admin1) == filters.admin1.strip().lower())
    if filters.geonameid is not None:
        where.append(c.location_geonameid == filters.geonameid)
    if filters.type:
        where.append(c.event == filters.type.strip().upper())
    if filters.acled_type:
        wanted = filters.acled_type.strip().lower()
        where.append(
            or_(func.lower(c.acled_type) == wanted, func.lower(c.acled_sub_type) == wanted)
        )
    if filters.actor:
        word = filters.actor.strip()
        code = word.upper()
        where.append(
            or_(
                _contains(c.actor1_text, word),
                _contains(c.actor2_text, word),
                c.actor1_country == code,
                c.actor2_country == code,
                c.actor1_sector == code,
                c.actor2_sector == code,
                func.lower(c.actor1_group) == word.lower(),
                func.lower(c.actor2_group) == word.lower(),
            )
        )
    if filters.since is not None:
        where.append(func.coalesce(c.date_end, c.date_start) >= filters.since)
    if filters.until is not None:
        where.append(func.coalesce(c.date_start, c.date_end) <= filters.until)
    if filters.bbox is not None:
        where.append(_bbox_clause(connection, filters.bbox))
    if filters.modality:
        where.append(c.modality == filters.modality.strip().lower())
    if filters.min_sources is not None:
        where.append(c.sources >= filters.min_sources)
    if filters.text:
        word = filters.text.strip()
        evidence = exists(
            select(links.c.mention_id)
            .join(event_mentions, event_mentions.c.id == links.c.mention_id)
            .where(links.c.event_id == c.id, _contains(event_mentions.c.evidence_sentence, word))
        )
        where.append(
            or_(
                evidence,
                _contains(c.location_name, word),
                _contains(c.location_text, word),
                _contains(c.actor1_text, word),
                _contains(c.actor2_text, word),
            )
        )
    return where


def cursor_key(event: Event) -> str:
    """An opaque key that continues a listing after ``event`` even if its id is retired."""
    start = event.date.start.isoformat() if event.date and event.date.start else ""
    return f"{start}|{event.id}"


def _resolve(connection: Connection, event_id: str) -> str | None:
    if connection.scalar(select(events.c.id).where(events.c.id == event_id)) is not None:
        return event_id
    return connection.scalar(select(aliases.c.event_id).where(aliases.c.alias == event_id))


def _after_clause(connection: Connection, after: str) -> ColumnElement[bool]:
    if "|" in after:
        day, _, event_id = after.partition("|")
        try:
            start = dt.date.fromisoformat(day) if day else None
        except ValueError as error:
            raise ValueError(f"malformed cursor {after!r}") from error
    else:
        found = _resolve(connection, after)
        if found is None:
            raise LookupError(f"unknown event {after!r}")
        event_id = found
        start = connection.scalar(select(events.c.date_start).where(events.c.id == found))
    c = events.c
    if start is None:
        return and_(c.date_start.is_(None), c.id > event_id)
    return or_(
        c.date_start > start,
        and_(c.date_start == start, c.id > event_id),
        c.date_start.is_(None),
    )


def _sorted(query: Any) -> Any:
    c = events.c
    return query.order_by(c.date_start.is_(None), c.date_start, c.id)


def query_events(
    database: Database,
    filters: EventFilters | None = None,
    limit: int | None = None,
    after: str | None = None,
) -> list[Event]:
    """The Events matching ``filters``, by date then id, each with all its mentions."""
    filters = filters or EventFilters()
    with database.engine.connect() as connection:
        where = filter_clauses(connection, filters)
        if after:
            where.append(_after_clause(connection, after))
        query = _sorted(select(events).where(and_(true(), *where)))
        if limit is not None:
            query = query.limit(max(limit, 0))
        rows = connection.execute(query).mappings().all()
        return read_events(connection, rows)


def count_events(database: Database, filters: EventFilters | None = None) -> int:
    """How many Events match ``filters``."""
    filters = filters or EventFilters()
    with database.engine.connect() as connection:
        where = filter_clauses(connection, filters)
        query = select(func.count()).select_from(events).where(and_(true(), *where))
        return int(connection.scalar(query) or 0)


def get_event(database: Database, event_id: str) -> Event | None:
    """One Event with every mention (document, outlet, URL, sentence, offsets), or None.

    An id that re-fusion retired finds the Event that took most of its mentions (whose id
    differs from the one asked for)."""
    with database.engine.connect() as connection:
        found = _resolve(connection, event_id)
        if found is None:
            return None
        row = connection.execute(select(events).where(events.c.id == found)).mappings().one()
        return read_events(connection, [row])[0]


def _tally(connection: Connection, column: Any, where: list[ColumnElement[bool]]) -> dict:
    query = (
        select(column, func.count())
        .select_from(events)
        .where(and_(true(), *where), column.is_not(None))
        .group_by(column)
        .order_by(column)
    )
    return {key: int(n) for key, n in connection.execute(query)}


def event_stats(database: Database, filters: EventFilters | None = None) -> dict[str, Any]:
    """Counts of the matching Events: ``total``, and per ``days`` (first day, ISO), ``types``,
    ``countries`` and ``admin1`` (undated or unlocated Events count only in ``total``)."""
    filters = filters or EventFilters()
    c = events.c
    with database.engine.connect() as connection:
        where = filter_clauses(connection, filters)
        total = connection.scalar(
            select(func.count()).select_from(events).where(and_(true(), *where))
        )
        days = _tally(connection, c.date_start, where)
        return {
            "total": int(total or 0),
            "days": {_iso(day): n for day, n in days.items()},
            "types": _tally(connection, c.event, where),
            "countries": _tally(connection, c.location_country, where),
            "admin1": _tally(connection, c.location_admin1, where),
        }


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def event_documents(database: Database, event: Event) -> list[dict[str, Any]]:
    """The documents of an Event's mentions (id, title, outlet, URL, published), by id."""
    ids = sorted({r.document for r in event.mentions})
    if not ids:
        return []
    with database.engine.connect() as connection:
        query = select(
            documents.c.id, documents.c.title, documents.c.source, documents.c.url,
            documents.c.published,
        ).where(documents.c.id.in_(ids)).order_by(documents.c.id)  # fmt: skip
        return [dict(r._mapping) for r in connection.execute(query)]

