"""Event mentions: who did what to whom, where, when, how many (see issue 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin.records import Document, EventMention, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from tocsin.resources import Resources


def find_events(
    document: Document, parsed: Doc, places: list[Place], resources: Resources
) -> list[EventMention]:
    """Every event mention of ``parsed``. Placeholder until the event extractor lands."""
    return []
