"""A note naming no place but an institution every capital has stands at the capital."""

from __future__ import annotations

from types import SimpleNamespace

from tocsin.mentions.place.note.institutions import institution_place
from tocsin.mentions.place.note.words import NoteWords
from tocsin.mentions.place.words import PlaceWords

# only the note words are read here: a stand-in for the PlaceLexicon that holds them
_LEX = SimpleNamespace(notes=NoteWords.load(PlaceWords.load().place_nouns))


class _Capitals:
    """One country with a capital."""

    def capital(self, iso3: str) -> SimpleNamespace | None:
        if iso3 != "AAA":
            return None
        return SimpleNamespace(geonameid=1, name="Velmor", country3="AAA", admin1_name=None,
                               feature_class="P", lat=1.0, lon=2.0, population=300000)


def test_a_generic_institution_stands_at_the_capital_of_the_note_s_country() -> None:
    text = "A crowd marched to Parliament to oppose a bill."
    place = institution_place(_LEX, text, _Capitals(), "AAA")  # type: ignore[arg-type]
    assert place is not None and place.name == "Velmor" and place.country == "AAA"
    assert text[place.start : place.end] == "Parliament"


def test_a_generic_institution_needs_the_note_s_country() -> None:
    assert institution_place(_LEX, "A crowd marched to Parliament.", _Capitals()) is None  # type: ignore[arg-type]
    assert institution_place(_LEX, "A crowd marched to Parliament.", _Capitals(), "BBB") is None  # type: ignore[arg-type]


def test_a_name_inside_a_longer_word_is_no_institution() -> None:
    assert institution_place(_LEX, "Protesters blocked Parliamentroad.", _Capitals(), "AAA") is None  # type: ignore[arg-type]
