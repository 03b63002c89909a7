"""Process one text or document without storing it: the Python API behind ``tocsin extract``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tocsin.pipeline import analyse
from tocsin.records import Document, DocumentResult, Failure
from tocsin.resources import Resources, shared_resources


class ExtractionError(RuntimeError):
    """The document could not be analysed; the message says at which stage and why."""


def extract_document(document: Document, resources: Resources | None = None) -> DocumentResult:
    resources = resources or shared_resources()
    (result,) = analyse([document], resources)
    if isinstance(result, Failure):
        raise ExtractionError(f"{result.stage}: {result.reason}")
    return result


def extract(
    text: str,
    published: dt.date | str | None = None,
    resources: Resources | None = None,
) -> dict[str, Any]:
    """Clean and analyse ``text``; returns the record that ``tocsin extract --json`` prints."""
    from tocsin.sources import ReadOptions, read_text

    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    document = read_text(text, ReadOptions(published=published))
    return extract_document(document, resources).to_dict()
