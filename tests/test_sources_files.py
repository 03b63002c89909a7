"""read_inputs over files, directories, globs and stdin; read_text; documents' fields."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys
from pathlib import Path

import pytest

from tocsin.document_id import document_id
from tocsin.records import (
    STATUS_EMPTY,
    STATUS_OK,
    STATUS_UNSUPPORTED_LANGUAGE,
    Document,
    Failure,
)
from tocsin.sources import ReadOptions, read_inputs, read_text

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
TURKISH = (
    "Suriye'nin kuzeyindeki Türkmen köyleri dün gece yoğun hava saldırılarına maruz kaldı ve "
    "yüzlerce aile sınıra doğru kaçmak zorunda kaldı. Yerel yetkililer yardım çağrısında bulundu."
)


def _documents(results: list[Document | Failure]) -> list[Document]:
    return [r for r in results if isinstance(r, Document)]


def _failures(results: list[Document | Failure]) -> list[Failure]:
    return [r for r in results if isinstance(r, Failure)]


def test_html_page_gives_main_text_and_metadata() -> None:
    [doc] = list(read_inputs([str(FIXTURES / "report.html")]))
    assert isinstance(doc, Document)
    assert doc.format == "html" and doc.status == STATUS_OK and doc.language == "en"
    assert doc.title == "Floods force families from riverside villages"
    assert doc.author == "Amina Okafor"
    assert doc.published == dt.date(2024, 9, 14)
    assert "About 2,300 people left their homes" in doc.text
    assert "Home" not in doc.text and "Share this" not in doc.text
    assert "Rescue boats" not in doc.text  # the photo caption
    assert doc.id == document_id(doc.text)
    assert doc.locator == str(FIXTURES / "report.html")


def test_same_report_as_html_and_as_text_has_the_same_id() -> None:
    html, text = read_inputs([str(FIXTURES / "report.html"), str(FIXTURES / "report.txt")])
    assert isinstance(html, Document) and isinstance(text, Document)
    assert (html.format, text.format) == ("html", "text")
    assert html.text == text.text
    assert html.id == text.id


def test_paragraphs_are_separated_by_blank_lines() -> None:
    [doc] = list(read_inputs([str(FIXTURES / "report.html")]))
    paragraphs = doc.text.split("\n\n")
    assert len(paragraphs) == 4
    assert all(p.strip() == p and "\n" not in p for p in paragraphs)


def test_truncated_html_keeps_what_is_there() -> None:
    [doc] = list(read_inputs([str(FIXTURES / "truncated.html")]))
    assert isinstance(doc, Document)
    assert "at least four soldiers were wounded" in doc.text


def test_html_without_any_text_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<!DOCTYPE html><html><head><title></title></head><body><div>", "utf-8")
    [failure] = list(read_inputs([str(path)]))
    assert isinstance(failure, Failure) and failure.stage == "read"
    assert failure.reason == "no main text found in the HTML page"


def test_options_set_date_and_source() -> None:
    options = ReadOptions(published=dt.date(2015, 11, 21), source="Example Blog")
    [doc] = list(read_inputs([str(FIXTURES / "report.html")], options))
    assert doc.published == dt.date(2015, 11, 21)
    assert doc.source == "Example Blog"


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    shutil.copy(FIXTURES / "report.txt", tmp_path / "b" / "one.txt")
    shutil.copy(FIXTURES / "report.html", tmp_path / "a" / "two.html")
    shutil.copy(FIXTURES / "scraped.txt", tmp_path / "c.txt")
    (tmp_path / "picture.jpg").write_bytes(b"\xff\xd8\xff\xe0 not read")
    (tmp_path / ".hidden.txt").write_text("An old draft that should not be read at all.")
    results = list(read_inputs([str(tmp_path)]))
    assert [r.locator for r in results] == [
        str(tmp_path / "a" / "two.html"),
        str(tmp_path / "b" / "one.txt"),
        str(tmp_path / "c.txt"),
    ]
    assert results == list(read_inputs([str(tmp_path)]))  # deterministic


def test_glob_pattern_is_expanded_in_sorted_order() -> None:
    results = list(read_inputs([str(FIXTURES / "*.html")]))
    assert [Path(r.locator).name for r in results] == ["report.html", "truncated.html"]


def test_glob_without_matches_and_missing_file_fail() -> None:
    results = list(read_inputs([str(FIXTURES / "*.nothing"), str(FIXTURES / "missing.txt")]))
    assert [f.reason for f in _failures(results)] == [
        "no files match this pattern",
        "no such file or directory",
    ]


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    page = tmp_path / "download"
    page.write_bytes((FIXTURES / "report.html").read_bytes())
    feed = tmp_path / "feed"
    feed.write_bytes((FIXTURES / "feed.atom").read_bytes())
    results = list(read_inputs([str(page), str(feed)]))
    assert [r.format for r in _documents(results)] == ["html", "feed", "feed"]


@pytest.mark.parametrize("content", [b"", b"  \n\n \t\n"])
def test_empty_file_fails(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    [failure] = list(read_inputs([str(path)]))
    assert isinstance(failure, Failure)
    assert failure.reason in ("empty input", "input holds only whitespace")


def test_file_with_only_boilerplate_fails(tmp_path: Path) -> None:
    path = tmp_path / "widgets.txt"
    path.write_text("Share this:\n\nTwitter\n\nFacebook\n\nLike this:\n\nLoading...\n")
    [failure] = list(read_inputs([str(path)]))
    assert failure.reason == "no text left after removing boilerplate"


def test_file_over_the_size_cap_fails_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Shelling reported in the city centre. " * 2500)  # 95,000 bytes
    read_sizes: list[int] = []
    original_open = Path.open

    class SpyFile:
        def __init__(self, handle: io.BufferedReader) -> None:
            self.handle = handle

        def read(self, size: int | None = -1) -> bytes:
            data = self.handle.read(size)
            read_sizes.append(len(data))
            return data

        def __getattr__(self, name: str) -> object:
            return getattr(self.handle, name)

        def __enter__(self) -> SpyFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    def spy_open(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        handle = original_open(self, mode, *args, **kwargs)  # type: ignore[arg-type]
        return SpyFile(handle) if mode == "rb" else handle

    monkeypatch.setattr(Path, "open", spy_open)
    [failure] = list(read_inputs([str(path)], ReadOptions(max_bytes=50_000)))
    assert isinstance(failure, Failure)
    assert failure.reason == "file is 95000 bytes, over the limit of 50000 bytes"
    assert read_sizes and sum(read_sizes) <= 16_384  # a small head for sniffing, no more


def test_stdin_bytes_are_read_and_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FIXTURES / "report.html").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [doc] = list(read_inputs(["-"]))
    assert isinstance(doc, Document)
    assert doc.format == "html" and doc.locator == "<stdin>"
    assert doc.title == "Floods force families from riverside villages"


def test_stdin_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FIXTURES / "scraped.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [doc] = list(read_inputs(["-"]))
    assert doc.format == "text"
    assert "Share this" not in doc.text and "besieged town" in doc.text


def test_stdin_json_lines_are_streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        '{"text": "Gunmen stormed a police post near the market town overnight."}',
        '{"text": "A curfew was imposed in three districts after the clashes."}',
    ]
    payload = ("\n".join(lines) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    results = list(read_inputs(["-"], ReadOptions(max_bytes=100)))
    assert [r.locator for r in results] == ["<stdin>#line=1", "<stdin>#line=2"]
    assert all(isinstance(r, Document) and r.format == "jsonl" for r in results)


def test_one_bad_input_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = tmp_path / "junk.txt"
    bad.write_bytes(b"\x00\x01\x02\x03" * 500)
    results = list(read_inputs([str(bad), str(FIXTURES / "report.txt")]))
    assert isinstance(results[0], Failure) and isinstance(results[1], Document)


def test_text_in_another_language_is_kept_with_its_status(tmp_path: Path) -> None:
    path = tmp_path / "haber.txt"
    path.write_text(TURKISH, "utf-8")
    [doc] = list(read_inputs([str(path)]))
    assert isinstance(doc, Document)
    assert doc.language == "tr" and doc.status == STATUS_UNSUPPORTED_LANGUAGE
    [doc] = list(read_inputs([str(path)], ReadOptions(languages=("en", "tr"))))
    assert doc.status == STATUS_OK


def test_short_unsure_text_defaults_to_english() -> None:
    doc = read_text("Turkmen villages under attack!")
    assert doc.language == "en" and doc.status == STATUS_OK


def test_read_text_cleans_and_ids() -> None:
    doc = read_text("Shops closed in the old town.\n\nShare this:\n\nTwitter", locator="memo")
    assert doc.text == "Shops closed in the old town."
    assert doc.id == document_id("Shops closed in the old town.")
    assert doc.locator == "memo" and doc.format == "text"


def test_read_text_of_nothing_is_an_empty_document() -> None:
    doc = read_text("Like this:\n\nLoading...")
    assert doc.text == "" and doc.status == STATUS_EMPTY


def test_html_in_a_legacy_charset_uses_its_meta_declaration(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<title>Café bombed</title></head><body><article><p>The café on the corner of the "
        "market square was hit by a rocket on Friday, and its owner was injured.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "legacy.html"
    path.write_bytes(page.encode("cp1252"))
    [doc] = list(read_inputs([str(path)]))
    assert doc.title == "Café bombed"
    assert "The café on the corner" in doc.text


def test_a_single_string_input_is_one_input() -> None:
    [doc] = list(read_inputs(str(FIXTURES / "report.txt")))  # type: ignore[arg-type]
    assert isinstance(doc, Document)


def test_an_unexpected_reader_error_becomes_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object) -> None:
        raise RuntimeError("reader bug\nwith two lines")

    monkeypatch.setattr("tocsin.sources.dispatch.read_plain", explode)
    failure, doc = read_inputs([str(FIXTURES / "report.txt"), str(FIXTURES / "report.html")])
    assert isinstance(failure, Failure)
    assert failure.reason == "unexpected error: RuntimeError: reader bug with two lines"
    assert isinstance(doc, Document)
