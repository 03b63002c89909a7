"""The gazetteer name keys the token-level toponym matcher searches, stored with the gazetteer.

``fill_matcher_names`` writes it once, when the gazetteer is built or a dump is imported: table
``matcher_names`` (one ``normalise_name`` key per row, the primary key, so a probe is one B-tree
search) and ``meta.matcher_max_words`` (the most words in a key). ``name_index(gazetteer)``
opens it for the process: a probe asks SQLite and remembers the answer, so a process starts
without reading the 767,000 names of a full gazetteer into memory.

A gazetteer file written before the table existed (one with imported dumps, which
``Gazetteer.open`` does not rebuild) gets the old in-memory index, built from
``Gazetteer.all_names`` on first use, until ``tocsin gazetteer build --force`` and the imports
refresh it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from tocsin.places.names import normalise_name


class NameIndex(Protocol):
    @property
    def max_words(self) -> int:
        """The most words in a key."""
        ...

    def __contains__(self, key: object) -> bool: ...


@dataclass(frozen=True)
class MemoryNameIndex:
    """Every key in a set in memory (files without ``matcher_names``, and small lists)."""

    keys: frozenset[str]
    max_words: int

    def __contains__(self, key: object) -> bool:
        return key in self.keys


class StoredNameIndex:
    """The keys of a gazetteer's ``matcher_names`` table, probed through ``ask`` (one indexed
    query) and remembered: up to ``memory`` answers, the oldest half dropped when full."""

    def __init__(self, ask: Callable[[str], bool], max_words: int, memory: int = 200_000) -> None:
        self._ask = ask
        self.max_words = max_words
        self._memory = memory
        self._answers: dict[str, bool] = {}

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        answer = self._answers.get(key)
        if answer is None:
            answer = self._ask(key)
            if len(self._answers) >= self._memory:
                for old in list(self._answers)[: self._memory // 2]:
                    del self._answers[old]
            self._answers[key] = answer
        return answer


# Places smaller than this are found only when spaCy tags them (admin areas, countries and
# curated regions are always in the index).
MATCHER_MIN_POPULATION = 1000

_MATCHER_NAMES_SQL = """
SELECT DISTINCT n.name FROM names n JOIN places p ON p.geonameid = n.geonameid
WHERE p.population >= ? OR p.feature_class = 'A' OR p.feature_code = 'CONT'
   OR p.origin = 'curated'
"""

_cache: dict[int, tuple[Any, NameIndex]] = {}
_lock = threading.Lock()


def _keys(names: Iterable[str]) -> tuple[set[str], int]:
    keys: set[str] = set()
    longest = 1
    for name in names:
        key = normalise_name(name)
        if not key:
            continue
        keys.add(key)
        longest = max(longest, key.count(" ") + 1)
    return keys, longest


def build_name_index(names: Iterable[str]) -> MemoryNameIndex:
    keys, longest = _keys(names)
    return MemoryNameIndex(frozenset(keys), longest)


def fill_matcher_names(conn: sqlite3.Connection) -> int:
    """Rebuild ``matcher_names`` and ``meta.matcher_max_words`` from ``names`` and ``places``
    (inside the caller's transaction); returns the number of keys."""
    conn.execute("CREATE TABLE IF NOT EXISTS matcher_names (key TEXT PRIMARY KEY) WITHOUT ROWID")
    names = (name for (name,) in conn.execute(_MATCHER_NAMES_SQL, (MATCHER_MIN_POPULATION,)))
    keys, longest = _keys(names)
    conn.execute("DELETE FROM matcher_names")
    conn.executemany("INSERT INTO matcher_names(key) VALUES (?)", ((k,) for k in sorted(keys)))
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('matcher_max_words', ?)",
                 (str(longest),))
    return len(keys)


class IndexedGazetteer(Protocol):
    """What the index needs of a gazetteer (``places.gazetteer.Gazetteer`` has it; named here so
    that this module, which the gazetteer's builder uses, does not import the gazetteer)."""

    def matcher_max_words(self) -> int | None: ...

    def has_matcher_name(self, key: str) -> bool: ...

    def all_names(self, min_population: int = 0) -> Iterable[str]: ...


def stored_name_index(gazetteer: IndexedGazetteer) -> StoredNameIndex | None:
    """The gazetteer's stored index, or None when its file has none."""
    found = gazetteer.matcher_max_words()
    if found is None:
        return None
    return StoredNameIndex(gazetteer.has_matcher_name, found)


def name_index(gazetteer: IndexedGazetteer) -> NameIndex:
    """The name index of ``gazetteer`` for this process: the stored one, else built in memory."""
    with _lock:
        cached = _cache.get(id(gazetteer))
        if cached is not None and cached[0] is gazetteer:
            return cached[1]
        index: NameIndex | None = stored_name_index(gazetteer)
        if index is None:
            index = build_name_index(gazetteer.all_names(min_population=MATCHER_MIN_POPULATION))
        _cache[id(gazetteer)] = (gazetteer, index)
        return index
