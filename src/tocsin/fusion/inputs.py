"""What fusion needs to know about one event mention: the mention and facts about its document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tocsin.records import EventMention


def mention_id(document_id: str, index: int) -> str:
    """The id of the ``index``-th event mention of a document (its position in ``events``)."""
    return f"{document_id}:{index}"


@dataclass(slots=True)
class MentionInput:
    """One event mention with its document's outlet, URL, publication date and text fingerprint.

    ``text_fingerprint`` is ``tocsin.fusion.fingerprint(document.text)``: documents whose
    fingerprints are near-identical are copies of one story and count as one source.
    ``source`` is the outlet (publisher, feed or account), not the claim source of the mention.
    """

    id: str
    mention: EventMention
    document_id: str
    text_fingerprint: tuple[int, ...] | None = None
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
