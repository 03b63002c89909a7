"""An in-memory set of every gazetteer name key, for the token-level toponym matcher.

Built once per gazetteer per process (``name_index``) from ``Gazetteer.all_names``; a lookup is
one hash probe, so matching every n-gram of a document costs far less than parsing it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tocsin.places.names import normalise_name

if TYPE_CHECKING:
    from tocsin.places.gazetteer import Gazetteer


@dataclass(frozen=True)
class NameIndex:
    keys: frozenset[str]
    max_words: int

    def __contains__(self, key: object) -> bool:
        return key in self.keys


# Places smaller than this are found only when spaCy tags them (admin areas, countries and
# curated regions are always in the index).
MATCHER_MIN_POPULATION = 1000

_cache: dict[int, tuple[Any, NameIndex]] = {}
_lock = threading.Lock()


def build_name_index(names: Any) -> NameIndex:
    keys: set[str] = set()
    longest = 1
    for name in names:
        key = normalise_name(name)
        if not key:
            continue
        keys.add(key)
        longest = max(longest, key.count(" ") + 1)
    return NameIndex(frozenset(keys), longest)


def name_index(gazetteer: Gazetteer) -> NameIndex:
    """The name index of ``gazetteer``, built on first use and kept for the process."""
    with _lock:
        cached = _cache.get(id(gazetteer))
        if cached is not None and cached[0] is gazetteer:
            return cached[1]
        index = build_name_index(gazetteer.all_names(min_population=MATCHER_MIN_POPULATION))
        _cache[id(gazetteer)] = (gazetteer, index)
        return index
