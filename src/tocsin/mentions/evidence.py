"""The evidence of an event mention: its sentence, without surrounding white space, with the
sentence's character offsets in the document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin.records import Document, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Span


def evidence_of(document: Document, sentence: Span) -> Evidence:
    text = sentence.text
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    start = sentence.start_char + lead
    return Evidence(document.id, stripped, start, start + len(stripped))
