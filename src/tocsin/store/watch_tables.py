"""Tables for watched feeds and their state (created by migration 0005).

``watch_feeds`` keeps one row per feed URL: the validators its server last sent (ETag,
Last-Modified), when it was polled, succeeded or failed last, how many polls in a row failed
(for backoff), when it is due again, and how many items it has given. ``watch_items`` keeps
one row per feed item handled, by a key from the item's id or link, so a restarted watcher
processes no item twice.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.store.base import CODE, ID, Base


class WatchedFeedRow(Base):
    """A feed that ``tocsin watch`` polls, and the outcome of its polls."""

    __tablename__ = "watch_feeds"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_polled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_success_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, server_default="0")
    next_poll_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    items_processed: Mapped[int] = mapped_column(Integer, server_default="0")


class WatchedItemRow(Base):
    """One feed item that has been handled: stored, found already stored, or failed."""

    __tablename__ = "watch_items"

    feed_url: Mapped[str] = mapped_column(
        Text, ForeignKey("watch_feeds.url", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str | None] = mapped_column(ID)
    outcome: Mapped[str] = mapped_column(CODE)
    handled_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


__all__ = ["Base", "WatchedFeedRow", "WatchedItemRow"]
