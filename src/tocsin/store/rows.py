"""Convert between the pipeline's records and the rows of the store's tables.

``result_rows`` flattens a ``DocumentResult`` into one list of plain dicts per table, ready
for a bulk insert; the ``*_from_row`` functions rebuild the records from rows read back.
An all-empty ``DateSpan`` is stored as no date, and an empty ``acled`` list as no ACLED type;
a mention's ``evidence.document`` is read back as the id of the document it is stored under.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tocsin.records import (
    Actor,
    Counts,
    DateSpan,
    Document,
    DocumentResult,
    Entity,
    EventMention,
    Evidence,
    Place,
    Sentence,
    Total,
)

Row = dict[str, Any]
_PLACE_FIELDS = (
    "text", "start", "end", "sentence", "name", "geonameid", "country", "admin1",
    "lat", "lon", "precision", "metonym", "score",
)
_DOCUMENT_FIELDS = (
    "id", "text", "locator", "format", "title", "author", "published", "url", "source",
    "language", "status",
)
_COUNT_FIELDS = ("killed", "injured", "displaced", "arrested", "abducted")


def mention_id(document_id: str, idx: int) -> str:
    """The id of the ``idx``-th event mention of a document."""
    return f"{document_id}:{idx}"


def total_id(document_id: str, idx: int) -> str:
    """The id of the ``idx``-th cumulative total of a document."""
    return f"{document_id}:total:{idx}"


def upper_text(counts: Counts) -> str | None:
    """A count's upper claims as JSON text (None when there are none)."""
    return json.dumps(counts.upper, sort_keys=True) if counts.upper else None


def upper_from_text(text: str | None) -> dict[str, int]:
    return {str(k): int(v) for k, v in json.loads(text).items()} if text else {}


@dataclass
class ResultRows:
    """The rows one ``DocumentResult`` becomes, by table name."""

    documents: list[Row]
    sentences: list[Row] = field(default_factory=list)
    entities: list[Row] = field(default_factory=list)
    places: list[Row] = field(default_factory=list)
    event_mentions: list[Row] = field(default_factory=list)
    totals: list[Row] = field(default_factory=list)


def _place_index(place: Place | None, places: list[Place]) -> int | None:
    if place is None:
        return None
    for i, candidate in enumerate(places):
        if candidate is place:
            return i
    for i, candidate in enumerate(places):
        if candidate == place:
            return i
    return None


def _actor_columns(prefix: str, actor: Actor | None) -> Row:
    return {
        f"{prefix}_text": actor.text if actor else None,
        f"{prefix}_country": actor.country if actor else None,
        f"{prefix}_sector": actor.sector if actor else None,
        f"{prefix}_group": actor.group if actor else None,
    }


def _mention_row(document_id: str, idx: int, mention: EventMention, places: list[Place]) -> Row:
    acled = mention.acled or []
    date = mention.date or DateSpan()
    counts = mention.counts or Counts()
    location = mention.location
    row: Row = {
        "id": mention_id(document_id, idx),
        "document_id": document_id,
        "idx": idx,
        "event": mention.event,
        "mode": mention.mode,
        "acled_type": acled[0] if len(acled) > 0 else None,
        "acled_sub_type": acled[1] if len(acled) > 1 else None,
        **_actor_columns("actor1", mention.actor1),
        **_actor_columns("actor2", mention.actor2),
        "location_place_idx": _place_index(location, places),
        "date_start": date.start,
        "date_end": date.end,
        "date_precision": date.precision,
        "count_qualifier": counts.qualifier,
        "count_unit": counts.unit,
        "count_upper": upper_text(counts),
        "modality": mention.modality,
        "confidence": mention.confidence,
        "claim_source": mention.source,
        "trigger": mention.trigger,
        "evidence_sentence": mention.evidence.sentence,
        "evidence_start": mention.evidence.start,
        "evidence_end": mention.evidence.end,
    }
    for name in _PLACE_FIELDS:
        row[f"location_{name}"] = getattr(location, name) if location else None
    for name in _COUNT_FIELDS:
        row[name] = getattr(counts, name)
    return row


def _total_row(document_id: str, idx: int, total: Total) -> Row:
    period, location = total.period, total.location
    row: Row = {
        "id": total_id(document_id, idx),
        "document_id": document_id,
        "idx": idx,
        "category": total.category,
        "value": total.value,
        "qualifier": total.qualifier,
        "unit": total.unit,
        "period_start": period.start,
        "period_end": period.end,
        "period_precision": period.precision,
        "period_text": total.period_text,
        "claim_source": total.source,
        "evidence_sentence": total.evidence.sentence,
        "evidence_start": total.evidence.start,
        "evidence_end": total.evidence.end,
    }
    for name in _PLACE_FIELDS:
        row[f"location_{name}"] = getattr(location, name) if location else None
    return row


def result_rows(result: DocumentResult) -> ResultRows:
    """Flatten a document and everything found in it into table rows."""
    document = result.document
    doc_id = document.id
    return ResultRows(
        documents=[{name: getattr(document, name) for name in _DOCUMENT_FIELDS}],
        sentences=[
            {"document_id": doc_id, "index": s.index, "start": s.start, "end": s.end,
             "text": s.text}
            for s in result.sentences
        ],
        entities=[
            {"document_id": doc_id, "idx": i, "text": e.text, "label": e.label,
             "start": e.start, "end": e.end, "sentence": e.sentence}
            for i, e in enumerate(result.entities)
        ],
        places=[
            {"document_id": doc_id, "idx": i, **{n: getattr(p, n) for n in _PLACE_FIELDS}}
            for i, p in enumerate(result.places)
        ],
        event_mentions=[
            _mention_row(doc_id, i, m, result.places) for i, m in enumerate(result.events)
        ],
        totals=[_total_row(doc_id, i, t) for i, t in enumerate(result.totals)],
    )


def document_from_row(row: Mapping[Any, Any]) -> Document:
    return Document(**{name: row[name] for name in _DOCUMENT_FIELDS})


def sentence_from_row(row: Mapping[str, Any]) -> Sentence:
    return Sentence(index=row["index"], start=row["start"], end=row["end"], text=row["text"])


def entity_from_row(row: Mapping[str, Any]) -> Entity:
    return Entity(
        text=row["text"], label=row["label"], start=row["start"], end=row["end"],
        sentence=row["sentence"],
    )


def place_from_row(row: Mapping[str, Any], prefix: str = "") -> Place:
    values = {name: row[prefix + name] for name in _PLACE_FIELDS}
    values["metonym"] = bool(values["metonym"])
    return Place(**values)


def _actor_from_row(row: Mapping[str, Any], prefix: str) -> Actor | None:
    if row[f"{prefix}_text"] is None:
        return None
    return Actor(
        text=row[f"{prefix}_text"], country=row[f"{prefix}_country"],
        sector=row[f"{prefix}_sector"], group=row[f"{prefix}_group"],
    )


def mention_from_row(row: Mapping[str, Any]) -> EventMention:
    acled = [v for v in (row["acled_type"], row["acled_sub_type"]) if v is not None]
    date_values = (row["date_start"], row["date_end"], row["date_precision"])
    return EventMention(
        event=row["event"],
        evidence=Evidence(
            document=row["document_id"], sentence=row["evidence_sentence"],
            start=row["evidence_start"], end=row["evidence_end"],
        ),
        mode=row["mode"],
        acled=acled or None,
        actor1=_actor_from_row(row, "actor1"),
        actor2=_actor_from_row(row, "actor2"),
        location=place_from_row(row, "location_") if row["location_text"] is not None else None,
        date=DateSpan(*date_values) if any(v is not None for v in date_values) else None,
        counts=Counts(
            **{name: row[name] for name in _COUNT_FIELDS},
            qualifier=row["count_qualifier"], unit=row["count_unit"],
            upper=upper_from_text(row["count_upper"]),
        ),
        modality=row["modality"],
        confidence=row["confidence"],
        source=row["claim_source"],
        trigger=row["trigger"],
    )


def total_from_row(row: Mapping[Any, Any]) -> Total:
    """A ``Total`` from a row of ``totals``."""
    return Total(
        category=row["category"],
        value=row["value"],
        evidence=Evidence(
            document=row["document_id"], sentence=row["evidence_sentence"],
            start=row["evidence_start"], end=row["evidence_end"],
        ),
        qualifier=row["qualifier"],
        unit=row["unit"],
        period=DateSpan(row["period_start"], row["period_end"], row["period_precision"]),
        period_text=row["period_text"],
        location=place_from_row(row, "location_") if row["location_text"] is not None else None,
        source=row["claim_source"],
    )
