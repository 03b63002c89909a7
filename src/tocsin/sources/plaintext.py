"""Plain-text reader: decode, clean boilerplate, and take a headline-like first line as title."""

from __future__ import annotations

from tocsin.records import Document, Failure
from tocsin.sources.boilerplate import clean_text
from tocsin.sources.decoding import DecodeError, decode_bytes
from tocsin.sources.documents import build_document, read_failure
from tocsin.sources.options import ReadOptions

_TITLE_MAX_WORDS = 16


def read_plain(data: bytes, locator: str, options: ReadOptions) -> Document | Failure:
    """One Document from the bytes of a plain-text file, or a Failure saying why not."""
    if not data.strip():
        return read_failure(locator, "empty input" if not data else "input holds only whitespace")
    try:
        raw = decode_bytes(data)
    except DecodeError as exc:
        return read_failure(locator, str(exc))
    text = clean_text(raw)
    if not text:
        return read_failure(locator, "no text left after removing boilerplate")
    return text_document(text, locator, options)


def text_document(text: str, locator: str, options: ReadOptions) -> Document:
    """A plain-text Document for cleaned ``text`` (which may be empty)."""
    return build_document(
        text, locator=locator, format="text", options=options, title=guess_title(text)
    )


def guess_title(text: str) -> str | None:
    """The first line when it reads like a headline: short, alone, not ending like a clause."""
    first, _, rest = text.partition("\n")
    if not rest.startswith("\n") or not rest.strip():
        return None
    if len(first.split()) > _TITLE_MAX_WORDS or first.endswith((".", ",", ";", ":")):
        return None
    return first
