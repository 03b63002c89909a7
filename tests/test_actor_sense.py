"""Actors that make sense (issue 17): a coalition led by a country is coded with that country and
a coalition marker; pronouns and quantifiers are no actors; rescuers and medics are neither the
attacker nor the target of the attack they respond to.

The issue's examples are rewritten in our own words and run through ``tocsin.extract``; the
unit tests call the actor components (``normalise``, ``find_roles``) on a parse."""

from __future__ import annotations

import pytest

import tocsin
from tocsin.mentions.actors.normalise import ActorLexicon, leading_country, normalise
from tocsin.mentions.actors.roles import is_responder, names_nobody
from tocsin.resources import shared_resources


@pytest.fixture(scope="session")
def nlp():
    return shared_resources().nlp


@pytest.fixture(scope="session")
def lexicon() -> ActorLexicon:
    return ActorLexicon.load()


def events(text: str, category: str) -> list[dict]:
    record = tocsin.extract(text, published="2016-05-02")
    return [e for e in record["events"] if e["event"] == category]


def token(doc, word: str):
    return next(t for t in doc if t.text == word)


# --- coalitions led by a country --------------------------------------------------------------


def test_saudi_led_coalition_is_not_the_country_named_nearby() -> None:
    text = ("Tehran arms the Houthi movement, officials in Riyadh say. On Monday the Saudi-led "
            "coalition bombed a school in Saada, killing ten pupils.")
    (attack,) = events(text, "ASSAULT")
    assert attack["actor1"]["country"] == "SAU"
    assert attack["actor1"]["group"] == "coalition"


@pytest.mark.parametrize(("text", "head", "country"), [
    ("The Saudi-led coalition struck the port.", "coalition", "SAU"),
    ("US-led forces entered the town.", "forces", "USA"),
    ("The French-led mission withdrew.", "mission", "FRA"),
])
def test_led_modifier_gives_the_leading_country(nlp, lexicon, text: str, head: str,
                                                country: str) -> None:
    doc = nlp(text)
    assert leading_country(token(doc, head), lexicon) == country
    actor = normalise(token(doc, head), lexicon)
    assert (actor.country, actor.group) == (country, "coalition")


def test_a_backed_militia_is_no_coalition(nlp, lexicon) -> None:
    doc = nlp("The Iran-backed militia shelled the town.")
    assert leading_country(token(doc, "militia"), lexicon) is None


# --- pronouns and quantifiers -----------------------------------------------------------------


def test_us_all_is_not_the_united_states() -> None:
    (attack,) = events("Gunmen attacked us all near Kiwanja on Monday, a villager said.",
                       "ASSAULT")
    assert attack["actor2"] is None


def test_we_are_no_target() -> None:
    (attack,) = events("On Monday we were shelled in Aleppo by government forces.", "ASSAULT")
    assert attack["actor2"] is None
    assert attack["actor1"]["sector"] == "MIL"


@pytest.mark.parametrize(("text", "word", "nobody"), [
    ("The shelling frightened us all.", "us", True),
    ("We were shelled.", "We", True),
    ("Many were killed.", "Many", True),
    ("Many of the rebels were killed.", "Many", False),
    ("The US bombed the base.", "US", False),
    ("They shelled the town.", "They", False),
])
def test_names_nobody(nlp, text: str, word: str, nobody: bool) -> None:
    assert names_nobody(token(nlp(text), word)) is nobody


def test_lower_case_us_is_no_country(nlp, lexicon) -> None:
    doc = nlp("The gunmen attacked us all.")
    assert normalise(token(doc, "us"), lexicon).country is None


# --- rescuers and medics ----------------------------------------------------------------------


def test_civil_defence_rescuers_are_not_the_attackers() -> None:
    text = ("Civil Defence rescuers in Douma on Monday, bombing the area for the third day, "
            "said the jets returned.")
    for attack in events(text, "ASSAULT"):
        assert attack["actor1"] is None or "rescuers" not in attack["actor1"]["text"]


def test_paramedics_named_by_the_attack_remain_its_target() -> None:
    (attack,) = events("Gunmen shot three paramedics in Douma on Monday.", "ASSAULT")
    assert "paramedics" in attack["actor2"]["text"]


@pytest.mark.parametrize(("text", "word", "responder"), [
    ("Civil Defence rescuers pulled out the bodies.", "rescuers", True),
    ("Paramedics arrived.", "Paramedics", True),
    ("Red Crescent teams arrived.", "teams", True),
    ("Government troops arrived.", "troops", False),
])
def test_is_responder(nlp, text: str, word: str, responder: bool) -> None:
    assert is_responder(token(nlp(text), word)) is responder
