"""JSON Lines reader: one Document per line (posts, scraped articles), fields named by options."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import quote

from tocsin.records import KINDS, Document, Failure
from tocsin.sources.boilerplate import clean_text
from tocsin.sources.dates import parse_published
from tocsin.sources.decoding import DecodeError, decode_bytes
from tocsin.sources.documents import build_document, read_failure
from tocsin.sources.options import ReadOptions

_CHUNK = 1024 * 1024


def read_jsonlines(
    stream: IO[bytes], locator: str, options: ReadOptions
) -> Iterator[Document | Failure]:
    """Documents for the records of a JSON Lines stream, read one line at a time.

    Each record's locator is ``<locator>#line=N`` (from 1), with ``&id=...`` when the record has
    an id. A broken line, a record without text or over ``max_bytes`` yields a Failure for that
    line only; blank lines are skipped.
    """
    number = 0
    while True:
        raw = stream.readline(options.max_bytes + 1)
        if not raw:
            return
        number += 1
        where = f"{locator}#line={number}"
        if len(raw) > options.max_bytes and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield read_failure(where, f"record is over the limit of {options.max_bytes} bytes")
            continue
        if raw.strip():
            yield _record_document(raw, where, options)


def _record_document(raw: bytes, where: str, options: ReadOptions) -> Document | Failure:
    try:
        record = json.loads(decode_bytes(raw.strip()))
    except DecodeError as exc:
        return read_failure(where, str(exc))
    except json.JSONDecodeError as exc:
        return read_failure(where, f"invalid JSON ({exc.msg}, column {exc.colno})")
    except RecursionError:  # a line of deeply nested arrays: this line fails, not the file
        return read_failure(where, "invalid JSON (nested too deeply)")
    if not isinstance(record, dict):
        return read_failure(where, f"record is a JSON {type(record).__name__}, not an object")
    key = options.field_key("text")
    body = _lookup(record, key)
    if not isinstance(body, str) or not body.strip():
        return read_failure(where, f"record has no text in field {key!r}")
    text = clean_text(body)
    if not text:
        return read_failure(where, "no text left after removing boilerplate")
    kind = _lookup(record, options.field_key("kind"))
    if kind is not None and kind not in KINDS:
        known = ", ".join(KINDS)
        return read_failure(where, f"record has an unknown kind {kind!r} (one of {known})")
    record_id = _lookup(record, options.field_key("id"))
    if isinstance(record_id, (str, int)) and not isinstance(record_id, bool):
        where = f"{where}&id={quote(str(record_id), safe='')}"
    return build_document(
        text,
        locator=where,
        format="jsonl",
        options=options,
        title=_string(_lookup(record, options.field_key("title"))),
        published=parse_published(_lookup(record, options.field_key("published"))),
        url=_string(_lookup(record, options.field_key("url"))),
        source=_string(_lookup(record, options.field_key("source"))),
        kind=kind,
    )


def _lookup(record: dict[str, Any], key: str) -> Any:
    """``record[key]``; a dotted key ("user.name") reaches into nested objects."""
    if key in record:
        return record[key]
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return
