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
- ``near`` (latitude, longitude) with ``within_km`` (default 50): the Event's place lies within
  that great-circle distance. PostgreSQL narrows with the GiST index on the point (``&&`` a box
  round the circle), then keeps ``ST_DWithin`` on the geography; SQLite narrows with the
  latitude/longitude columns, then keeps the haversine distance (a function Tocsin registers
  on each SQLite connection);
- ``modality``: "asserted" by default; None keeps every modality;
- ``min_sources``: at least this many independent sources;
- ``text``: words found in an evidence sentence of the Event, its place or its actors.

Events are sorted by date (undated last), then id. ``after`` continues a listing after the given
Event id (or a retired id of it), or after an opaque ``"<date>|<id>"`` key (``cursor_key``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    and_,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
)

from tocsin.geodesy import radius_box
from tocsin.records import Event
from tocsin.store import Database
from tocsin.store.event_count_tables import (
    NO_DAY,
    NO_PLACE,
    EventDayCountRow,
    EventPlaceCountRow,
)
from tocsin.store.event_rows import (
    documents,
    event_from_row,
    event_mentions,
    events,
    links,
    read_events,
)
from tocsin.store.fusion_tables import EventAliasRow
from tocsin.store.map_cell_tables import CELL_DEGREES, EventCellRow

aliases = EventAliasRow.__table__
event_cells = EventCellRow.__table__
day_counts = EventDayCountRow.__table__
place_counts = EventPlaceCountRow.__table__
DEFAULT_RADIUS_KM = 50.0


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
    near: tuple[float, float] | None = None  # latitude, longitude
    within_km: float | None = None


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
        geom: ColumnElement[Any] = literal_column("events.geom")
        return or_(
            *(
                geom.op("&&")(func.ST_MakeEnvelope(w, south, e, north, 4326))
                for w, e in spans
            )
        )
    lat, lon = events.c.location_lat, events.c.location_lon
    # SQLite keeps no statistics here: it is told which share of the record a band of
    # latitude holds, so that a narrow one is read through ix_events_spatial_listing and
    # sorted rather than the whole record walked in date order.
    share = min(1.0, max(1e-6, (north - south) / 180.0))
    # Untyped: a Boolean function would be compared with 1, which SQLite cannot see through.
    band: ColumnElement[Any] = func.likelihood(lat.between(south, north),
                                               literal_column(f"{share:.6f}"))
    return and_(band, or_(*(lon.between(w, e) for w, e in spans)))


def checked_point(lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) when both are in range, else ValueError with the reason."""
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError("near: latitude must be within -90..90 and longitude within -180..180")
    return lat, lon


def parse_point(value: str) -> tuple[float, float]:
    """``"LAT,LON"`` in degrees, checked; ValueError with the reason otherwise."""
    try:
        lat, lon = (float(p) for p in value.split(","))
    except ValueError as error:
        raise ValueError("near: expected two numbers: latitude,longitude") from error
    return checked_point(lat, lon)


def _radius_clause(
    connection: Connection, near: tuple[float, float], km: float
) -> ColumnElement[bool]:
    lat, lon = checked_point(*near)
    if km < 0:
        raise ValueError("within_km must not be negative")
    box = _bbox_clause(connection, radius_box(lat, lon, km))
    if connection.dialect.name == "postgresql":
        centre = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
        exact = func.ST_DWithin(
            func.geography(literal_column("events.geom")), func.geography(centre), km * 1000.0
        )
        return and_(box, exact)
    c = events.c
    return and_(box, func.tocsin_km(c.location_lat, c.location_lon, lat, lon) <= km)


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
    if filters.near is not None:
        km = DEFAULT_RADIUS_KM if filters.within_km is None else filters.within_km
        where.append(_radius_clause(connection, filters.near, km))
    elif filters.within_km is not None:
        raise ValueError("within_km needs near (a latitude and longitude)")
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


def _cursor(connection: Connection, after: str) -> tuple[dt.date | None, str]:
    """The (first day, id) that a listing continues after."""
    if "|" in after:
        day, _, event_id = after.partition("|")
        try:
            start = dt.date.fromisoformat(day) if day else None
        except ValueError as error:
            raise ValueError(f"malformed cursor {after!r}") from error
        return start, event_id
    found = _resolve(connection, after)
    if found is None:
        raise LookupError(f"unknown event {after!r}")
    return connection.scalar(select(events.c.date_start).where(events.c.id == found)), found


def _listing_parts(
    connection: Connection, where: list[ColumnElement[bool]], after: str | None
) -> list[tuple[list[ColumnElement[bool]], tuple[Any, ...]]]:
    """The listing as two parts in order, each (conditions, ORDER BY): dated Events by day and
    id, then undated ones by id. Each part can walk the index on (modality, date_start, id)
    and stop at the limit, where one ORDER BY on ``date_start IS NULL`` would sort them all."""
    c = events.c
    dated = [*where, c.date_start.is_not(None)]
    undated = [*where, c.date_start.is_(None)]
    if after:
        start, event_id = _cursor(connection, after)
        if start is None:
            return [([*undated, c.id > event_id], (c.id,))]
        dated.append(or_(c.date_start > start, and_(c.date_start == start, c.id > event_id)))
    return [(dated, (c.date_start, c.id)), (undated, (c.id,))]


# Pages up to this size find their ids first, then read those rows.
_IDS_FIRST = 10_000


def _page(
    connection: Connection, conditions: list[ColumnElement[bool]], order: tuple[Any, ...],
    limit: int,
) -> list[Any]:
    """One page of a listing part: the ids first, then their rows. Finding the ids can read a
    covering index alone (PostgreSQL's index-only scan), so the conditions it cannot put in
    the index's range (a date window's COALESCE) are checked on index entries, not on a table
    row fetched for each entry passed over."""
    ids = list(connection.scalars(
        select(events.c.id).where(and_(true(), *conditions)).order_by(*order).limit(limit)))
    if not ids:
        return []
    found = {r["id"]: r for r in
             connection.execute(select(events).where(events.c.id.in_(ids))).mappings()}
    return [found[i] for i in ids]


def query_events(
    database: Database,
    filters: EventFilters | None = None,
    limit: int | None = None,
    after: str | None = None,
    with_mentions: bool = True,
) -> list[Event]:
    """The Events matching ``filters``, by date then id, each with all its mentions (none with
    ``with_mentions=False``, which spares reading them for listings that do not show them)."""
    filters = filters or EventFilters()
    with database.engine.connect() as connection:
        where = filter_clauses(connection, filters)
        rows: list[Any] = []
        for conditions, order in _listing_parts(connection, where, after):
            wanted = None if limit is None else max(limit, 0) - len(rows)
            if wanted is not None and wanted <= 0:
                break
            if wanted is not None and wanted <= _IDS_FIRST:
                rows.extend(_page(connection, conditions, order, wanted))
                continue
            query = select(events).where(and_(true(), *conditions)).order_by(*order)
            if wanted is not None:
                query = query.limit(wanted)
            rows.extend(connection.execute(query).mappings().all())
        if not with_mentions:
            return [event_from_row(r, []) for r in rows]
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


def _tallies(
    connection: Connection, columns: tuple[Any, Any], where: list[ColumnElement[bool]]
) -> list[tuple[Any, Any, int]]:
    query = (
        select(*columns, func.count())
        .select_from(events)
        .where(and_(true(), *where))
        .group_by(*columns)
    )
    return [(first, second, int(n)) for first, second, n in connection.execute(query)]


def _only(filters: EventFilters, allowed: set[str]) -> bool:
    """Whether ``filters`` sets nothing beyond the fields in ``allowed``."""
    return all(getattr(filters, f.name) in (None, "") for f in fields(EventFilters)
               if f.name not in allowed)


def _counted_tallies(
    connection: Connection, filters: EventFilters
) -> tuple[list[tuple[Any, Any, int]], list[tuple[Any, Any, int]]] | None:
    """``event_stats``'s two tallies summed from the tables that triggers keep
    (``event_day_counts``, ``event_place_counts``) when no filter but modality and category is
    set; None otherwise."""
    if not _only(filters, {"modality", "type"}):
        return None
    tallies: list[list[tuple[Any, Any, int]]] = []
    for table, columns, nothing in ((day_counts, ("day", "event"), NO_DAY),
                                    (place_counts, ("country", "admin1"), NO_PLACE)):
        keys = [table.c[name] for name in columns]
        where: list[ColumnElement[bool]] = []
        if filters.modality:
            where.append(table.c.modality == filters.modality.strip().lower())
        if filters.type:
            where.append(table.c.event == filters.type.strip().upper())
        query = (select(*keys, func.sum(table.c.events)).where(and_(true(), *where))
                 .group_by(*keys))
        tallies.append([
            (None if row[0] == nothing else row[0], None if row[1] == NO_PLACE else row[1],
             int(row[2]))
            for row in connection.execute(query) if row[2]
        ])
    return tallies[0], tallies[1]


def _add(tally: dict[Any, int], key: Any, n: int) -> None:
    tally[key] = tally.get(key, 0) + n


def _ordered(tally: dict[Any, int]) -> dict[str, int]:
    return {_iso(key): tally[key] for key in sorted(tally)}


def event_stats(
    database: Database, filters: EventFilters | None = None, by_type: bool = False
) -> dict[str, Any]:
    """Counts of the matching Events: ``total``, and per ``days`` (first day, ISO), ``types``,
    ``countries`` and ``admin1`` (undated or unlocated Events count only in ``total``); with
    ``by_type``, also ``days_by_type`` (category -> first day -> Events).

    Two grouped scans give all of it: by (day, category) and by (country, admin1); with no
    filter but modality and category, two sums over the counts that triggers keep instead."""
    filters = filters or EventFilters()
    c = events.c
    with database.engine.connect() as connection:
        counted = _counted_tallies(connection, filters)
        if counted is not None:
            by_day_type, by_place = counted
        else:
            where = filter_clauses(connection, filters)
            by_day_type = _tallies(connection, (c.date_start, c.event), where)
            by_place = _tallies(connection, (c.location_country, c.location_admin1), where)
    total = 0
    days: dict[Any, int] = {}
    types: dict[Any, int] = {}
    days_by_type: dict[Any, dict[Any, int]] = {}
    for day, kind, n in by_day_type:
        total += n
        if kind is not None:
            _add(types, kind, n)
        if day is not None:
            _add(days, day, n)
            if kind is not None:
                _add(days_by_type.setdefault(kind, {}), day, n)
    countries: dict[Any, int] = {}
    admin1: dict[Any, int] = {}
    for country, area, n in by_place:
        if country is not None:
            _add(countries, country, n)
        if area is not None:
            _add(admin1, area, n)
    found: dict[str, Any] = {
        "total": total,
        "days": _ordered(days),
        "types": _ordered(types),
        "countries": _ordered(countries),
        "admin1": _ordered(admin1),
    }
    if by_type:
        found["days_by_type"] = {k: _ordered(days_by_type.get(k, {})) for k in sorted(types)}
    return found


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



@dataclass
class GridCell:
    """Events in one cell of a latitude/longitude grid: ``row`` and ``column`` count cells from
    the south pole and from the antimeridian; ``lat``/``lon`` is the mean place of its events."""

    row: int
    column: int
    count: int
    lat: float
    lon: float
    types: dict[str, int]


def _cell_index(connection: Connection, column: Any, low: float, high: float, size: float) -> Any:
    """The number of the cell of ``column`` (in ``low``..``high``) counted from ``low`` in steps
    of ``size``, in SQL; ``high`` itself falls in the last cell, not one past it. SQLite's CAST
    truncates, which is the floor of a non-negative number; PostgreSQL's CAST rounds."""
    top = high - 1e-9
    if connection.dialect.name == "postgresql":
        return func.floor((func.least(column, top) - low) / size)
    return cast((func.min(column, top) - low) / size, Integer)


_CELL_FILTERS = {"modality", "type", "bbox"}


def _aligned(value: float, origin: float, size: float) -> int | None:
    """``(value - origin) / size`` when it is a whole number, else None."""
    steps = (value - origin) / size
    whole = round(steps)
    return whole if abs(steps - whole) < 1e-9 else None


def _cell_spans(
    filters: EventFilters, size: float
) -> tuple[tuple[int, int], list[tuple[int, int]]] | None:
    """The rows and the column spans (first, last, in cells of ``size``) that ``filters``
    covers when the stored cells can answer it: no filter but modality, category and a box on
    the cells' edges (or none). None otherwise."""
    if not _only(filters, _CELL_FILTERS):
        return None
    west, south, east, north = filters.bbox or (-180.0, -90.0, 180.0, 90.0)
    edges = (_aligned(west, -180.0, size), _aligned(south, -90.0, size),
             _aligned(east, -180.0, size), _aligned(north, -90.0, size))
    if None in edges:
        return None
    first_column, first_row, end_column, end_row = (int(e) for e in edges)  # type: ignore[arg-type]
    if end_row <= first_row or end_column == first_column:
        return None
    if first_column < end_column:
        return (first_row, end_row - 1), [(first_column, end_column - 1)]
    last = round(360.0 / size) - 1
    return (first_row, end_row - 1), [(first_column, last), (0, end_column - 1)]


def _stored_cells(
    connection: Connection, filters: EventFilters, size: float
) -> list[tuple[int, int, str, int, float, float]] | None:
    """The grouped rows of ``event_grid`` summed from ``event_cells``, when it can answer."""
    ratio = size / CELL_DEGREES
    factor = round(ratio)
    if factor < 1 or abs(ratio - factor) > 1e-9 or factor & (factor - 1):
        return None
    spans = _cell_spans(filters, size)
    if spans is None:
        return None
    (first_row, last_row), columns = spans
    c = event_cells.c
    where: list[ColumnElement[bool]] = [
        c.cell_row.between(first_row * factor, (last_row + 1) * factor - 1),
        or_(*(c.cell_column.between(w * factor, (e + 1) * factor - 1) for w, e in columns)),
    ]
    if filters.modality:
        where.append(c.modality == filters.modality.strip().lower())
    if filters.type:
        where.append(c.event == filters.type.strip().upper())
    row = (c.cell_row // factor).label("cell_row_")
    column = (c.cell_column // factor).label("cell_column_")
    query = (
        select(row, column, c.event, func.sum(c.events), func.sum(c.lat_sum),
               func.sum(c.lon_sum))
        .where(and_(*where))
        .group_by(literal_column("cell_row_"), literal_column("cell_column_"), c.event)
    )
    return [tuple(r) for r in connection.execute(query)]  # type: ignore[misc]


def event_grid(
    database: Database, filters: EventFilters | None, cell_degrees: float
) -> list[GridCell]:
    """The located Events matching ``filters`` counted per square cell of ``cell_degrees``
    (cells aligned on the south pole and the antimeridian) and per category; cells without
    Events are left out. Undated Events count; unlocated ones do not.

    With no filter but modality, category and a box on the cells' edges, and cells that are
    whole multiples of the stored ones (every map zoom up to 7), the counts are summed from
    ``event_cells``; an Event exactly on the box's northern or eastern edge then counts in the
    cell beyond it, outside the box. Otherwise one grouped scan of ``events``."""
    if not cell_degrees > 0:
        raise ValueError("cell_degrees must be positive")
    filters = filters or EventFilters()
    c = events.c
    with database.engine.connect() as connection:
        grouped = _stored_cells(connection, filters, cell_degrees)
        if grouped is None:
            where = filter_clauses(connection, filters)
            row = _cell_index(connection, c.location_lat, -90.0, 90.0, cell_degrees)
            column = _cell_index(connection, c.location_lon, -180.0, 180.0, cell_degrees)
            query = (
                select(row.label("cell_row"), column.label("cell_column"), c.event,
                       func.count(), func.sum(c.location_lat), func.sum(c.location_lon))
                .select_from(events)
                .where(and_(true(), *where, c.location_lat.is_not(None),
                            c.location_lon.is_not(None)))
                .group_by(literal_column("cell_row"), literal_column("cell_column"), c.event)
            )
            grouped = [tuple(r) for r in connection.execute(query)]  # type: ignore[misc]
    found: dict[tuple[int, int], list[Any]] = {}
    for r, col, kind, n, lat_sum, lon_sum in grouped:
        if not n:
            continue
        cell = found.setdefault((int(r), int(col)), [0, 0.0, 0.0, {}])
        cell[0] += int(n)
        cell[1] += float(lat_sum)
        cell[2] += float(lon_sum)
        if kind is not None:
            cell[3][kind] = cell[3].get(kind, 0) + int(n)
    return [
        GridCell(row=r, column=col, count=n, lat=lat / n, lon=lon / n,
                 types=dict(sorted(types.items())))
        for (r, col), (n, lat, lon, types) in sorted(found.items())
    ]
