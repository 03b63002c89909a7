"""What every evaluation reads from the record ``tocsin.extract`` returns.

The *top* mention of a document is defined here, once: among its asserted event mentions, the
one with the highest confidence, the earliest in the returned list on a tie (``find_events``
lists a note's main event first with the top confidence). A document without an asserted
mention has no top mention; type figures score it as ``NO_EVENT``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

NO_EVENT = "no event"

Record = dict[str, Any]


def asserted(events: Sequence[Record]) -> list[Record]:
    """The asserted event mentions of an extraction record's ``events``, in their order."""
    return [event for event in events if event.get("modality") == "asserted"]


def top_mention(events: Sequence[Record]) -> Record | None:
    """The document's top asserted event mention, or None."""
    best: Record | None = None
    for event in asserted(events):
        if best is None or float(event.get("confidence") or 0.0) > float(
                best.get("confidence") or 0.0):
            best = event
    return best


def acled_label(event: Record | None, level: int) -> str:
    """The ACLED type (level 0) or sub-type (level 1) of a mention; ``NO_EVENT`` without one.

    A mention of a category ACLED does not code (``acled`` null) is labelled ``Other``.
    """
    if event is None:
        return NO_EVENT
    acled = event.get("acled")
    if not acled or len(acled) <= level or not acled[level]:
        return "Other"
    return str(acled[level])


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def trigger_spans(event: Record) -> list[tuple[int, int]]:
    """Character spans in the document of each occurrence of the mention's trigger text inside
    its evidence sentence (the record gives the sentence's offsets and the trigger's text)."""
    trigger = (event.get("trigger") or "").strip()
    evidence = event.get("evidence") or {}
    sentence = evidence.get("sentence") or ""
    start = evidence.get("start")
    if not trigger or start is None:
        return []
    spans = []
    at = sentence.find(trigger)
    while at >= 0:
        spans.append((int(start) + at, int(start) + at + len(trigger)))
        at = sentence.find(trigger, at + 1)
    return spans


def rate(right: int, total: int) -> float | None:
    """right / total rounded to four places; None when nothing was scored."""
    return round(right / total, 4) if total else None
