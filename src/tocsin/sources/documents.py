"""Assemble a ``Document`` (id, language, status, option overrides) or a read ``Failure``."""

from __future__ import annotations

import datetime as dt
import re

from tocsin.document_id import document_id
from tocsin.records import (
    KINDS,
    STATUS_EMPTY,
    STATUS_OK,
    STATUS_UNSUPPORTED_LANGUAGE,
    Document,
    Failure,
)
from tocsin.sources.language import detect_language
from tocsin.sources.options import ReadOptions

FORMATS = ("html", "text", "feed", "jsonl", "warc")
_MAX_REASON = 240


def build_document(
    text: str,
    *,
    locator: str,
    format: str,  # noqa: A002
    options: ReadOptions,
    title: str | None = None,
    author: str | None = None,
    published: dt.date | None = None,
    url: str | None = None,
    source: str | None = None,
    kind: str | None = None,
) -> Document:
    """A Document for already-cleaned ``text``; ``options.published``/``source`` win when set.

    ``kind`` (a record's own field) wins over ``options.kind``; an unknown kind is an error.
    A text in a language the pipeline cannot parse is kept, with its language and the status
    ``unsupported_language``; an empty text gets the status ``empty``.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown document format {format!r}")
    kind = kind or options.kind
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r} (one of {', '.join(KINDS)})")
    language = detect_language(text) if text else None
    if not text:
        status = STATUS_EMPTY
    elif language not in options.languages:
        status = STATUS_UNSUPPORTED_LANGUAGE
    else:
        status = STATUS_OK
    return Document(
        id=document_id(text),
        text=text,
        locator=locator,
        format=format,
        title=_clean_field(title),
        author=_clean_field(author),
        published=options.published or published,
        url=http_url(url),
        source=options.source or _clean_field(source),
        language=language,
        status=status,
        kind=kind,
    )


def read_failure(locator: str, reason: str) -> Failure:
    """A Failure of the read stage with ``reason`` squeezed onto one short line."""
    line = re.sub(r"\s+", " ", reason).strip() or "unreadable input"
    if len(line) > _MAX_REASON:
        line = line[: _MAX_REASON - 1] + "…"
    return Failure(locator=locator, stage="read", reason=line)


def http_url(value: object) -> str | None:
    """``value`` when it is an absolute http(s) URL; None otherwise (``javascript:``,
    ``data:``, relative and other schemes), so a document's URL is always safe as a link."""
    url = _clean_field(value)
    if url is None or not re.match(r"https?://[^/\s?#]", url, re.IGNORECASE):
        return None
    return url


def _clean_field(value: object) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None
