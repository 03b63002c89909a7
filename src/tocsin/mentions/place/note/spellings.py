"""Spelling variants of place names in coder's notes: the same village written in another
transliteration (a vowel written "ou" or "o", an article "al" written or dropped, an
apostrophe for an ayn).

``SpellingIndex.key`` folds a name to a key that such variants share (articles dropped, vowels
and digraphs merged, doubled letters single); ``SpellingIndex.variant_entries`` finds the
gazetteer's populated places and admin areas of the given countries whose names have the same
key. The folding rules are in data/events/note_location.toml (``[spellings]``); one index is
built per ``Lexicons`` (``PlaceLexicon.notes.spellings``) and keeps each gazetteer's keys for
the process.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tocsin.places.gazetteer_protocol import Entry, Gazetteer


class SpellingIndex:
    """The folding rules and, per gazetteer and country, the spelling keys of its names."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self.articles = frozenset(rules["articles"])
        self.merge: tuple[tuple[str, str], ...] = tuple((old, new) for old, new in rules["merge"])
        self.min_key_length: int = rules["min_key_length"]
        self.covered_min_features: int = rules["covered_min_features"]
        self._lock = threading.Lock()
        self._index: dict[tuple[str, str], dict[str, tuple[int, ...]]] = {}

    def key(self, name: str) -> str:
        """The key spelling variants of ``name`` share: "Ras al Ain" and "Ra's al 'Ayn" ->
        "rasain"."""
        folded = unicodedata.normalize("NFKD", name)
        folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
        words = [w for w in re.split(r"[^a-z0-9]+", folded) if w and w not in self.articles]
        key = "".join(words)
        for old, new in self.merge:
            key = key.replace(old, new)
        return re.sub(r"(.)\1+", r"\1", key)

    def _country_index(self, gazetteer: Gazetteer, country2: str) -> dict[str, tuple[int, ...]]:
        """Spelling keys of the names of one country's populated places and admin areas."""
        cache_key = (str(gazetteer.path), country2)
        with self._lock:
            found = self._index.get(cache_key)
            if found is not None:
                return found
            keys: dict[str, set[int]] = defaultdict(set)
            for name, geonameid in gazetteer.country_names(country2):
                keys[self.key(name)].add(geonameid)
            index = {k: tuple(sorted(v)) for k, v in keys.items()}
            self._index[cache_key] = index
            return index

    def variant_entries(self, gazetteer: Gazetteer, name: str,
                        countries: set[str]) -> list[Entry]:
        """Entries (with coordinates) of ``countries`` (ISO3) whose names are spelling variants
        of ``name``; none for short names, whose keys say too little."""
        key = self.key(name)
        if len(key) < self.min_key_length or not countries:
            return []
        found: list[Any] = []
        for country3 in sorted(countries):
            country = gazetteer.country(country3)
            country2 = country.country2 if country is not None else None
            if not country2:
                continue
            for geonameid in self._country_index(gazetteer, country2).get(key, ()):
                entry = gazetteer.get(geonameid)
                if entry is not None and (entry.lat or entry.lon):
                    found.append(entry)
        return found

    def covered_countries(self, gazetteer: Gazetteer) -> frozenset[str]:
        """Countries (ISO3) whose whole GeoNames file was imported into the gazetteer (many
        streams, hills, localities besides towns): the operator's area of interest, where a
        village named in a note without any country is first looked for."""
        return gazetteer.fully_imported_countries(self.covered_min_features)
