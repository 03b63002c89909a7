"""A note naming no place but a well-known institution stands at the institution's town."""

from __future__ import annotations

from types import SimpleNamespace

from tocsin.mentions.place.note.institutions import institution_place


class _Towns:
    """Two towns of the institutions table, and a same-named town elsewhere."""

    def __init__(self) -> None:
        def town(gid: int, name: str, country: str, lat: float, pop: int) -> SimpleNamespace:
            return SimpleNamespace(geonameid=gid, name=name, country3=country, admin1_name=None,
                                   feature_class="P", lat=lat, lon=lat, population=pop)

        self.towns = {"eldoret": [town(1, "Eldoret", "KEN", 0.5, 300000),
                                  town(2, "Eldoret", "ZZZ", 9.0, 90)],
                      "nyeri": [town(3, "Nyeri", "KEN", -0.4, 120000)]}

    def lookup(self, name: str) -> list[SimpleNamespace]:
        return self.towns.get(name.lower(), [])


def test_a_university_named_in_a_note_gives_its_town() -> None:
    text = "Students of moi university clashed over the coming student elections."
    place = institution_place(text, _Towns())
    assert place is not None and place.name == "Eldoret" and place.country == "KEN"
    assert text[place.start : place.end].lower() == "moi university"


def test_the_first_institution_named_wins() -> None:
    text = "Dedan Kimathi University staff joined a march by Moi University lecturers."
    place = institution_place(text, _Towns())
    assert place is not None and place.name == "Nyeri"


def test_a_generic_institution_needs_the_note_s_country() -> None:
    assert institution_place("A crowd marched to Parliament to oppose a bill.", _Towns()) is None


def test_a_name_inside_a_longer_word_is_no_institution() -> None:
    assert institution_place("Protesters blocked the Moi Universityroad.", _Towns()) is None
