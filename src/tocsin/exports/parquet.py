"""Parquet export: one row per Event with typed columns, and its reader.

Scalars are flat columns (strings, int64 counts, float64 coordinates and confidence, bool flags,
date32 dates); the mentions and count reports are list<struct> columns, so a file holds the full
Event and ``read_parquet`` gives back the same records.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from tocsin.records import Actor, CountReport, Counts, DateSpan, Event, MentionRef, Place

_ACTOR_FIELDS = ("text", "country", "sector", "group")
_COUNT_KINDS = ("killed", "injured", "displaced", "arrested", "abducted")

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

SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("event", pa.string()),
        ("mode", pa.string()),
        ("acled_event_type", pa.string()),
        ("acled_sub_event_type", pa.string()),
        *[(f"actor1_{f}", pa.string()) for f in _ACTOR_FIELDS],
        *[(f"actor2_{f}", pa.string()) for f in _ACTOR_FIELDS],
        ("location_text", pa.string()),
        ("location_name", pa.string()),
        ("geonameid", pa.int64()),
        ("country", pa.string()),
        ("admin1", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("precision", pa.string()),
        ("location_start", pa.int32()),
        ("location_end", pa.int32()),
        ("location_sentence", pa.int32()),
        ("metonym", pa.bool_()),
        ("location_score", pa.float64()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", pa.string()),
        *[(kind, pa.int64()) for kind in _COUNT_KINDS],
        ("count_qualifier", pa.string()),
        ("count_unit", pa.string()),
        ("modality", pa.string()),
        ("confidence", pa.float64()),
        ("sources", pa.int32()),
        ("conflicting_counts", pa.bool_()),
        ("mentions", pa.list_(MENTION_TYPE)),
        ("count_reports", pa.list_(REPORT_TYPE)),
    ]
)


def _row(event: Event) -> dict[str, Any]:
    place, date = event.location, event.date
    row: dict[str, Any] = {
        "id": event.id,
        "event": event.event,
        "mode": event.mode,
        "acled_event_type": event.acled[0] if event.acled else None,
        "acled_sub_event_type": event.acled[1] if event.acled and len(event.acled) > 1 else None,
        "location_text": place.text if place else None,
        "location_name": place.name if place else None,
        "geonameid": place.geonameid if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "precision": place.precision if place else None,
        "location_start": place.start if place else None,
        "location_end": place.end if place else None,
        "location_sentence": place.sentence if place else None,
        "metonym": place.metonym if place else None,
        "location_score": place.score if place else None,
        "date_start": date.start if date else None,
        "date_end": date.end if date else None,
        "date_precision": date.precision if date else None,
        "count_qualifier": event.counts.qualifier,
        "count_unit": event.counts.unit,
        "modality": event.modality,
        "confidence": event.confidence,
        "sources": event.sources,
        "conflicting_counts": event.conflicting_counts,
        "mentions": [vars(ref).copy() for ref in event.mentions],
        "count_reports": [vars(report).copy() for report in event.count_reports],
    }
    for side, actor in (("actor1", event.actor1), ("actor2", event.actor2)):
        for f in _ACTOR_FIELDS:
            row[f"{side}_{f}"] = getattr(actor, f) if actor else None
    for kind in _COUNT_KINDS:
        row[kind] = getattr(event.counts, kind)
    return row


def events_table(events: Iterable[Event]) -> pa.Table:
    """The Events as an Arrow table with ``SCHEMA``."""
    return pa.Table.from_pylist([_row(e) for e in events], schema=SCHEMA)


def to_parquet(events: Iterable[Event], path: str | Path) -> int:
    """Write the Events to a Parquet file; return the number of rows."""
    table = events_table(events)
    pq.write_table(table, str(path))
    return table.num_rows


def _actor(row: dict[str, Any], side: str) -> Actor | None:
    values = {f: row[f"{side}_{f}"] for f in _ACTOR_FIELDS}
    if values["text"] is None and all(v is None for v in values.values()):
        return None
    return Actor(values["text"] or "", values["country"], values["sector"], values["group"])


def _event(row: dict[str, Any]) -> Event:
    place = None
    if row["location_text"] is not None or row["location_name"] is not None:
        place = Place(
            text=row["location_text"] or "",
            start=row["location_start"] or 0,
            end=row["location_end"] or 0,
            sentence=row["location_sentence"] or 0,
            name=row["location_name"],
            geonameid=row["geonameid"],
            country=row["country"],
            admin1=row["admin1"],
            lat=row["lat"],
            lon=row["lon"],
            precision=row["precision"],
            metonym=bool(row["metonym"]),
            score=row["location_score"],
        )
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
    return [_event(row) for row in pq.read_table(str(path), schema=SCHEMA).to_pylist()]
