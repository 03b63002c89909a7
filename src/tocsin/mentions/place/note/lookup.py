"""Looking up a coder's note's names in the gazetteer: a name with or without the words that
type it ("<X> district town"), how well an entry's admin areas match the admin names the
note qualifies it with, and a found place re-pointed at a gazetteer entry. Shared by
``location``, ``candidates`` and ``containers``; the words are ``PlaceLexicon.notes``
(data/events/note_location.toml).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tocsin.records import Place

AREA_CODES = {"ADM1", "ADM2", "ADM3", "ADMD", "ADM1H", "ADM2H"}

if TYPE_CHECKING:
    from tocsin.mentions.place.words import PlaceLexicon
    from tocsin.places.gazetteer_protocol import Entry, Gazetteer


def lookup(lex: PlaceLexicon, gazetteer: Gazetteer, name: str) -> list[Entry]:
    """Gazetteer entries (with coordinates) for a note's name and for the name without the words
    that type it (``lex.notes.name_suffixes``): "<X> district town" -> also "<X>"."""
    words = name.split()
    found: list[Any] = []
    while words:
        found += [e for e in gazetteer.lookup(" ".join(words)) if e.lat or e.lon]
        if found or len(words) < 2 or words[-1].lower() not in lex.notes.name_suffixes:
            break  # the longest known form only: "Tana River County" is not "Tana"
        words = words[:-1]
    first, dash, _ = name.partition("-")
    if not found and dash and first[:1].isupper() and " " not in first.strip() and \
            first.lower() not in lex.notes.connectors:
        # "the <A>-<B> highway": a road named for the towns it joins starts at the first
        found = [e for e in gazetteer.lookup(first) if e.lat or e.lon]
    unique = {e.geonameid: e for e in found}
    return list(unique.values())


def in_parentheses(text: str, place: Place) -> bool:
    before = text[: place.start]
    return before.rfind("(") > before.rfind(")")


def admin_key(name: str) -> str:
    """An admin area's name folded for comparison: "Sa'dah" and "Sadah" are one key."""
    from tocsin.places.names import normalise_name

    return "".join(ch for ch in normalise_name(name) if ch.isalnum())


def qualifier_matches(entry: Entry, qualifiers: list[str]) -> int:
    keys = {admin_key(q) for q in qualifiers}
    admin = {admin_key(n) for n in (entry.admin1_name, entry.admin2_name) if n}
    return sum(1 for k in keys if k and any(k == a or k in a or a in k for a in admin if a))


def as_place(place: Place, entry: Entry) -> Place:
    from tocsin.places.gazetteer import precision

    fine = precision(entry)
    return replace(place, name=entry.name, geonameid=entry.geonameid, country=entry.country3,
                   admin1=entry.admin1_name, lat=entry.lat, lon=entry.lon, precision=fine)
