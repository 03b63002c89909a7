"""A timeout bounds a whole request, not each read (issue 14, item 6): a server that drips a
byte at a time cannot hold a fetch, a feed poll or a webhook past its deadline, and an API job
stuck on such a URL does not hold up the next job."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_api_ssrf import reading_only

from tocsin.alerts.webhooks import WebhookPolicy, post_webhook
from tocsin.api import create_app, create_key
from tocsin.settings import Settings
from tocsin.sources.fetch import FetchError, fetch
from tocsin.store import open_database
from tocsin.watch.conditional_fetch import fetch_feed

DRIP_EVERY = 0.2  # seconds between bytes: far below any per-read timeout used here


class DripServer:
    """Answers every connection on 127.0.0.1 one byte every DRIP_EVERY seconds, for ever:
    from the status line (``headers=False``) or after complete headers (``headers=True``)."""

    def __init__(self, headers: bool) -> None:
        self.headers = headers
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self.port = self._socket.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except OSError:
                return
            threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(65536)
                if self.headers:
                    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                       b"Content-Length: 1000000\r\n\r\n")
                    payload = b"x" * 1_000_000
                else:
                    payload = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 1_000_000
                for byte in payload:
                    if self._stop.is_set():
                        return
                    connection.sendall(bytes([byte]))
                    time.sleep(DRIP_EVERY)
            except OSError:
                return

    def stop(self) -> None:
        self._stop.set()
        self._socket.close()


@pytest.fixture(params=[False, True], ids=["dripping-headers", "dripping-body"])
def drip(request: pytest.FixtureRequest) -> Iterator[DripServer]:
    server = DripServer(headers=request.param)
    yield server
    server.stop()


def test_a_fetch_fails_within_its_deadline(drip: DripServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(drip.url("/page"), timeout=1.0, max_bytes=10_000_000)
    assert time.monotonic() - started < 2.0


def test_a_feed_poll_fails_within_its_deadline(drip: DripServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch_feed(drip.url("/feed"), None, None, timeout=1.0, max_bytes=10_000_000)
    assert time.monotonic() - started < 2.0


def test_a_slow_webhook_counts_as_failed(drip: DripServer) -> None:
    started = time.monotonic()
    outcome = post_webhook(drip.url("/hook"), b"{}", "secret",
                           WebhookPolicy(attempts=2, backoff=0.0, timeout=1.0))
    assert not outcome.ok
    assert outcome.attempts == 2
    assert outcome.error is not None and "timed out" in outcome.error
    assert time.monotonic() - started < 3.5


def test_a_job_does_not_queue_behind_a_slow_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TOCSIN_ALLOW_NETWORKS", raising=False)
    server = DripServer(headers=True)
    url = f"sqlite:///{tmp_path / 'jobs.sqlite'}"
    with open_database(url) as database:
        _info, key = create_key(database, "jobs")
    settings = Settings(allow_networks=("127.0.0.0/8",))
    settings.fetch_timeout = 6.0
    try:
        with TestClient(create_app(url, settings=settings, process=reading_only)) as client:
            slow = client.post("/api/documents", json={"documents": [{"url": server.url()}]},
                               headers={"X-API-Key": key}).json()["url"]
            time.sleep(0.3)  # the slow job has started its fetch
            started = time.monotonic()
            accepted = client.post("/api/documents", json={"documents": [{"text": "Shelling."}]},
                                   headers={"X-API-Key": key})
            while (quick := client.get(accepted.json()["url"]).json())["status"] != "done":
                assert time.monotonic() - started < 3.0, quick
                time.sleep(0.05)
            assert quick["processed"] == 1
            assert time.monotonic() - started < 3.0
            assert client.get(slow).json()["status"] == "running"
    finally:
        server.stop()
