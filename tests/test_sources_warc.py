"""WARC archives: HTML responses become Documents; a truncated WARC.gz ends with a Failure."""

from __future__ import annotations

import gzip
import io
import tracemalloc
import zlib
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tocsin.records import Document, Failure
from tocsin.sources import ReadOptions, read_inputs

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def _page(title: str, sentence: str) -> bytes:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1><p>{sentence}</p></article></body></html>"
    ).encode()


BRIDGE = (
    "Retreating fighters blew up the only bridge over the river on Sunday, cutting off the "
    "northern villages from the town."
)
MARKET = "Traders reopened the central market on Monday for the first time since the fighting."
PAGES = [
    ("https://news.example.org/a", _page("Bridge destroyed", BRIDGE)),
    ("https://news.example.org/b", _page("Market reopens", MARKET)),
]


def _write_warc(path: Path, gzipped: bool = True) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for index, (url, body) in enumerate(PAGES):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
            if index == 0:  # records that are not HTML responses are skipped
                image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], "HTTP/1.1")
                writer.write_record(
                    writer.create_warc_record(
                        url + ".png",
                        "response",
                        payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)),
                        http_headers=image,
                    )
                )
                moved = StatusAndHeaders(
                    "301 Moved",
                    [("Location", "https://x/"), ("Content-Type", "text/html")],
                    "HTTP/1.1",
                )
                writer.write_record(
                    writer.create_warc_record(
                        url + "/old",
                        "response",
                        payload=io.BytesIO(b"<html></html>"),
                        http_headers=moved,
                    )
                )


def test_html_responses_become_documents(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path)
    results = list(read_inputs([str(path)]))
    assert all(isinstance(r, Document) for r in results)
    assert [r.url for r in results] == [url for url, _ in PAGES]
    assert [r.format for r in results] == ["warc", "warc"]
    assert results[0].title == "Bridge destroyed"
    assert "blew up the only bridge" in results[0].text
    offsets = [int(r.locator.rsplit("#offset=", 1)[1]) for r in results]
    assert offsets[0] > 0 and offsets[1] > offsets[0]
    assert all(r.locator.startswith(f"{path}#offset=") for r in results)


def test_uncompressed_warc_without_extension_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "crawl-file"
    _write_warc(path, gzipped=False)
    assert [r.url for r in read_inputs([str(path)])] == [url for url, _ in PAGES]


@pytest.mark.parametrize("gzipped", [True, False])
@pytest.mark.parametrize("missing", [50, 200])  # cut inside the last body / its headers
def test_truncated_warc_yields_good_records_then_a_failure(
    tmp_path: Path, gzipped: bool, missing: int
) -> None:
    whole = tmp_path / "whole.warc"
    _write_warc(whole, gzipped)
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    cut.write_bytes(data[: len(data) - missing])
    results = list(read_inputs([str(cut)]))
    assert isinstance(results[0], Document) and results[0].url == PAGES[0][0]
    assert isinstance(results[-1], Failure)
    assert results[-1].reason.startswith("truncated or corrupt WARC")
    assert "\n" not in results[-1].reason
    assert len(results) == 2  # the damaged last page is not passed off as a document


def test_gzip_that_is_not_a_warc_fails(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc.gz"
    path.write_bytes(gzip.compress(b"just some notes, not an archive\n" * 20))
    results = list(read_inputs([str(path)]))
    assert len(results) == 1 and isinstance(results[0], Failure)


def _zeros_gzip(size: int, prefix: bytes = b"") -> bytes:
    """A gzip member of ``prefix`` and then ``size`` zero bytes, built without holding them."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(prefix)]
    block = bytes(1024 * 1024)
    for _ in range(size // len(block)):
        parts.append(packer.compress(block))
    parts.append(packer.flush())
    return b"".join(parts)


def _bomb_record(size: int) -> bytes:
    """One WARC response record (one gzip member) whose HTML body is ``size`` zero bytes."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    head = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://bomb.example.org/\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: " + str(len(http) + size).encode() + b"\r\n\r\n" + http
    )
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(head)]
    block = bytes(1024 * 1024)
    for _ in range(size // len(block)):
        parts.append(packer.compress(block))
    parts.append(packer.compress(b"\r\n\r\n"))
    parts.append(packer.flush())
    return b"".join(parts)


@pytest.mark.parametrize("kind", ["zeros", "record"])
def test_gzip_bomb_fails_alone_with_bounded_memory(tmp_path: Path, kind: str) -> None:
    limit = 1024 * 1024
    bomb = tmp_path / "a-bomb.warc.gz"
    if kind == "zeros":  # nothing but zeros, as a crawler's broken download could be
        bomb.write_bytes(_zeros_gzip(50 * limit))
    else:  # a good record, then one that inflates to 50 MB
        good = tmp_path / "good.warc.gz"
        _write_warc(good)
        bomb.write_bytes(good.read_bytes() + _bomb_record(50 * limit))
    assert bomb.stat().st_size < 200 * 1024
    after = tmp_path / "b-good.warc.gz"
    _write_warc(after)
    options = ReadOptions(max_bytes=limit)

    tracemalloc.start()
    try:
        results = list(read_inputs([str(bomb), str(after)], options))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    failures = [r for r in results if isinstance(r, Failure)]
    assert len(failures) == 1
    assert failures[0].locator.startswith(f"{bomb}#offset=")
    assert failures[0].reason == f"decompressed size over the limit of {limit} bytes"
    documents = [r for r in results if isinstance(r, Document)]
    from_bomb = [d for d in documents if d.locator.startswith(str(bomb))]
    assert len(from_bomb) == (0 if kind == "zeros" else 2)  # the records before it are kept
    assert len(documents) - len(from_bomb) == 2  # the next archive is read as usual
    assert peak < 16 * limit  # not the 50 MB it inflates to


def test_record_within_the_limit_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    body = _page("Big page", BRIDGE) + b" " * (512 * 1024)
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://x.example.org/", "response", payload=io.BytesIO(body),
                http_headers=headers,
            )
        )
    results = list(read_inputs([str(path)], ReadOptions(max_bytes=len(body))))
    assert [type(r) for r in results] == [Document]


def _oversized_plain_record(size: int) -> bytes:
    """One uncompressed WARC response record whose HTML body is ``size`` bytes of a page."""
    body = (b"<html><body><p>" + b"word " * (size // 5) + b"</p></body></html>")[:size]
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    return (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://big.example.org/\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: " + str(len(http) + size).encode() + b"\r\n\r\n" + http + body
        + b"\r\n\r\n"
    )


@pytest.mark.parametrize("gzipped", [True, False])
def test_an_oversized_record_fails_alone_and_the_records_after_it_are_read(
    tmp_path: Path, gzipped: bool
) -> None:
    """A record over TOCSIN_MAX_BYTES (a gzip bomb of a record, or a plain record too big)
    is one Failure; the archive's other records, before and after it, are still read."""
    limit = 1024 * 1024
    good = tmp_path / ("good.warc.gz" if gzipped else "good.warc")
    _write_warc(good, gzipped)
    big = _bomb_record(50 * limit) if gzipped else _oversized_plain_record(2 * limit)
    path = tmp_path / ("mixed.warc.gz" if gzipped else "mixed.warc")
    path.write_bytes(good.read_bytes() + big + good.read_bytes())

    results = list(read_inputs([str(path)], ReadOptions(max_bytes=limit)))

    failures = [r for r in results if isinstance(r, Failure)]
    assert [f.locator for f in failures] == [f"{path}#offset={good.stat().st_size}"]
    expected = (
        f"decompressed size over the limit of {limit} bytes" if gzipped
        else f"record is over the limit of {limit} bytes"
    )
    assert failures[0].reason == expected
    documents = [r for r in results if isinstance(r, Document)]
    assert [d.url for d in documents] == [url for url, _ in PAGES] * 2
    offsets = [int(d.locator.rsplit("#offset=", 1)[1]) for d in documents]
    after = good.stat().st_size + len(big)
    assert offsets[2:] == [after + offset for offset in offsets[:2]]  # true offsets after it
