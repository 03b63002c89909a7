"""GeoParquet export: one row per Event, the flat columns of every export, and its reader.

The columns are those of ``data/event_columns.toml``, with the same names and types as the CSV,
the GeoJSON properties and the DataFrame (strings, int64, float64, date32, bool, list<string>).
Then come ``geometry``, the Event's place as a WKB Point (null when it has no coordinates), and
three nested columns that keep the rest of the Event: ``place`` (the whole place record, with its
offsets), ``mentions`` and ``count_reports``. So ``read_parquet`` gives back the same records.

The file is GeoParquet 1.1: its ``geo`` metadata names ``geometry`` as the primary column, WKB
encoded, of Points, with its bounding box; no ``crs`` means OGC:CRS84 (longitude, latitude in
WGS 84), which is what the coordinates are.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tocsin.exports.event_columns import event_columns
from tocsin.exports.flat_event import flat_event
from tocsin.exports.wkb import point_wkb
from tocsin.records import Actor, CountReport, Counts, DateSpan, Event, MentionRef, Place

GEOPARQUET_VERSION = "1.1.0"
GEOMETRY = "geometry"

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "real": pa.float64(),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
    "strings": pa.list_(pa.string()),
}
_ACTOR_FIELDS = ("country", "sector", "group")
_COUNT_KINDS = ("killed", "injured", "displaced", "arrested", "abducted")

PLACE_TYPE = pa.struct(
    [
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("sentence", pa.int32()),
        ("name", pa.string()),
        ("geonameid", pa.int64()),
        ("country", pa.string()),
        ("admin1", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("precision", pa.string()),
        ("metonym", pa.bool_()),
        ("score", pa.float64()),
    ]
)
MENTION_TYPE = pa.struct(
    [
        ("mention", pa.string()),
        ("document", pa.string()),
        ("sentence", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("published", pa.date32()),
    ]
)
REPORT_TYPE = pa.struct(
    [
        ("kind", pa.string()),
        ("value", pa.int64()),
        ("qualifier", pa.string()),
        ("mention", pa.string()),
        ("source", pa.string()),
    ]
)


def parquet_schema() -> pa.Schema:
    """The flat columns, then ``geometry``, ``place``, ``mentions`` and ``count_reports``."""
    return pa.schema(
        [(c.name, _ARROW_TYPES[c.type]) for c in event_columns()]
        + [
            (GEOMETRY, pa.binary()),
            ("place", PLACE_TYPE),
            ("mentions", pa.list_(MENTION_TYPE)),
            ("count_reports", pa.list_(REPORT_TYPE)),
        ]
    )


def _row(event: Event) -> dict[str, Any]:
    row = flat_event(event)
    for column in event_columns():
        if column.type == "date" and row[column.name] is not None:
            row[column.name] = dt.date.fromisoformat(row[column.name])
    place = event.location
    row[GEOMETRY] = None
    if place is not None and place.lat is not None and place.lon is not None:
        row[GEOMETRY] = point_wkb(place.lon, place.lat)
    row["place"] = vars(place).copy() if place is not None else None
    row["mentions"] = [vars(ref).copy() for ref in event.mentions]
    row["count_reports"] = [vars(report).copy() for report in event.count_reports]
    return row


def _geo_metadata(table: pa.Table) -> dict[str, Any]:
    """GeoParquet 1.1 file metadata for the ``geometry`` column of ``table``."""
    named = {c.type: c.name for c in event_columns()}
    points = [
        (x, y)
        for x, y in zip(
            table.column(named["longitude"]).to_pylist(),
            table.column(named["latitude"]).to_pylist(),
            strict=True,
        )
        if x is not None and y is not None
    ]
    column: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"]}
    if points:
        lons, lats = [x for x, _ in points], [y for _, y in points]
        column["bbox"] = [min(lons), min(lats), max(lons), max(lats)]
    return {
        "version": GEOPARQUET_VERSION,
        "primary_column": GEOMETRY,
        "columns": {GEOMETRY: column},
    }


def events_table(events: Iterable[Event]) -> pa.Table:
    """The Events as an Arrow table with ``parquet_schema()`` and the GeoParquet metadata."""
    table = pa.Table.from_pylist([_row(e) for e in events], schema=parquet_schema())
    geo = json.dumps(_geo_metadata(table)).encode("utf-8")
    return table.replace_schema_metadata({**(table.schema.metadata or {}), b"geo": geo})


def to_parquet(events: Iterable[Event], path: str | Path) -> int:
    """Write the Events to a GeoParquet file; return the number of rows."""
    table = events_table(events)
    pq.write_table(table, str(path))
    return table.num_rows


def _actor(row: dict[str, Any], side: str) -> Actor | None:
    text = row[side]
    values = {f: row[f"{side}_{f}"] for f in _ACTOR_FIELDS}
    if text is None and all(v is None for v in values.values()):
        return None
    return Actor(text or "", values["country"], values["sector"], values["group"])


def _event(row: dict[str, Any]) -> Event:
    place = Place(**row["place"]) if row["place"] is not None else None
    date = None
    if row["date_start"] is not None or row["date_end"] is not None or row["date_precision"]:
        date = DateSpan(row["date_start"], row["date_end"], row["date_precision"])
    acled = [row["acled_event_type"]] if row["acled_event_type"] is not None else None
    if acled is not None and row["acled_sub_event_type"] is not None:
        acled.append(row["acled_sub_event_type"])
    return Event(
        id=row["id"],
        event=row["event"],
        mode=row["mode"],
        acled=acled,
        actor1=_actor(row, "actor1"),
        actor2=_actor(row, "actor2"),
        location=place,
        date=date,
        counts=Counts(
            **{kind: row[kind] for kind in _COUNT_KINDS},
            qualifier=row["count_qualifier"],
            unit=row["count_unit"],
            upper=json.loads(row["count_upper"]) if row.get("count_upper") else {},
        ),
        modality=row["modality"],
        confidence=row["confidence"],
        sources=row["sources"],
        mentions=[MentionRef(**m) for m in row["mentions"] or []],
        count_reports=[CountReport(**r) for r in row["count_reports"] or []],
        conflicting_counts=bool(row["conflicting_counts"]),
    )


def read_parquet(path: str | Path) -> list[Event]:
    """The Events of a Parquet export."""
    return [_event(row) for row in pq.read_table(str(path)).to_pylist()]
