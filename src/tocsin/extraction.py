"""Process one text or document without storing it: the Python API behind ``tocsin extract``.

Every figure Tocsin reports about itself is measured through this module: end-to-end
evaluations call ``extract``; evaluations given gold input call it with ``toponyms`` (gold
toponym spans) or ``verbs`` (gold event words), which run the same stages with those spans in
place of recognition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from tocsin.pipeline import analyse, describe, with_paragraph_breaks
from tocsin.records import KIND_ARTICLE, Document, DocumentResult, Failure
from tocsin.resources import Resources, shared_resources


class ExtractionError(RuntimeError):
    """The document could not be analysed; the message says at which stage and why."""


def extract_document(
    document: Document,
    resources: Resources | None = None,
    *,
    toponyms: Sequence[tuple[int, int]] | None = None,
    verbs: Sequence[tuple[int, int]] | None = None,
) -> DocumentResult:
    """Analyse one Document; ``toponyms`` and ``verbs`` as in ``extract``."""
    resources = resources or shared_resources()
    if toponyms is None and verbs is None:
        (result,) = analyse([document], resources)
        if isinstance(result, Failure):
            raise ExtractionError(f"{result.stage}: {result.reason}")
        return result
    from tocsin.pipeline import StageError, parse_text

    parsed = parse_text(with_paragraph_breaks(resources.nlp), document.text)
    try:
        return describe(parsed, document, resources, toponyms=toponyms, verbs=verbs)
    except StageError as error:
        raise ExtractionError(f"{error.stage}: {error}") from error


def _spans(spans: Sequence[tuple[int, int]] | None, text: str, name: str) -> list[tuple[int, int]]:
    out = []
    for span in spans or ():
        start, end = int(span[0]), int(span[1])
        if not 0 <= start < end <= len(text):
            raise ValueError(f"{name} span {span!r} is outside the text (0..{len(text)})")
        out.append((start, end))
    return out


def extract(
    text: str,
    published: dt.date | str | None = None,
    resources: Resources | None = None,
    *,
    kind: str = KIND_ARTICLE,
    toponyms: Sequence[tuple[int, int]] | None = None,
    verbs: Sequence[tuple[int, int]] | None = None,
) -> dict[str, Any]:
    """Clean and analyse ``text``; returns the record that ``tocsin extract --json`` prints.

    ``kind`` is ``"article"`` (news, posts) or ``"note"`` (a coder's note describing one event,
    as ACLED's notes). ``toponyms`` gives the character spans of the text's toponyms: they are
    resolved instead of the ones Tocsin would recognise. ``verbs`` gives the character spans of
    event words: one event mention is made for each (its place, date, actors, counts found as
    usual). With either, the text is analysed as given, not cleaned, so the spans keep their
    offsets.
    """
    from tocsin.sources import ReadOptions, read_text
    from tocsin.sources.documents import build_document

    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    options = ReadOptions(published=published, kind=kind)
    if toponyms is None and verbs is None:
        document = read_text(text, options)
        return extract_document(document, resources).to_dict()
    document = build_document(text, locator="<text>", format="text", options=options)
    result = extract_document(
        document, resources,
        toponyms=None if toponyms is None else _spans(toponyms, text, "toponym"),
        verbs=None if verbs is None else _spans(verbs, text, "verb"),
    )
    return result.to_dict()
