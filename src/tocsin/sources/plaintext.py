"""Plain-text reader: decode, clean boilerplate, take a headline-like first line as title and a
dateline near the top ("Posted on 21 November 2015") as the publication date."""

from __future__ import annotations

import datetime as dt

from tocsin.records import Document, Failure
from tocsin.sources.boilerplate import clean_text
from tocsin.sources.dates import dateline_date
from tocsin.sources.decoding import DecodeError, decode_bytes
from tocsin.sources.documents import build_document, read_failure
from tocsin.sources.options import ReadOptions

_TITLE_MAX_WORDS = 16
_DATELINE_LINES = 4  # a dateline is one of the first few non-blank lines


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
    """A plain-text Document for cleaned ``text`` (which may be empty); a dateline near the
    top gives the publication date and leaves the text (it is metadata, like a byline)."""
    text, published = split_dateline(text)
    return build_document(
        text, locator=locator, format="text", options=options, title=guess_title(text),
        published=published,
    )


def split_dateline(text: str) -> tuple[str, dt.date | None]:
    """``text`` without its dateline, and the dateline's date (``text`` unchanged if none)."""
    lines = text.split("\n")
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > _DATELINE_LINES:
            break
        date = dateline_date(line)
        if date is None:
            continue
        rest = lines[:index] + lines[index + 1 :]
        if index > 0 and index + 1 < len(lines) and not lines[index - 1].strip() and \
                not lines[index + 1].strip():
            del rest[index]  # one blank line where the dateline was, not two
        return "\n".join(rest).strip("\n"), date
    return text, None


def guess_title(text: str) -> str | None:
    """The first line when it reads like a headline: short, alone, not ending like a clause."""
    first, _, rest = text.partition("\n")
    if not rest.startswith("\n") or not rest.strip():
        return None
    if len(first.split()) > _TITLE_MAX_WORDS or first.endswith((".", ",", ";", ":")):
        return None
    return first
