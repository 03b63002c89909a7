"""Watching RSS/Atom feeds: poll, process new items through the pipeline, fuse, check alerts.

``Watcher`` (``watcher``) runs the loop; ``read_feed_list`` (``feed_list``) reads a FEEDS_FILE;
``feed_status`` (``state``) is what ``tocsin watch --status`` shows. State lives in the
database (``tocsin.store.watch_tables``), so a restarted watcher goes on where it stopped.
"""

from tocsin.watch.feed_list import FeedSpec, read_feed_list
from tocsin.watch.state import FeedStatus, feed_status
from tocsin.watch.watcher import CycleSummary, Watcher, WatchOptions

__all__ = [
    "CycleSummary",
    "FeedSpec",
    "FeedStatus",
    "WatchOptions",
    "Watcher",
    "feed_status",
    "read_feed_list",
]
