"""Fused Events to rows of ``events`` and back, with their mentions from the link table.

``event_row`` flattens an Event (without its mentions) into the columns of ``events``;
``read_events`` rebuilds Events from rows of ``events``, reading each one's mentions (evidence
sentence and offsets from ``event_mentions``; outlet, URL and publication date from
``documents``) in canonical order: earliest publication first, undated last, then mention id.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, select

from tocsin.records import Actor, CountReport, Counts, DateSpan, Event, MentionRef
from tocsin.store.models import DocumentRow, EventMentionLink, EventRow, MentionRow
from tocsin.store.rows import place_from_row, upper_from_text, upper_text

events: Table = EventRow.__table__  # type: ignore[assignment]
links: Table = EventMentionLink.__table__  # type: ignore[assignment]
event_mentions: Table = MentionRow.__table__  # type: ignore[assignment]
documents: Table = DocumentRow.__table__  # type: ignore[assignment]

COUNT_KINDS = ("killed", "injured", "displaced", "arrested", "abducted")
_PLACE_FIELDS = (
    "text", "start", "end", "sentence", "name", "geonameid", "country", "admin1", "lat", "lon",
    "precision", "metonym", "score",
)  # fmt: skip
# Columns that say when a row was written, not what it holds.
TIMESTAMP_COLUMNS = ("created_at", "updated_at")
_ID_CHUNK = 500


def _actor_columns(prefix: str, actor: Actor | None) -> dict[str, Any]:
    return {
        f"{prefix}_{name}": getattr(actor, name) if actor else None
        for name in ("text", "country", "sector", "group")
    }


def event_row(event: Event) -> dict[str, Any]:
    """The columns of ``events`` for one Event (timestamps excluded)."""
    acled = event.acled or []
    date = event.date or DateSpan()
    place = event.location
    row: dict[str, Any] = {
        "id": event.id,
        "event": event.event,
        "mode": event.mode,
        "acled_type": acled[0] if acled else None,
        "acled_sub_type": acled[1] if len(acled) > 1 else None,
        **_actor_columns("actor1", event.actor1),
        **_actor_columns("actor2", event.actor2),
        "date_start": date.start,
        "date_end": date.end,
        "date_precision": date.precision,
        "count_qualifier": event.counts.qualifier,
        "count_unit": event.counts.unit,
        "count_upper": upper_text(event.counts),
        "modality": event.modality,
        "confidence": event.confidence,
        "sources": event.sources,
        "reports": len(event.mentions),
        "conflicting_counts": event.conflicting_counts,
        "count_reports": json.dumps(
            [dataclasses.asdict(r) for r in event.count_reports], sort_keys=True
        ),
    }
    for name in _PLACE_FIELDS:
        row[f"location_{name}"] = getattr(place, name) if place else None
    for kind in COUNT_KINDS:
        row[kind] = getattr(event.counts, kind)
    return row


def comparable(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row without its timestamps (and without PostGIS's ``geom``), to detect real changes."""
    return {
        k: (bool(v) if k in ("conflicting_counts", "location_metonym") and v is not None else v)
        for k, v in row.items()
        if k not in TIMESTAMP_COLUMNS and k != "geom"
    }


def _actor(row: Mapping[str, Any], prefix: str) -> Actor | None:
    if row[f"{prefix}_text"] is None:
        return None
    return Actor(
        row[f"{prefix}_text"], row[f"{prefix}_country"], row[f"{prefix}_sector"],
        row[f"{prefix}_group"],
    )  # fmt: skip


def event_from_row(row: Mapping[str, Any], refs: list[MentionRef]) -> Event:
    """An Event from a row of ``events`` and its mentions."""
    acled = [v for v in (row["acled_type"], row["acled_sub_type"]) if v is not None]
    dates = (row["date_start"], row["date_end"], row["date_precision"])
    reports = [CountReport(**r) for r in json.loads(row["count_reports"] or "[]")]
    return Event(
        id=row["id"],
        event=row["event"],
        mode=row["mode"],
        acled=acled or None,
        actor1=_actor(row, "actor1"),
        actor2=_actor(row, "actor2"),
        location=place_from_row(row, "location_") if row["location_text"] is not None else None,
        date=DateSpan(*dates) if any(v is not None for v in dates) else None,
        counts=Counts(
            **{kind: row[kind] for kind in COUNT_KINDS},
            qualifier=row["count_qualifier"],
            unit=row["count_unit"],
            upper=upper_from_text(row["count_upper"]),
        ),
        modality=row["modality"],
        confidence=row["confidence"],
        sources=row["sources"],
        mentions=refs,
        count_reports=reports,
        conflicting_counts=bool(row["conflicting_counts"]),
    )


def _canonical(ref: MentionRef) -> tuple[int, str]:
    published = ref.published.toordinal() if ref.published else dt.date.max.toordinal()
    return (published, ref.mention)


def mention_refs(connection: Connection, event_ids: Sequence[str]) -> dict[str, list[MentionRef]]:
    """The mentions of each Event, in canonical order."""
    found: dict[str, list[MentionRef]] = {i: [] for i in event_ids}
    query = (
        select(
            links.c.event_id,
            links.c.mention_id,
            event_mentions.c.document_id,
            event_mentions.c.evidence_sentence,
            event_mentions.c.evidence_start,
            event_mentions.c.evidence_end,
            documents.c.source,
            documents.c.url,
            documents.c.published,
        )
        .join(event_mentions, event_mentions.c.id == links.c.mention_id)
        .join(documents, documents.c.id == event_mentions.c.document_id)
    )
    ids = list(event_ids)
    for i in range(0, len(ids), _ID_CHUNK):
        chunk = ids[i : i + _ID_CHUNK]
        for r in connection.execute(query.where(links.c.event_id.in_(chunk))):
            found[r.event_id].append(
                MentionRef(
                    mention=r.mention_id, document=r.document_id, sentence=r.evidence_sentence,
                    start=r.evidence_start, end=r.evidence_end, source=r.source, url=r.url,
                    published=r.published,
                )  # fmt: skip
            )
    for refs in found.values():
        refs.sort(key=_canonical)
    return found


def read_events(connection: Connection, rows: Iterable[Mapping[Any, Any]]) -> list[Event]:
    """Events for rows of ``events`` (in the rows' order), with their mentions."""
    rows = list(rows)
    refs = mention_refs(connection, [r["id"] for r in rows])
    return [event_from_row(r, refs[r["id"]]) for r in rows]


def select_events() -> Any:
    """SELECT of every column of ``events`` that the models map (not PostGIS's ``geom``)."""
    return select(events)
