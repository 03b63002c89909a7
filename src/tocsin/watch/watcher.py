"""The watch loop: poll due feeds (concurrently across hosts, politely within one), feed their
new items through the ingest loop (``tocsin.ingest``: skip known documents, analyse, store),
then fuse and check alerts.

Order of writes makes restarts safe: an item is marked handled only after its document is
stored (or its failure recorded), and a feed's validators (ETag, Last-Modified) are kept only
after all its new items are handled; so a watcher killed at any point loses no item, and one
re-read after a restart is found already stored and is not stored twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from tocsin.ingest import DUPLICATE, STORED, Ingest
from tocsin.records import Document, Failure
from tocsin.resources import Resources
from tocsin.sources import ReadOptions
from tocsin.sources.dispatch import read_url
from tocsin.sources.fetch import FetchError
from tocsin.store import Database
from tocsin.watch.conditional_fetch import FeedResponse, fetch_feed
from tocsin.watch.feed_items import FeedError, FeedItem, feed_items
from tocsin.watch.feed_list import FeedSpec
from tocsin.watch.followups import after_new_documents
from tocsin.watch.pacing import HostPacer, backoff_delay, host_of
from tocsin.watch.state import FeedState, WatchState

log = logging.getLogger("tocsin.watch")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class WatchOptions:
    interval: float = 300.0  # seconds between polls of a healthy feed
    host_delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0  # per request, connect to last byte
    max_backoff: float = 6 * 3600.0  # longest wait before polling a failing feed again
    max_bytes: int = 20 * 1024 * 1024
    check_alerts: bool = True


@dataclass
class CycleSummary:
    """What one polling cycle did."""

    polled: int = 0
    unchanged: int = 0
    failed_feeds: list[tuple[str, str]] = field(default_factory=list)
    new_items: int = 0
    stored: int = 0
    duplicates: int = 0
    failed_items: int = 0
    interrupted: bool = False

    def line(self) -> str:
        return (
            f"polled {self.polled} feeds ({self.unchanged} unchanged, "
            f"{len(self.failed_feeds)} failed): {self.new_items} new items, {self.stored} "
            f"stored, {self.duplicates} already stored, {self.failed_items} failed"
        )


class Watcher:
    """Polls ``feeds`` into ``database``; ``run()`` loops until ``stop()``."""

    def __init__(
        self,
        feeds: Sequence[FeedSpec],
        database: Database,
        resources: Resources,
        options: WatchOptions | None = None,
        read_options: ReadOptions | None = None,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.feeds = {spec.url: spec for spec in feeds}
        self.database = database
        self.resources = resources
        self.options = options or WatchOptions()
        self.read_options = read_options or ReadOptions(
            max_bytes=self.options.max_bytes, timeout=self.options.timeout
        )
        self.clock = clock
        self.stopping = threading.Event()
        self.pacer = HostPacer(self.options.host_delay, self.stopping)
        self.state = WatchState(database)
        self.state.register(list(self.feeds))
        self._ingest = Ingest(database, resources)

    def stop(self) -> None:
        """Ask the loop to stop after the item in hand (safe from a signal handler)."""
        self.stopping.set()

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                cycle = self.poll_once()
                if cycle.polled:
                    log.info(cycle.line())
            except Exception as error:  # noqa: BLE001 - keep watching through errors
                log.error("watch cycle failed: %s: %s", type(error).__name__, error)
                self.stopping.wait(min(self.options.interval, 30.0))
                continue
            self.stopping.wait(self._seconds_to_next_poll())
        log.info("stopped")

    def _seconds_to_next_poll(self) -> float:
        now = self.clock()
        times = [s.next_poll_at or now for s in self.state.states(list(self.feeds))]
        if not times:
            return self.options.interval
        wait = (min(times) - now).total_seconds()
        return min(max(wait, 0.2), self.options.interval)

    def poll_once(self, force: bool = False) -> CycleSummary:
        """Poll the feeds that are due (all when ``force``) and process what is new."""
        summary = CycleSummary()
        now = self.clock()
        due = [
            s for s in self.state.states(list(self.feeds))
            if force or s.next_poll_at is None or s.next_poll_at <= now
        ]
        if not due:
            return summary
        self._ingest = Ingest(
            self.database, self.resources,
            fuse=lambda: after_new_documents(self.database, self.options.check_alerts),
        )
        answers: queue.Queue[tuple[FeedState, FeedResponse | Exception]] = queue.Queue()
        by_host = groupby(sorted(due, key=lambda s: host_of(s.url)), key=lambda s: host_of(s.url))
        for _host, group in by_host:
            threading.Thread(
                target=self._fetch_all, args=(list(group), answers), daemon=True
            ).start()
        pending = len(due)
        while pending and not self.stopping.is_set():
            try:
                feed, answer = answers.get(timeout=0.25)
            except queue.Empty:
                continue
            pending -= 1
            summary.polled += 1
            self._handle(feed, answer, summary)
        summary.interrupted = self.stopping.is_set()
        if summary.stored:
            self._ingest.fuse()  # then the alert check
        return summary

    def _fetch_all(
        self,
        group: list[FeedState],
        answers: queue.Queue[tuple[FeedState, FeedResponse | Exception]],
    ) -> None:
        """Fetch the feeds of one host one after another (runs in its own thread)."""
        for feed in group:
            if not self.pacer.wait_turn(feed.url):
                return
            try:
                answer: FeedResponse | Exception = fetch_feed(
                    feed.url, feed.etag, feed.last_modified,
                    timeout=self.options.timeout, max_bytes=self.options.max_bytes,
                )
            except Exception as error:  # noqa: BLE001 - reported as the feed's error
                answer = error
            answers.put((feed, answer))

    # -- one feed ---------------------------------------------------------------------------

    def _feed_failed(self, feed: FeedState, reason: str, summary: CycleSummary) -> None:
        now = self.clock()
        delay = backoff_delay(self.options.interval, feed.failures + 1, self.options.max_backoff)
        self.state.failed(feed.url, reason, now, now + dt.timedelta(seconds=delay))
        summary.failed_feeds.append((feed.url, reason))
        log.warning("feed %s failed (%d in a row), next try in %.0fs: %s",
                    feed.url, feed.failures + 1, delay, reason)

    def _handle(
        self, feed: FeedState, answer: FeedResponse | Exception, summary: CycleSummary
    ) -> None:
        if isinstance(answer, Exception):
            reason = str(answer) if isinstance(answer, FetchError) else (
                f"{type(answer).__name__}: {answer}")
            self._feed_failed(feed, reason, summary)
            return
        if answer.unchanged:
            summary.unchanged += 1
        else:
            try:
                found = feed_items(answer.body or b"", feed.url, self.read_options)
            except FeedError as error:
                self._feed_failed(feed, f"not a valid feed: {error}", summary)
                return
            if not self._process(feed.url, found, summary):
                return  # stopped midway: keep the old validators so nothing is skipped
        now = self.clock()
        next_poll = now + dt.timedelta(seconds=self.options.interval)
        self.state.polled(feed.url, now, next_poll, answer.etag, answer.last_modified)

    def _process(self, url: str, found: list[FeedItem], summary: CycleSummary) -> bool:
        """Handle the items not seen before, oldest (last in the feed) first; False when
        stopped before all were handled."""
        seen = self.state.seen(url, [i.key for i in found])
        fresh: dict[str, FeedItem] = {}
        for item in reversed(found):
            if item.key not in seen:
                fresh.setdefault(item.key, item)
        todo = list(fresh.values())
        summary.new_items += len(todo)
        size = max(self.resources.settings.batch_size, 1)
        for start in range(0, len(todo), size):
            if self.stopping.is_set():
                return False
            self._process_batch(url, self.spec_articles(url), todo[start : start + size],
                                summary)
        return True

    def spec_articles(self, url: str) -> bool:
        spec = self.feeds.get(url)
        return bool(spec and spec.articles)

    def _article(self, item: FeedItem) -> Document | Failure:
        """The entry's linked page read as a document; the entry itself if that fails."""
        if not item.link or not self.pacer.wait_turn(item.link):
            return item.read
        for read in read_url(item.link, self.read_options):
            if isinstance(read, Document):
                return read
            log.warning("article %s: %s; using the feed entry", item.link, read.reason)
            break
        return item.read

    def _process_batch(
        self, url: str, articles: bool, batch: list[FeedItem], summary: CycleSummary
    ) -> None:
        reads = [self._article(item) if articles else item.read for item in batch]
        for item, outcome in zip(batch, self._ingest.batch(reads), strict=True):
            self._mark(url, item, outcome.document_id, outcome.status, summary)

    def _mark(
        self, url: str, item: FeedItem, document_id: str | None, outcome: str,
        summary: CycleSummary,
    ) -> None:
        self.state.mark_item(url, item.key, document_id, outcome, self.clock())
        if outcome == STORED:
            summary.stored += 1
        elif outcome == DUPLICATE:
            summary.duplicates += 1
        else:
            summary.failed_items += 1
