"""The event's place: which toponym of a sentence is where the event happened (own sentences)."""

from __future__ import annotations

import pytest

from tocsin.mentions.event_place import choose_place, locate_event, locative_candidates
from tocsin.records import Place


@pytest.fixture(scope="session")
def nlp():
    from tocsin.resources import load_spacy

    return load_spacy()


def _place(text: str, name: str, precision: str | None = "town", country: str | None = None,
           metonym: bool = False) -> Place:
    start = text.index(name)
    return Place(text=name, start=start, end=start + len(name), sentence=0,
                 precision=precision, country=country, metonym=metonym)


def _pick(nlp, text: str, verb: str, names: list[str], **kw) -> str | None:
    parsed = nlp(text)
    start = text.index(verb)
    places = [_place(text, n, **kw) for n in names]
    pick, _ = locate_event(parsed, (start, start + len(verb)), places)
    return pick.text if pick else None


def test_town_in_the_prepositional_phrase_wins_over_its_country(nlp) -> None:
    text = "Gunmen ambushed a convoy near Dorvale in northern Karistan on Monday."
    parsed = nlp(text)
    places = [_place(text, "Dorvale"), _place(text, "Karistan", precision="country")]
    start = text.index("ambushed")
    pick, _ = locate_event(parsed, (start, start + 8), places)
    assert pick is not None and pick.text == "Dorvale"


def test_a_country_naming_the_actor_is_not_the_place(nlp) -> None:
    # "Freedonian soldiers": the country describes who acted, not where.
    text = "Freedonia soldiers shot two fishermen on Tuesday."
    assert _pick(nlp, text, "shot", ["Freedonia"], precision="country") is None


def test_a_metonym_is_never_the_place(nlp) -> None:
    text = "Ostrava condemned the shelling of Velmor."
    parsed = nlp(text)
    places = [_place(text, "Ostrava", metonym=True), _place(text, "Velmor")]
    start = text.index("shelling")
    pick = choose_place(parsed[text[:start].count(" ")], parsed[:], places, [])
    assert pick is None or pick.text == "Velmor"


def test_origin_of_a_movement_is_the_place_only_for_displacement(nlp) -> None:
    text = "Hundreds of families fled from Pelmar to Quenby after the raids."
    parsed = nlp(text)
    places = [_place(text, "Pelmar"), _place(text, "Quenby")]
    start = text.index("fled")
    moved, _ = locate_event(parsed, (start, start + 4), places, displacement=True)
    assert moved is not None and moved.text == "Pelmar"


def test_names_the_syntax_marks_as_places_become_candidates(nlp) -> None:
    text = "Artillery shelled the village of Tal Morrin and houses in Kefr Allun."
    parsed = nlp(text)
    found = {p.text for p in locative_candidates(parsed[:], [])}
    assert "Kefr Allun" in found
    assert any("Morrin" in name for name in found)
    start = text.index("shelled")
    pick, candidates = locate_event(parsed, (start, start + 7), [])
    assert pick is not None and pick.text in found and len(candidates) == len(found)


def test_no_toponym_means_no_place(nlp) -> None:
    text = "At least ten fighters were killed in the airstrike."
    assert _pick(nlp, text, "killed", []) is None


def test_the_agent_of_a_passive_verb_is_not_the_place(nlp) -> None:
    # "by Freedonia" says who captured, "in Velmor" says where.
    text = "The two sailors were captured by Freedonia in Velmor last week."
    assert _pick(nlp, text, "captured", ["Freedonia", "Velmor"]) == "Velmor"


def test_a_source_is_never_the_place(nlp) -> None:
    text = "Two fighters were killed during the clashes, according to the Ostrava Media Center."
    assert _pick(nlp, text, "killed", ["Ostrava Media Center"]) is None


def test_the_named_town_wins_over_the_area_that_modifies_it(nlp) -> None:
    # "the Karistan city of Dorvale": the event is in Dorvale, Karistan only situates it.
    text = "Soldiers shot two protesters in the Karistan city of Dorvale on Friday."
    assert _pick(nlp, text, "shot", ["Karistan", "Dorvale"], precision="admin1") == "Dorvale"


def test_a_noun_placed_by_a_preposition_keeps_its_toponym(nlp) -> None:
    # "his Velmor home" is a location because "on the doorstep of" places it.
    text = "The judge was shot on the doorstep of his Velmor home."
    assert _pick(nlp, text, "shot", ["Velmor"]) == "Velmor"

