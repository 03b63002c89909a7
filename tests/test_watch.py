"""tocsin.watch against local HTTP servers serving changing feeds, one that fails, one that
hangs and one that returns garbage; restarts; --status; SIGTERM on the real command."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_http import LocalHTTPServer
from postgres_server import fresh_schema
from sqlalchemy import func, select
from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.resources import Resources
from tocsin.settings import Settings
from tocsin.store import Database, open_database
from tocsin.store.models import DocumentRow, EventRow
from tocsin.watch import Watcher, WatchOptions, feed_status, read_feed_list
from tocsin.watch.feed_list import FeedListError, FeedSpec
from tocsin.watch.pacing import HostPacer, backoff_delay

STORIES = {
    "a1": "Shelling killed five civilians in the town of Maarat al-Numan in Idlib on Monday.",
    "a2": "About 3,000 people fled Kalehe in South Kivu after fighting on Tuesday, the UN said.",
    "a3": "Police arrested forty protesters in central Khartoum on Wednesday, witnesses said.",
    "a4": "Gunmen kidnapped nine travellers on the road near Zamfara on Thursday, police said.",
}


def rss(*keys: str, title: str = "Crisis wire") -> str:
    items = "".join(
        f"<item><guid>urn:wire:{k}</guid><title>Story {k}</title>"
        f"<link>http://example.invalid/{k}</link><description>{STORIES[k]}</description>"
        f"<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>"
        for k in keys
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>d</description>{items}"
            "</channel></rss>")


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def resources() -> Resources:
    return Resources(Settings(batch_size=2))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        with open_database(f"sqlite:///{tmp_path / 'watch.sqlite'}") as opened:
            yield opened
        return
    with fresh_schema(request.getfixturevalue("postgres_url")) as url:
        with open_database(url) as opened:
            yield opened


def count(database: Database, model: type) -> int:
    with database.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model)) or 0)


def make_watcher(feeds: list[str], database: Database, resources: Resources,
                 clock: Clock | None = None, **options: object) -> Watcher:
    settings = {"interval": 60.0, "host_delay": 0.0, "timeout": 1.0, "check_alerts": False}
    settings.update(options)
    return Watcher([FeedSpec(u) for u in feeds], database, resources,
                   WatchOptions(**settings), clock=clock or Clock())  # type: ignore[arg-type]


def test_feed_list_formats(tmp_path: Path) -> None:
    text = tmp_path / "feeds.txt"
    text.write_text("# desk feeds\nhttps://a.example/rss\n\nhttps://b.example/atom articles  # x\n"
                    "https://a.example/rss\n")
    assert read_feed_list(text) == [FeedSpec("https://a.example/rss"),
                                    FeedSpec("https://b.example/atom", articles=True)]
    toml = tmp_path / "feeds.toml"
    toml.write_text('[[feed]]\nurl = "https://c.example/rss"\narticles = true\n')
    assert read_feed_list(toml) == [FeedSpec("https://c.example/rss", articles=True)]
    bad = tmp_path / "bad.txt"
    bad.write_text("ftp://nope.example/feed\n")
    with pytest.raises(FeedListError, match="bad.txt:1"):
        read_feed_list(bad)


def test_backoff_doubles_up_to_a_ceiling() -> None:
    assert [backoff_delay(60, n, 400) for n in range(5)] == [60, 60, 120, 240, 400]


def test_host_pacer_spaces_requests_to_one_host_only() -> None:
    stop = threading.Event()
    stop.set()  # waiting would end at once: the answer says whether it had to wait
    pacer = HostPacer(5.0, stop, clock=lambda: 100.0)
    assert pacer.wait_turn("http://a.example/1") is False  # stop is set: refuses every turn
    calm = HostPacer(5.0, threading.Event(), clock=lambda: 100.0)
    assert calm.wait_turn("http://a.example/1")
    assert calm.wait_turn("http://b.example/1")  # another host does not wait
    assert calm._next == {"a.example": 105.0, "b.example": 105.0}


def test_new_items_are_processed_once_with_conditional_requests(
    http_server: LocalHTTPServer, database: Database, resources: Resources
) -> None:
    headers = {"ETag": '"v1"', "Last-Modified": "Mon, 02 Mar 2026 10:00:00 GMT",
               "Content-Type": "application/rss+xml"}
    url = http_server.add("/wire.rss", rss("a1", "a2"), headers=headers)
    clock = Clock()
    watcher = make_watcher([url], database, resources, clock)

    first = watcher.poll_once()
    assert (first.polled, first.new_items, first.stored) == (1, 2, 2)
    assert count(database, DocumentRow) == 2

    clock.advance(30)
    assert watcher.poll_once().polled == 0  # not due yet

    http_server.add("/wire.rss", b"", status=304)
    clock.advance(31)
    second = watcher.poll_once()
    assert second.unchanged == 1 and second.new_items == 0
    sent = http_server.requests[-1][2]
    assert sent.get("If-None-Match") == '"v1"'
    assert sent.get("If-Modified-Since") == "Mon, 02 Mar 2026 10:00:00 GMT"

    http_server.add("/wire.rss", rss("a3", "a1", "a2"), headers={"ETag": '"v2"'})
    clock.advance(61)
    third = watcher.poll_once()
    assert (third.new_items, third.stored) == (1, 1)
    assert count(database, DocumentRow) == 3
    [status] = feed_status(database)
    assert status.items_processed == 3 and status.failures == 0
    assert status.last_success_at == clock.now


def test_failing_hanging_and_garbage_feeds_back_off_while_good_ones_go_on(
    http_server: LocalHTTPServer, database: Database, resources: Resources
) -> None:
    good = http_server.add("/good.rss", rss("a1"))
    failing = http_server.add("/failing.rss", "oops", status=503)
    hanging = http_server.add("/hanging.rss", rss("a2"), delay=3.0)
    garbage = http_server.add("/garbage.rss", b"\x00\xffnot a feed at all {]")
    clock = Clock()
    watcher = make_watcher([good, failing, hanging, garbage], database, resources, clock)

    cycle = watcher.poll_once()
    assert cycle.polled == 4 and cycle.stored == 1
    reasons = dict(cycle.failed_feeds)
    assert reasons[failing].startswith("HTTP 503")
    assert "timed out" in reasons[hanging]
    assert reasons[garbage].startswith("not a valid feed")

    clock.advance(61)
    again = watcher.poll_once()
    assert again.polled == 4 and len(again.failed_feeds) == 3

    status = {s.url: s for s in feed_status(database)}
    assert status[good].failures == 0 and status[good].last_error is None
    for url in (failing, hanging, garbage):
        assert status[url].failures == 2
        assert status[url].next_poll_at == clock.now + dt.timedelta(seconds=120)
    clock.advance(61)
    assert {f for f, _ in watcher.poll_once().failed_feeds} == set()  # backing off: not due

    http_server.add("/failing.rss", rss("a3"))
    clock.advance(60)
    recovered = watcher.poll_once()
    assert recovered.stored == 1
    assert {s.url: s for s in feed_status(database)}[failing].failures == 0


def test_restart_processes_no_item_twice_and_loses_none(
    http_server: LocalHTTPServer, database: Database, resources: Resources
) -> None:
    url = http_server.add("/wire.rss", rss("a4", "a3", "a2", "a1"), headers={"ETag": '"x"'})
    watcher = make_watcher([url], database, resources)
    marked = watcher._mark

    def mark_then_stop(*args: object) -> None:  # killed after the first batch of two
        marked(*args)  # type: ignore[arg-type]
        watcher.stop()

    watcher._mark = mark_then_stop  # type: ignore[method-assign]
    stopped = watcher.poll_once()
    assert stopped.interrupted and stopped.stored == 2
    assert feed_status(database)[0].last_success_at is None  # validators not kept

    restarted = make_watcher([url], database, resources)
    cycle = restarted.poll_once()
    assert (cycle.new_items, cycle.stored, cycle.duplicates) == (2, 2, 0)
    assert http_server.requests[-1][2].get("If-None-Match") is None
    assert count(database, DocumentRow) == 4
    assert feed_status(database)[0].items_processed == 4
    assert make_watcher([url], database, resources).poll_once(force=True).new_items == 0


def test_new_documents_are_fused(
    http_server: LocalHTTPServer, database: Database, resources: Resources
) -> None:
    url = http_server.add("/wire.rss", rss("a1", "a4"))
    make_watcher([url], database, resources).poll_once()
    assert count(database, EventRow) >= 1


def test_articles_are_fetched_and_a_broken_link_falls_back_to_the_entry(
    http_server: LocalHTTPServer, database: Database, resources: Resources
) -> None:
    page = http_server.add(
        "/story/a1",
        "<html><head><title>Idlib</title></head><body><article><h1>Idlib shelling</h1>"
        f"<p>{STORIES['a1']} Rescue workers said the toll could rise as they searched the"
        " rubble of two houses near the market.</p></article></body></html>",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    feed = rss("a1", "a2").replace("http://example.invalid/a1", page).replace(
        "http://example.invalid/a2", http_server.url("/story/missing"))
    url = http_server.add("/wire.rss", feed)
    watcher = Watcher([FeedSpec(url, articles=True)], database, resources,
                      WatchOptions(host_delay=0.0, timeout=2.0, check_alerts=False),
                      clock=Clock())
    cycle = watcher.poll_once()
    assert cycle.stored == 2
    with database.engine.connect() as connection:
        rows = dict(connection.execute(select(DocumentRow.locator, DocumentRow.format)).all())
    assert rows[page] == "html"  # read from the article page
    assert rows[http_server.url("/story/missing")] == "feed"  # 404: the entry itself
    assert ("GET", "/story/missing") in [(r[0], r[1]) for r in http_server.requests]


def test_alert_check_runs_after_new_documents_and_errors_do_not_stop_watching(
    http_server: LocalHTTPServer, database: Database, resources: Resources,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    import tocsin.alerts.check
    import tocsin.alerts.notify
    import tocsin.incremental_fusion

    checked: list[Database] = []

    class Result:
        changed: list[object] = []
        notified = tocsin.alerts.notify.NotifyReport()

    def check(db: Database) -> Result:
        checked.append(db)
        return Result()

    def broken_fusion(_db: Database) -> None:
        raise RuntimeError("fusion is down")

    monkeypatch.setattr(tocsin.alerts.check, "check_alerts", check)
    url = http_server.add("/wire.rss", rss("a1"))
    clock = Clock()
    watcher = make_watcher([url], database, resources, clock, check_alerts=True)
    watcher.poll_once()
    assert checked == [database]
    assert "alert check failed" not in caplog.text
    clock.advance(61)
    watcher.poll_once()  # nothing new: no check
    assert len(checked) == 1

    monkeypatch.setattr(tocsin.incremental_fusion, "fuse_pending", broken_fusion)
    http_server.add("/wire.rss", rss("a2", "a1"))
    clock.advance(61)
    cycle = watcher.poll_once()
    assert cycle.stored == 1 and len(checked) == 2
    assert "fusion failed: RuntimeError: fusion is down" in caplog.text


def test_status_command_lists_feeds(
    http_server: LocalHTTPServer, database: Database, resources: Resources
) -> None:
    good = http_server.add("/good.rss", rss("a1"))
    bad = http_server.add("/bad.rss", "down", status=500)
    make_watcher([good, bad], database, resources).poll_once()
    runner = CliRunner()
    shown = runner.invoke(app, ["watch", "--status", "--db", database.url, "--json"])
    assert shown.exit_code == 0, shown.output
    rows = {r["url"]: r for r in json.loads(shown.stdout)}
    assert rows[good]["items_processed"] == 1 and rows[good]["last_success"]
    assert rows[bad]["last_error"].startswith("HTTP 500") and rows[bad]["failures_in_a_row"] == 1
    table = runner.invoke(app, ["watch", "--status", "--db", database.url])
    assert "HTTP 500" in table.stdout and "never" in table.stdout
    missing = runner.invoke(app, ["watch", "--db", database.url])
    assert missing.exit_code == 2


def test_sigterm_stops_the_command_cleanly(http_server: LocalHTTPServer, tmp_path: Path) -> None:
    url = http_server.add("/wire.rss", rss("a1", "a2"))
    hanging = http_server.add("/hanging.rss", rss("a3"), delay=30.0)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{url}\n{hanging}\n")
    db = tmp_path / "watch.sqlite"
    exe = Path(sys.executable).with_name("tocsin")
    process = subprocess.Popen(
        [str(exe), "watch", str(feeds), "--db", str(db), "--interval", "1", "--host-delay", "0",
         "--timeout", "20", "--no-alerts"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 240
        stored = 0
        while time.monotonic() < deadline and process.poll() is None:
            if db.exists():
                try:
                    with sqlite3.connect(db) as connection:
                        stored = connection.execute(
                            "SELECT count(*) FROM watch_items").fetchone()[0]
                except sqlite3.Error:
                    stored = 0
            if stored >= 2:
                break
            time.sleep(0.5)
        assert stored >= 2, process.stderr.read() if process.poll() is not None else "no items"
        process.send_signal(signal.SIGTERM)  # while the hanging feed is still being fetched
        _out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "stopped" in err
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
