"""JSON Lines: mapped fields, a Failure per broken line, the rest still read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tocsin.records import Document, Failure
from tocsin.sources import ReadOptions, read_inputs

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
MAPPING = {"text": "body", "published": "created", "url": "link", "source": "user.name"}


def test_records_are_read_and_broken_lines_fail_alone() -> None:
    path = FIXTURES / "posts.jsonl"
    results = list(read_inputs([str(path)], ReadOptions(fields=MAPPING)))
    locators = [r.locator.removeprefix(str(path)) for r in results]
    assert locators == [
        "#line=1&id=p-1",
        "#line=2&id=p-2",
        "#line=4",
        "#line=5",
        "#line=6",
        "#line=7&id=5",
    ]
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Document", "Document", "Failure", "Failure", "Failure", "Document"]
    broken, no_text, not_object = (r for r in results if isinstance(r, Failure))
    assert broken.reason.startswith("invalid JSON")
    assert no_text.reason == "record has no text in field 'body'"
    assert not_object.reason == "record is a JSON list, not an object"


def test_mapped_fields_fill_the_document() -> None:
    docs = [
        r
        for r in read_inputs([str(FIXTURES / "posts.jsonl")], ReadOptions(fields=MAPPING))
        if isinstance(r, Document)
    ]
    first, second, third = docs
    assert first.format == "jsonl"
    assert first.text.startswith("Roadside bomb hits minibus")
    assert first.published == dt.date(2024, 2, 10)
    assert first.url == "https://social.example.com/p/1"
    assert first.source == "Local Reporter"  # dotted key reaches into the object
    assert second.published == dt.date(2024, 2, 11)
    assert third.published == dt.date(2024, 2, 13)  # epoch seconds


def test_default_field_names(tmp_path: Path) -> None:
    path = tmp_path / "posts.ndjson"
    path.write_text(
        '{"text": "Two journalists detained at the airport.", "title": "Detained",'
        ' "published": "Mon, 04 Mar 2024 10:00:00 +0000", "url": "https://x.example/1"}\n'
    )
    [doc] = list(read_inputs([str(path)]))
    assert isinstance(doc, Document)
    assert (doc.title, doc.published, doc.url) == (
        "Detained",
        dt.date(2024, 3, 4),
        "https://x.example/1",
    )


def test_over_long_record_fails_and_the_next_one_is_read(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    long_text = "word " * 2000
    path.write_text(
        f'{{"text": "{long_text}"}}\n{{"text": "A short post about a protest in the square."}}\n'
    )
    first, second = read_inputs([str(path)], ReadOptions(max_bytes=1000))
    assert isinstance(first, Failure) and "over the limit of 1000 bytes" in first.reason
    assert isinstance(second, Document) and second.locator.endswith("#line=2")
