"""Spelling variants of place names in coder's notes: the same village written in another
transliteration ("Koulerou" / "Kolerou", "Ras al Ain" / "Ra's al 'Ayn", "Khuzaa" / "Khuza'ah").

``spelling_key`` folds a name to a key that such variants share (articles dropped, vowels and
digraphs merged, doubled letters single); ``variant_entries`` finds the gazetteer's populated
places and admin areas of the given countries whose names have the same key. The folding rules
are in data/events/note_location.toml (``[spellings]``).
"""

from __future__ import annotations

import re
import sqlite3
import threading
import tomllib
import unicodedata
from collections import defaultdict
from functools import cache
from importlib import resources
from typing import Any

_LOCK = threading.Lock()
_INDEX: dict[tuple[str, str], dict[str, tuple[int, ...]]] = {}


@cache
def _rules() -> dict[str, Any]:
    path = resources.files("tocsin").joinpath("data/events/note_location.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))["spellings"]


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


def _country_index(path: str, country2: str) -> dict[str, tuple[int, ...]]:
    """Spelling keys of the names of one country's populated places and admin areas."""
    with _LOCK:
        found = _INDEX.get((path, country2))
        if found is not None:
            return found
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT n.name, p.geonameid FROM places p JOIN names n ON n.geonameid ="
                " p.geonameid WHERE p.country2 = ? AND p.feature_class IN ('P', 'A')",
                (country2,)).fetchall()
        finally:
            conn.close()
        keys: dict[str, set[int]] = defaultdict(set)
        for name, geonameid in rows:
            keys[spelling_key(name)].add(geonameid)
        index = {k: tuple(sorted(v)) for k, v in keys.items()}
        _INDEX[(path, country2)] = index
        return index


def variant_entries(gazetteer: Any, name: str, countries: set[str]) -> list[Any]:
    """Entries (with coordinates) of ``countries`` (ISO3) whose names are spelling variants of
    ``name``; none for short names, whose keys say too little."""
    key = spelling_key(name)
    if len(key) < _rules()["min_key_length"] or not countries:
        return []
    path = str(getattr(gazetteer, "path", ""))
    if not path:
        return []
    found: list[Any] = []
    if not hasattr(gazetteer, "country"):
        return []
    for country3 in sorted(countries):
        country = gazetteer.country(country3)
        country2 = getattr(country, "country2", None) if country is not None else None
        if not country2:
            continue
        for geonameid in _country_index(path, country2).get(key, ()):
            entry = gazetteer.get(geonameid)
            if entry is not None and (entry.lat or entry.lon):
                found.append(entry)
    return found


_COVERED: dict[str, frozenset[str]] = {}


def covered_countries(gazetteer: Any) -> frozenset[str]:
    """Countries (ISO3) whose whole GeoNames file was imported into the gazetteer (many
    streams, hills, localities besides towns): the operator's area of interest, where a
    village named in a note without any country is first looked for."""
    path = str(getattr(gazetteer, "path", ""))
    if not path:
        return frozenset()
    with _LOCK:
        found = _COVERED.get(path)
        if found is not None:
            return found
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT p.country2, c.iso3 FROM places p JOIN countries c ON c.iso2 = p.country2"
                " WHERE p.origin = 'geonames' AND p.feature_class NOT IN ('P', 'A')"
                " GROUP BY p.country2 HAVING count(*) >= ?",
                (_rules()["covered_min_features"],)).fetchall()
        except sqlite3.Error:
            rows = []  # not a full gazetteer file: no country counts as covered
        finally:
            conn.close()
        found = frozenset(iso3 for _, iso3 in rows if iso3)
        _COVERED[path] = found
        return found
