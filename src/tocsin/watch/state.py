"""The watcher's state in the database: feeds with their validators, schedule and outcome,
and the items already handled (``tocsin.store.watch_tables``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from tocsin.store import Database
from tocsin.store.engine import WRITE_OPTION
from tocsin.store.watch_tables import WatchedFeedRow, WatchedItemRow

feeds: Table = WatchedFeedRow.__table__  # type: ignore[assignment]
items: Table = WatchedItemRow.__table__  # type: ignore[assignment]
_CHUNK = 500


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware UTC time (SQLite gives them back naive)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


@dataclass
class FeedState:
    """What polling a feed needs to know."""

    url: str
    etag: str | None
    last_modified: str | None
    failures: int
    next_poll_at: dt.datetime | None


@dataclass
class FeedStatus:
    """One line of ``tocsin watch --status``."""

    url: str
    last_success_at: dt.datetime | None
    last_error_at: dt.datetime | None
    last_error: str | None
    failures: int
    items_processed: int
    next_poll_at: dt.datetime | None

    def to_dict(self) -> dict[str, object]:
        def when(value: dt.datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "url": self.url,
            "last_success": when(self.last_success_at),
            "last_error_at": when(self.last_error_at),
            "last_error": self.last_error,
            "failures_in_a_row": self.failures,
            "items_processed": self.items_processed,
            "next_poll": when(self.next_poll_at),
        }


class WatchState:
    """Reads and writes the watch tables of one database."""

    def __init__(self, database: Database) -> None:
        self.engine = database.engine

    def _write(self):  # type: ignore[no-untyped-def]
        return self.engine.connect().execution_options(**{WRITE_OPTION: True})

    def register(self, urls: Sequence[str]) -> None:
        """Add the feeds not yet known (due at once)."""
        with self._write() as connection, connection.begin():
            known = set(connection.scalars(select(feeds.c.url).where(feeds.c.url.in_(urls))))
            fresh = [{"url": u} for u in urls if u not in known]
            if fresh:
                connection.execute(insert(feeds), fresh)

    def states(self, urls: Sequence[str]) -> list[FeedState]:
        """The feeds ``urls``, in that order."""
        with self.engine.connect() as connection:
            rows = {
                r.url: r for r in connection.execute(select(feeds).where(feeds.c.url.in_(urls)))
            }
        return [
            FeedState(u, rows[u].etag, rows[u].last_modified, rows[u].failures,
                      utc(rows[u].next_poll_at))
            for u in urls if u in rows
        ]

    def seen(self, url: str, keys: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        with self.engine.connect() as connection:
            for i in range(0, len(wanted), _CHUNK):
                found.update(connection.scalars(
                    select(items.c.item_key).where(
                        items.c.feed_url == url, items.c.item_key.in_(wanted[i : i + _CHUNK])
                    )
                ))
        return found

    def mark_item(
        self, url: str, key: str, document_id: str | None, outcome: str, now: dt.datetime
    ) -> bool:
        """Record that an item was handled; False when it already was."""
        try:
            with self._write() as connection, connection.begin():
                connection.execute(insert(items).values(
                    feed_url=url, item_key=key, document_id=document_id, outcome=outcome,
                    handled_at=now,
                ))
                connection.execute(
                    update(feeds).where(feeds.c.url == url)
                    .values(items_processed=feeds.c.items_processed + 1)
                )
        except IntegrityError:
            return False
        return True

    def polled(
        self,
        url: str,
        now: dt.datetime,
        next_poll_at: dt.datetime,
        etag: str | None,
        last_modified: str | None,
    ) -> None:
        """A successful poll: keep the validators, reset the failure count."""
        with self._write() as connection, connection.begin():
            connection.execute(update(feeds).where(feeds.c.url == url).values(
                etag=etag, last_modified=last_modified, last_polled_at=now,
                last_success_at=now, failures=0, next_poll_at=next_poll_at,
            ))

    def failed(self, url: str, reason: str, now: dt.datetime, next_poll_at: dt.datetime) -> None:
        with self._write() as connection, connection.begin():
            connection.execute(update(feeds).where(feeds.c.url == url).values(
                last_polled_at=now, last_error_at=now, last_error=reason[:500],
                failures=feeds.c.failures + 1, next_poll_at=next_poll_at,
            ))

    def item_count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(items)) or 0)


def feed_status(database: Database) -> list[FeedStatus]:
    """Every feed the watcher knows, in URL order."""
    with database.engine.connect() as connection:
        rows = list(connection.execute(select(feeds).order_by(feeds.c.url)))
    return [
        FeedStatus(r.url, utc(r.last_success_at), utc(r.last_error_at), r.last_error,
                   r.failures, r.items_processed, utc(r.next_poll_at))
        for r in rows
    ]
