"""Options that control how inputs are read (``ReadOptions``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tocsin.sources.fetch import Fetched
    from tocsin.sources.netguard import NetworkPolicy

# JSON Lines field mapping: our name -> the key in each record (dotted keys reach into objects).
DEFAULT_FIELDS: dict[str, str] = {
    "text": "text",
    "title": "title",
    "url": "url",
    "published": "published",
    "source": "source",
    "id": "id",
    "kind": "kind",
}


@dataclass
class ReadOptions:
    """How to read inputs.

    ``max_bytes`` caps each single-document input (an HTML, text or feed file, a URL, stdin) and
    each record of a container (a JSON Lines line, a WARC record); JSON Lines and WARC files are
    streamed, so they may be larger than the cap as a whole.
    """

    published: dt.date | None = None  # overrides/sets the publication date when given
    source: str | None = None  # source name (outlet) to record
    max_bytes: int = 20 * 1024 * 1024
    timeout: float = 20.0  # URL fetch timeout in seconds (connect + read)
    fields: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_FIELDS))
    languages: tuple[str, ...] = ("en",)
    kind: str = "article"  # "article" or "note" (a coder's note of one event); see records.KINDS
    # URLs from untrusted callers (the API): which addresses they may reach; None = any.
    network: NetworkPolicy | None = None
    # Fetches a URL instead of ``fetch`` (the API's jobs fetch ahead, outside the pipeline).
    fetcher: Callable[[str], Fetched] | None = None
    # Names a file input in place of its path (the API's jobs read posted texts from temporary
    # files, whose paths must not show).
    locator: str | None = None

    def field_key(self, name: str) -> str:
        """The JSON Lines key that holds our field ``name`` (defaults to the name itself)."""
        return self.fields.get(name) or DEFAULT_FIELDS.get(name, name)
