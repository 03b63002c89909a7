"""Place records for a toponym in a test sentence: offsets found in the text, the rest given."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tocsin.records import Place

if TYPE_CHECKING:
    from tocsin.mentions.place.words import PlaceLexicon


def place_at(text: str, name: str, precision: str | None = "town", country: str | None = None,
             metonym: bool = False, **resolved: Any) -> Place:
    """The Place of the first occurrence of ``name`` in ``text`` (sentence 0); ``resolved``
    fills further Place fields (lat, lon, geonameid, admin1 ...)."""
    start = text.index(name)
    return Place(text=name, start=start, end=start + len(name), sentence=0,
                 precision=precision, country=country, metonym=metonym, **resolved)


def place_lexicon() -> PlaceLexicon:
    """The event-place lexicon ``find_events`` reads (``Resources.lexicons.places``): one per
    process, so that a test may patch its weights."""
    from tocsin.resources import shared_resources

    return shared_resources().lexicons.places
