"""Actors: who acted and on whom, normalised to country, sector and group (own sentences)."""

from __future__ import annotations

import datetime as dt

import pytest

from tocsin.mentions import find_events
from tocsin.mentions.actors.normalise import ActorLexicon, document_country, normalise
from tocsin.records import Document, Place

ACTORS = ActorLexicon.load()


@pytest.fixture(scope="session")
def resources():
    from tocsin.resources import Resources

    return Resources()


def _events(resources, text: str, places: list[Place] | None = None):
    document = Document(id="t", text=text, locator="t", format="text",
                        published=dt.date(2021, 3, 2))
    return find_events(document, resources.nlp(text), places or [], resources)


def _place(text: str, name: str, country: str) -> Place:
    start = text.index(name)
    return Place(text=name, start=start, end=start + len(name), sentence=0, country=country,
                 precision="town", lat=1.0, lon=1.0)


def test_passive_voice_agent_is_actor1(resources) -> None:
    events = _events(resources, "Two villages were bombed by Russian jets on Sunday.")
    assault = next(e for e in events if e.event == "ASSAULT")
    assert assault.actor1 is not None and assault.actor1.country == "RUS"
    assert assault.actor1.sector == "MIL"


def test_agent_shared_by_coordinated_participles(resources) -> None:
    events = _events(resources, "A shepherd was shot and killed by Syrian soldiers.")
    assault = next(e for e in events if e.event == "ASSAULT")
    assert assault.actor1 is not None and assault.actor1.country == "SYR"


def test_participle_clause_agent(resources) -> None:
    text = "A farmer's body was found near the river, killed by Turkish troops."
    events = _events(resources, text)
    assault = next(e for e in events if e.event == "ASSAULT")
    assert assault.actor1 is not None and assault.actor1.country == "TUR"


def test_title_and_demonym_make_a_government_actor(resources) -> None:
    parsed = resources.nlp("The Russian Ambassador spoke.")
    actor = normalise(parsed[2], ACTORS)
    assert (actor.country, actor.sector) == ("RUS", "GOV")


def test_document_country_needs_a_clear_majority() -> None:
    def place(country: str, metonym: bool = False) -> Place:
        return Place(text="x", start=0, end=1, sentence=0, country=country, metonym=metonym)

    assert document_country([place("KEN"), place("KEN"), place("UGA")]) == "KEN"
    assert document_country([place("KEN"), place("UGA")]) is None
    assert document_country([place("KEN", metonym=True), place("UGA")]) == "UGA"
    assert document_country([]) is None


def _head(parsed, word: str):
    return next(t for t in parsed if t.text == word)


def test_actor_without_a_country_takes_the_documents_country(resources) -> None:
    text = "Protesters blocked the main road in Dorvale on Friday."
    parsed = resources.nlp(text)
    actor = normalise(_head(parsed, "Protesters"), ACTORS, [_place(text, "Dorvale", "KEN")])
    assert actor.country == "KEN"


def test_stated_country_beats_the_documents_country(resources) -> None:
    text = "Ugandan soldiers attacked a camp in Dorvale on Friday."
    parsed = resources.nlp(text)
    actor = normalise(_head(parsed, "soldiers"), ACTORS, [_place(text, "Dorvale", "KEN")])
    assert (actor.country, actor.sector) == ("UGA", "MIL")


def test_international_organisation_gets_no_country(resources) -> None:
    text = "UNHCR delivered tents to families in Dorvale."
    parsed = resources.nlp(text)
    actor = normalise(_head(parsed, "UNHCR"), ACTORS, [_place(text, "Dorvale", "KEN")])
    assert actor.sector == "IGO" and actor.country is None


def test_what_an_actor_opposes_is_not_its_country() -> None:
    import tocsin

    found = tocsin.extract("Students protesting against Israel blocked a road in Nairobi.")
    (protest,) = [e for e in found["events"] if e["event"] == "PROTEST"]
    assert protest["actor1"]["country"] != "ISR"


def test_a_currency_named_after_a_country_places_nothing() -> None:
    import tocsin

    text = ("Hundreds of protesters angry at the rising US dollar exchange rate blocked the road "
            "between Bsalim and Deir Aamar on Sunday.")
    found = tocsin.extract(text, "2020-05-04")
    (us,) = [p for p in found["places"] if p["text"] == "US"]
    assert us["metonym"] is True
    # an unknown village is not put in the country of the currency, and neither are the people
    assert all(p["country"] != "USA" for p in found["places"] if p["text"] != "US")
    (protest,) = [e for e in found["events"] if e["event"] == "PROTEST"]
    assert (protest["actor1"] or {}).get("country") != "USA"
    assert (protest["location"] or {}).get("country") != "USA"



@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("Hundreds of protesters blocked the main road on Sunday.", "CVL"),
        ("Dozens of soldiers attacked the village at dawn.", "MIL"),
        ("About 200 rebels stormed the prison overnight.", "REB"),
    ],
)
def test_a_quantity_of_people_acts_as_those_people(text: str, sector: str) -> None:
    import tocsin

    (event,) = tocsin.extract(text, "2020-05-04")["events"]
    assert (event["actor1"] or {}).get("sector") == sector
