"""The items of a fetched feed: a stable key per entry and the Document (or Failure) read from
it by the ordinary feed reader, with a locator that stays the same from poll to poll."""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from typing import Any

import feedparser

from tocsin.records import Document, Failure
from tocsin.sources.feeds import read_feed
from tocsin.sources.options import ReadOptions


class FeedError(ValueError):
    """The body is not a feed at all."""


@dataclass
class FeedItem:
    key: str  # stable across polls: from the entry's id, else its link, else its text
    link: str | None
    read: Document | Failure


def item_key(entry: Any) -> str:
    basis = entry.get("id") or entry.get("link")
    if not basis:
        basis = f"{entry.get('title', '')}\n{entry.get('summary', '')}"
    return hashlib.sha256(str(basis).encode("utf-8")).hexdigest()[:40]


def feed_items(body: bytes, feed_url: str, options: ReadOptions) -> list[FeedItem]:
    """The entries of ``body`` in feed order; raises FeedError when it is no feed."""
    read = list(read_feed(body, feed_url, options))
    if len(read) == 1 and isinstance(read[0], Failure) and read[0].locator == feed_url:
        raise FeedError(read[0].reason)
    entries = feedparser.parse(body).entries
    found: list[FeedItem] = []
    for number, (entry, item) in enumerate(zip(entries, read, strict=False), start=1):
        if not item.locator.endswith(f"#entry={number}"):
            raise FeedError(f"feed entries and documents out of step at entry {number}")
        key = item_key(entry)
        link = entry.get("link") or None
        locator = link or f"{feed_url}#item={key}"
        found.append(FeedItem(key, link, dataclasses.replace(item, locator=locator)))
    return found
