"""Places of a coder's note that names no place but names a well-known institution ("students
of Moi University protested", "marched to State House"): the institution's town, from
data/events/institutions.toml; institutions every country has (a parliament, a state house)
stand in the capital of the one country the note is about.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from tocsin.records import Place

if TYPE_CHECKING:
    from tocsin.places.gazetteer_protocol import Entry, Gazetteer



@cache
def _table() -> dict[str, Any]:
    path = resources.files("tocsin").joinpath("data/events/institutions.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _pattern(names: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _town(gazetteer: Gazetteer, name: str, country3: str) -> Entry | None:
    entries = [e for e in gazetteer.lookup(name) if e.country3 == country3 and
               e.feature_class == "P" and (e.lat or e.lon)]
    return max(entries, key=lambda e: e.population) if entries else None


def _as_place(text: str, match: re.Match[str], entry: Entry) -> Place:
    return Place(text=match.group(0), start=match.start(), end=match.end(), sentence=0,
                 name=entry.name, geonameid=entry.geonameid, country=entry.country3,
                 admin1=entry.admin1_name, precision="town", lat=entry.lat, lon=entry.lon)


def institution_place(text: str, gazetteer: Gazetteer, country: str | None = None) -> Place | None:
    """The town of the first well-known institution ``text`` names (their names say the
    country); a generic institution ("Parliament") only with ``country`` (ISO3), the one
    country the note is about."""
    found: list[tuple[int, Place]] = []
    for item in _table().get("named", []):
        match = _pattern(item["names"]).search(text)
        if match is not None:
            entry = _town(gazetteer, item["town"], item["country"])
            if entry is not None:
                found.append((match.start(), _as_place(text, match, entry)))
    if country and not found:
        match = _pattern(_table().get("generic", {}).get("names", [])).search(text)
        entry = gazetteer.capital(country) if match is not None else None
        if match is not None and entry is not None:
            found.append((match.start(), _as_place(text, match, entry)))
    return min(found, key=lambda f: f[0])[1] if found else None
