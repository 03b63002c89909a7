"""Records back from their JSON form: the inverse of ``to_dict`` for mentions and Events.

Used to read JSON Lines exports and Parquet rows back, and by tests that write mentions as JSON.
Unknown keys are ignored; missing keys take the dataclass defaults.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from tocsin.records import (
    Actor,
    CountReport,
    Counts,
    DateSpan,
    Event,
    EventMention,
    Evidence,
    MentionRef,
    Place,
)

T = TypeVar("T")


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _simple(cls: type[T], data: Mapping[str, Any] | None) -> T | None:
    if data is None:
        return None
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


def _date_span(data: Mapping[str, Any] | None) -> DateSpan | None:
    if data is None:
        return None
    return DateSpan(_date(data.get("start")), _date(data.get("end")), data.get("precision"))


def _counts(data: Mapping[str, Any] | None) -> Counts:
    return _simple(Counts, data) or Counts()


def mention_from_dict(data: Mapping[str, Any]) -> EventMention:
    """An EventMention from ``EventMention.to_dict()`` output (or a hand-written equivalent)."""
    evidence = _simple(Evidence, data["evidence"])
    assert evidence is not None
    return EventMention(
        event=data["event"],
        evidence=evidence,
        mode=data.get("mode"),
        acled=list(data["acled"]) if data.get("acled") else None,
        actor1=_simple(Actor, data.get("actor1")),
        actor2=_simple(Actor, data.get("actor2")),
        location=_simple(Place, data.get("location")),
        date=_date_span(data.get("date")),
        counts=_counts(data.get("counts")),
        modality=data.get("modality", "asserted"),
        confidence=float(data.get("confidence", 0.5)),
        source=data.get("source"),
        trigger=data.get("trigger"),
    )


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """An Event from ``Event.to_dict()`` output."""
    refs = []
    for ref in data.get("mentions") or []:
        made = _simple(MentionRef, ref)
        assert made is not None
        made.published = _date(made.published)
        refs.append(made)
    reports = [r for r in (_simple(CountReport, x) for x in data.get("count_reports") or []) if r]
    return Event(
        id=data["id"],
        event=data["event"],
        mode=data.get("mode"),
        acled=list(data["acled"]) if data.get("acled") else None,
        actor1=_simple(Actor, data.get("actor1")),
        actor2=_simple(Actor, data.get("actor2")),
        location=_simple(Place, data.get("location")),
        date=_date_span(data.get("date")),
        counts=_counts(data.get("counts")),
        modality=data.get("modality", "asserted"),
        confidence=float(data.get("confidence", 0.5)),
        sources=int(data.get("sources", 1)),
        mentions=refs,
        count_reports=reports,
        conflicting_counts=bool(data.get("conflicting_counts", False)),
    )
