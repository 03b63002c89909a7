"""Places of a coder's note that names no place but names an institution every country has in
its capital ("marched to State House", "protested outside Parliament"): the capital of the one
country the note is about. The institution words are in data/events/institutions.toml, read
into ``PlaceLexicon.notes.institutions``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tocsin.records import Place

if TYPE_CHECKING:
    from tocsin.mentions.place.words import PlaceLexicon
    from tocsin.places.gazetteer_protocol import Entry, Gazetteer


def _as_place(text: str, match: re.Match[str], entry: Entry) -> Place:
    return Place(text=match.group(0), start=match.start(), end=match.end(), sentence=0,
                 name=entry.name, geonameid=entry.geonameid, country=entry.country3,
                 admin1=entry.admin1_name, precision="town", lat=entry.lat, lon=entry.lon)


def institution_place(lex: PlaceLexicon, text: str, gazetteer: Gazetteer,
                      country: str | None = None) -> Place | None:
    """The capital of ``country`` (ISO3, the one country the note is about) when ``text`` names
    an institution that stands in every country's capital ("Parliament"), else None."""
    if not country:
        return None
    match = lex.notes.institutions.search(text)
    entry = gazetteer.capital(country) if match is not None else None
    return _as_place(text, match, entry) if match is not None and entry is not None else None
