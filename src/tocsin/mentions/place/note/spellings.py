"""Spelling variants of place names in coder's notes: the same village written in another
transliteration (a vowel written "ou" or "o", an article "al" written or dropped, an
apostrophe for an ayn).

``spelling_key`` folds a name to a key that such variants share (articles dropped, vowels and
digraphs merged, doubled letters single); ``variant_entries`` finds the gazetteer's populated
places and admin areas of the given countries whose names have the same key. The folding rules
are in data/events/note_location.toml (``[spellings]``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from tocsin.mentions.place.note.lookup import note_words

if TYPE_CHECKING:
    from tocsin.places.gazetteer_protocol import Entry, Gazetteer

_LOCK = threading.Lock()
_INDEX: dict[tuple[str, str], dict[str, tuple[int, ...]]] = {}



def _rules() -> dict[str, Any]:
    return note_words()["spellings"]


def spelling_key(name: str) -> str:
    """The key spelling variants of ``name`` share: "Ras al Ain" and "Ra's al 'Ayn" -> "rasain"."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    articles = set(_rules()["articles"])
    words = [w for w in re.split(r"[^a-z0-9]+", folded) if w and w not in articles]
    key = "".join(words)
    for old, new in _rules()["merge"]:
        key = key.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", key)


def _country_index(gazetteer: Gazetteer, country2: str) -> dict[str, tuple[int, ...]]:
    """Spelling keys of the names of one country's populated places and admin areas."""
    cache_key = (str(gazetteer.path), country2)
    with _LOCK:
        found = _INDEX.get(cache_key)
        if found is not None:
            return found
        keys: dict[str, set[int]] = defaultdict(set)
        for name, geonameid in gazetteer.country_names(country2):
            keys[spelling_key(name)].add(geonameid)
        index = {k: tuple(sorted(v)) for k, v in keys.items()}
        _INDEX[cache_key] = index
        return index


def variant_entries(gazetteer: Gazetteer, name: str, countries: set[str]) -> list[Entry]:
    """Entries (with coordinates) of ``countries`` (ISO3) whose names are spelling variants of
    ``name``; none for short names, whose keys say too little."""
    key = spelling_key(name)
    if len(key) < _rules()["min_key_length"] or not countries:
        return []
    found: list[Any] = []
    for country3 in sorted(countries):
        country = gazetteer.country(country3)
        country2 = country.country2 if country is not None else None
        if not country2:
            continue
        for geonameid in _country_index(gazetteer, country2).get(key, ()):
            entry = gazetteer.get(geonameid)
            if entry is not None and (entry.lat or entry.lon):
                found.append(entry)
    return found


def covered_countries(gazetteer: Gazetteer) -> frozenset[str]:
    """Countries (ISO3) whose whole GeoNames file was imported into the gazetteer (many
    streams, hills, localities besides towns): the operator's area of interest, where a
    village named in a note without any country is first looked for."""
    return gazetteer.fully_imported_countries(_rules()["covered_min_features"])
