"""http(s) inputs against a real local server: pages, feeds, errors, garbage, timeouts, caps."""

from __future__ import annotations

from pathlib import Path

from local_http import LocalHTTPServer

from tocsin.records import Document, Failure
from tocsin.sources import ReadOptions, read_inputs

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml"}


def test_html_page_from_url(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/story", (FIXTURES / "report.html").read_bytes(), headers=HTML)
    [doc] = list(read_inputs([url]))
    assert isinstance(doc, Document)
    assert doc.format == "html" and doc.locator == url and doc.url == url
    assert doc.title == "Floods force families from riverside villages"
    assert http_server.requests[0][2].get("User-Agent", "").startswith("tocsin/")


def test_feed_from_url_is_split_into_entries(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/feed", (FIXTURES / "feed.rss").read_bytes(), headers=RSS)
    results = list(read_inputs([url]))
    assert [r.locator for r in results] == [f"{url}#entry={n}" for n in (1, 2, 3)]
    assert [r.format for r in results if isinstance(r, Document)] == ["feed", "feed"]


def test_content_is_sniffed_when_the_content_type_is_wrong(http_server: LocalHTTPServer) -> None:
    body = (FIXTURES / "feed.atom").read_bytes()
    url = http_server.add("/atom", body, headers={"Content-Type": "text/plain"})
    assert [r.format for r in read_inputs([url])] == ["feed", "feed"]


def test_plain_text_url(http_server: LocalHTTPServer) -> None:
    body = (FIXTURES / "report.txt").read_bytes()
    url = http_server.add("/report", body, headers={"Content-Type": "text/plain; charset=utf-8"})
    [doc] = list(read_inputs([url]))
    assert doc.format == "text" and "Share this" not in doc.text


def test_feed_url_returning_500_fails_with_the_status(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/feed", b"oops", status=500, headers=RSS)
    [failure] = list(read_inputs([url]))
    assert isinstance(failure, Failure) and failure.stage == "read"
    assert failure.locator == url
    assert failure.reason == "HTTP 500 Internal Server Error"


def test_missing_page_fails_with_404(http_server: LocalHTTPServer) -> None:
    [failure] = list(read_inputs([http_server.url("/nowhere")]))
    assert failure.reason == "HTTP 404 Not Found"


def test_feed_url_returning_garbage_fails(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/feed", b"<<<%%% this is not xml &&& at all >>>", headers=RSS)
    [failure] = list(read_inputs([url]))
    assert isinstance(failure, Failure)
    assert failure.reason.startswith("not a valid feed")


def test_binary_garbage_from_url_fails(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/blob", bytes(range(256)) * 20)
    [failure] = list(read_inputs([url]))
    assert isinstance(failure, Failure) and "binary" in failure.reason


def test_url_that_times_out_fails_and_reading_goes_on(http_server: LocalHTTPServer) -> None:
    slow = http_server.add("/slow", b"<html><body><p>late</p></body></html>", delay=2.0)
    fast = http_server.add("/fast", (FIXTURES / "report.txt").read_bytes())
    failure, doc = read_inputs([slow, fast], ReadOptions(timeout=0.3))
    assert isinstance(failure, Failure)
    assert failure.reason == "timed out after 0.3s"
    assert isinstance(doc, Document)


def test_response_over_the_size_cap_fails(http_server: LocalHTTPServer) -> None:
    url = http_server.add("/big", b"Reports of shelling. " * 1000, headers=HTML)
    [failure] = list(read_inputs([url], ReadOptions(max_bytes=5000)))
    assert failure.reason == "response is 21000 bytes, over the limit of 5000 bytes"


def test_unreachable_host_fails(http_server: LocalHTTPServer) -> None:
    url = http_server.url("/x")
    http_server.stop()
    [failure] = list(read_inputs([url], ReadOptions(timeout=2)))
    assert isinstance(failure, Failure)
    assert failure.reason.startswith("fetch failed")
