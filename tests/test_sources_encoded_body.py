"""Compressed HTTP bodies are inflated with a cap (issue 14, item 4): a gzip or deflate bomb
from a loopback server fails with bounded memory; encodings not asked for are refused."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Callable

import pytest
from local_http import LocalHTTPServer

from tocsin.records import Document, Failure
from tocsin.sources import ReadOptions, read_inputs
from tocsin.watch.conditional_fetch import fetch_feed

LIMIT = 1024 * 1024
PAGE = (b"<html><head><title>Checkpoint attack</title></head><body><article><p>"
        b"Gunmen attacked a police checkpoint outside Kidal on Monday, killing three officers."
        b"</p></article></body></html>")
HTML = {"Content-Type": "text/html; charset=utf-8"}


def bomb(wbits: int, size: int = 64 * LIMIT) -> bytes:
    """``size`` bytes of spaces, compressed (about a thousandth of that), built piecewise."""
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = b" " * LIMIT
    return b"".join([*(packer.compress(block) for _ in range(size // LIMIT)), packer.flush()])


def peak_while(call: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("encoding", "wbits"),
    [("gzip", zlib.MAX_WBITS | 16), ("deflate", zlib.MAX_WBITS), ("deflate", -zlib.MAX_WBITS)],
)
def test_a_compression_bomb_fails_with_bounded_memory(
    http_server: LocalHTTPServer, encoding: str, wbits: int
) -> None:
    body = bomb(wbits)
    assert len(body) < 128 * 1024  # 64 MB once inflated
    url = http_server.add("/bomb", body, headers={**HTML, "Content-Encoding": encoding})
    good = http_server.add("/page", PAGE, headers=HTML)
    list(read_inputs([good]))  # the HTML reader's first use loads it: not counted below

    results, peak = peak_while(lambda: list(read_inputs([url, good],
                                                        ReadOptions(max_bytes=LIMIT))))

    assert peak < 8 * LIMIT  # not the 64 MB the body inflates to
    failure, document = results  # type: ignore[misc]
    assert isinstance(failure, Failure) and failure.locator == url
    assert failure.reason == (f"response is over the limit of {LIMIT} bytes when "
                              f"decompressed ({encoding})")
    assert isinstance(document, Document)  # the next input is read as usual


def test_the_feed_poller_caps_decompressed_bytes(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/feed", bomb(zlib.MAX_WBITS | 16),
                          headers={"Content-Type": "application/rss+xml",
                                   "Content-Encoding": "gzip"})
    from tocsin.sources.fetch import FetchError

    def poll() -> object:
        with pytest.raises(FetchError, match="over the limit") as raised:
            fetch_feed(url, None, None, timeout=10, max_bytes=LIMIT)
        return raised

    _raised, peak = peak_while(poll)
    assert peak < 8 * LIMIT


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate", "gzip, identity"])
def test_compressed_pages_within_the_cap_are_read(
    http_server: LocalHTTPServer, encoding: str
) -> None:
    body = gzip.compress(PAGE) if "gzip" in encoding else zlib.compress(PAGE)
    url = http_server.add("/page", body, headers={**HTML, "Content-Encoding": encoding})
    [document] = list(read_inputs([url], ReadOptions(max_bytes=len(PAGE))))
    assert isinstance(document, Document), document
    assert document.title == "Checkpoint attack"
    assert "checkpoint outside Kidal" in document.text
    sent = http_server.requests[0][2]
    assert sent.get("Accept-Encoding") == "gzip, deflate"


def test_two_gzip_layers_and_concatenated_members_are_decoded(
    http_server: LocalHTTPServer,
) -> None:
    twice = http_server.add("/twice", gzip.compress(gzip.compress(PAGE)),
                            headers={**HTML, "Content-Encoding": "gzip, gzip"})
    half = len(PAGE) // 2
    members = http_server.add("/members", gzip.compress(PAGE[:half]) + gzip.compress(PAGE[half:]),
                              headers={**HTML, "Content-Encoding": "gzip"})
    for document in read_inputs([twice, members]):
        assert isinstance(document, Document), document
        assert "checkpoint outside Kidal" in document.text


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress"])
def test_an_encoding_not_asked_for_is_refused(
    http_server: LocalHTTPServer, encoding: str
) -> None:
    url = http_server.add("/odd", b"\x8b\x02\x80" + bytes(200),
                          headers={**HTML, "Content-Encoding": encoding})
    [failure] = list(read_inputs([url]))
    assert isinstance(failure, Failure)
    assert failure.reason == f"unsupported Content-Encoding: {encoding}"


def test_a_corrupt_gzip_body_fails_with_a_reason(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/broken", b"\x1f\x8b\x08\x00" + b"not deflate data" * 10,
                          headers={**HTML, "Content-Encoding": "gzip"})
    [failure] = list(read_inputs([url]))
    assert isinstance(failure, Failure)
    assert failure.reason.startswith("gzip body is corrupt")
