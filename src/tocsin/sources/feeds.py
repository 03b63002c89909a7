"""RSS and Atom reader (feedparser): one Document per entry, with the entry's date and link."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import feedparser

from tocsin.records import Document, Failure
from tocsin.sources.boilerplate import clean_text
from tocsin.sources.dates import parse_published
from tocsin.sources.documents import build_document, read_failure
from tocsin.sources.html import fragment_text
from tocsin.sources.options import ReadOptions

# An entry's opening and closing tags, and the end of the feed (RSS 2, RSS 1 / RDF, Atom).
_ENTRY_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>]")
_ENTRY_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>")
_FEED_END = re.compile(rb"</(?:[\w.-]+:)?(?:rss|RDF|feed|channel)\s*>")
CUT_ENTRY = "the feed ends inside this entry (cut off); its text would be incomplete"


def read_feed(data: bytes, locator: str, options: ReadOptions) -> Iterator[Document | Failure]:
    """Documents for the entries of a feed (locators ``<locator>#entry=N``, from 1).

    A feed that is not RSS or Atom at all yields one Failure; a feed with minor errors is read as
    far as feedparser can; an entry without any text yields a Failure for that entry. A feed
    cut off inside an entry (a truncated download) yields a Failure for that entry, not a
    Document of what was read of it: feedparser keeps an element only once it is closed, so
    the entry would have kept its title and silently lost its description.
    """
    if not data.strip():
        yield read_failure(locator, "empty input" if not data else "input holds only whitespace")
        return
    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # noqa: BLE001 - feedparser can crash on hostile input
        yield read_failure(locator, f"not a valid feed: {type(exc).__name__}: {exc}")
        return
    if not parsed.entries:
        if not parsed.get("version"):
            problem = parsed.get("bozo_exception") or "no RSS or Atom root element"
            yield read_failure(locator, f"not a valid feed: {problem}")
        return  # a valid feed that has no entries yet
    feed_title = parsed.feed.get("title")
    cut = bool(parsed.get("bozo")) and _ends_inside_entry(data)
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{locator}#entry={number}"
        if cut and number == len(parsed.entries):
            yield read_failure(where, CUT_ENTRY)
        else:
            yield _entry_document(entry, where, feed_title, options)


def _ends_inside_entry(data: bytes) -> bool:
    """Whether ``data`` ends after an entry's opening tag, with neither that entry nor the
    feed closed after it."""
    starts = list(_ENTRY_START.finditer(data))
    if not starts:
        return False
    rest = data[starts[-1].end():]
    return not _ENTRY_END.search(rest) and not _FEED_END.search(rest)


def _entry_document(
    entry: Any, locator: str, feed_title: str | None, options: ReadOptions
) -> Document | Failure:
    title = _plain(entry.get("title"), entry.get("title_detail"))
    body = _entry_body(entry)
    text = clean_text(body) if body else ""
    if not text and title:
        text = clean_text(title)  # a headline-only entry is still a report
    if not text:
        return read_failure(locator, "feed entry has no text")
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    if published is None:
        published = entry.get("published") or entry.get("updated")
    return build_document(
        text,
        locator=locator,
        format="feed",
        options=options,
        title=title,
        author=entry.get("author"),
        published=parse_published(published),
        url=entry.get("link"),
        source=feed_title,
    )


def _entry_body(entry: Any) -> str:
    """The entry's full content when it has one, else its summary, as plain text."""
    for part in entry.get("content") or []:
        text = _plain(part.get("value"), part)
        if text.strip():
            return text
    return _plain(entry.get("summary"), entry.get("summary_detail"))


def _plain(value: str | None, detail: Any) -> str:
    """``value`` as plain text; feedparser's ``*_detail`` says whether it is markup."""
    if not value:
        return ""
    kind = detail.get("type") if isinstance(detail, Mapping) else None
    return value if kind == "text/plain" else fragment_text(value)
