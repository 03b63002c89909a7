"""Read a FEEDS_FILE: one feed URL per line (``#`` starts a comment), optionally followed by
the word ``articles`` to fetch each entry's article page; or a TOML file with ``[[feed]]``
tables (``url``, ``articles``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

ARTICLES = "articles"


class FeedListError(ValueError):
    """The feeds file cannot be read or holds something that is not a feed URL."""


@dataclass(frozen=True)
class FeedSpec:
    url: str
    articles: bool = False  # fetch each entry's linked page and read it instead of the entry


def _checked(url: str, where: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        raise FeedListError(f"{where}: {url!r} is not an http(s) URL")
    return url


def read_feed_list(path: Path, articles: bool = False) -> list[FeedSpec]:
    """The feeds listed in ``path`` in order, each once; ``articles`` is the default for
    feeds that do not say."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FeedListError(f"cannot read {path}: {error}") from error
    specs: list[FeedSpec] = []
    if path.suffix.lower() == ".toml":
        try:
            tables = tomllib.loads(text).get("feed", [])
        except tomllib.TOMLDecodeError as error:
            raise FeedListError(f"{path}: {error}") from error
        for number, table in enumerate(tables, start=1):
            if not isinstance(table, dict) or not isinstance(table.get("url"), str):
                raise FeedListError(f"{path}: feed {number} has no url")
            url = _checked(table["url"].strip(), f"{path}: feed {number}")
            specs.append(FeedSpec(url, bool(table.get(ARTICLES, articles))))
    else:
        for number, line in enumerate(text.splitlines(), start=1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            where = f"{path}:{number}"
            if len(words) > 2 or (len(words) == 2 and words[1].lower() != ARTICLES):
                raise FeedListError(f"{where}: expected a URL, optionally followed by 'articles'")
            specs.append(FeedSpec(_checked(words[0], where), articles or len(words) == 2))
    unique: dict[str, FeedSpec] = {}
    for spec in specs:
        unique.setdefault(spec.url, spec)
    return list(unique.values())
