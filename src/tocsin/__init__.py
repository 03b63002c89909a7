"""Tocsin: conflict and crisis events from news and social posts, with evidence and alerts."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def extract(
    text: str,
    published: Any = None,
    *,
    kind: str = "article",
    toponyms: Any = None,
    verbs: Any = None,
) -> dict[str, Any]:
    """Analyse one text without storing it; the same record as ``tocsin extract --json``.

    ``kind``: ``"article"`` or ``"note"`` (a coder's note of one event). ``toponyms`` /
    ``verbs``: character spans of toponyms / event words known beforehand (see
    ``tocsin.extraction.extract``)."""
    from tocsin.extraction import extract as _extract

    return _extract(text, published=published, kind=kind, toponyms=toponyms, verbs=verbs)


def events(db: Any, **filters: Any) -> Any:
    """The fused Events matching ``filters`` (the fields of ``tocsin.queries.EventFilters``,
    plus ``limit``) as a pandas DataFrame, one row per Event; ``db`` is a URL, a path or an
    open ``Database``."""
    from tocsin.event_api import events_frame

    return events_frame(db, **filters)


def totals(db: Any, **filters: Any) -> Any:
    """The cumulative totals ("37,100 killed since the war began"), which are not Events,
    matching ``filters`` (country, category, since, until, text, limit) as a pandas DataFrame."""
    from tocsin.event_api import totals_frame

    return totals_frame(db, **filters)


def event(db: Any, event_id: str) -> Any:
    """One fused Event (``tocsin.records.Event``) with all its mentions, or None."""
    from tocsin.event_api import one_event

    return one_event(db, event_id)


def split_event(db: Any, event_id: str, mention_ids: Any, note: str | None = None) -> Any:
    """Move mentions out of a stored Event into their own; the correction survives re-runs."""
    from tocsin.event_api import split_event as _split

    return _split(db, event_id, mention_ids, note)


def merge_events(db: Any, first_id: str, second_id: str, note: str | None = None) -> Any:
    """Make two stored Events one; the correction survives re-runs. Returns the merged Event."""
    from tocsin.event_api import merge_events as _merge

    return _merge(db, first_id, second_id, note)


__all__ = ["__version__", "event", "events", "extract", "merge_events", "split_event", "totals"]
