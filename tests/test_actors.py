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


@pytest.mark.parametrize("kind", ["article", "note"])
@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("On 4 March 2026, protesters gathered in Nabatiyeh, demanding the release of detained "
         "activists.", "LBN"),
        ("Hundreds of teachers marched through Nouakchott on Tuesday demanding higher pay.",
         "MRT"),
    ],
)
def test_a_crowd_that_names_no_country_protests_in_its_own(text: str, country: str,
                                                           kind: str) -> None:
    import tocsin

    found = tocsin.extract(text, "2026-03-05", kind=kind)["events"]
    (protest,) = [e for e in found if e["event"] == "PROTEST"]
    assert protest["location"]["country"] == country
    assert protest["actor1"]["country"] == country


def test_a_crowd_keeps_the_country_it_names() -> None:
    import tocsin

    found = tocsin.extract("Syrian refugees protested in Beirut on Monday against plans to close "
                           "their camp.", "2026-03-05")["events"]
    (protest,) = [e for e in found if e["event"] == "PROTEST"]
    assert protest["location"]["country"] == "LBN"
    assert protest["actor1"]["country"] == "SYR"


def test_only_the_local_categories_and_sectors_take_the_place_country() -> None:
    from tocsin.mentions.actors.local import localise_actors
    from tocsin.records import Actor, EventMention, Evidence

    place = Place(text="Halba", start=0, end=5, sentence=0, country="LBN", precision="town",
                  lat=34.5, lon=36.1)

    def mention(event: str, actor: Actor) -> EventMention:
        return EventMention(event=event, evidence=Evidence("d", "s", 0, 1),
                            actor1=actor, location=place)

    crowd, ministry = Actor("protesters", None, "CVL", None), Actor("the ministry", None, "GOV",
                                                                  None)
    named = Actor("members of the party", None, "CVL", "party")
    mentions = [mention("PROTEST", crowd), mention("PROTEST", ministry),
                mention("PROTEST", named), mention("CONSULT", crowd),
                mention("ASSAULT", Actor("unknown gunmen", None, "REB", None))]
    localise_actors(mentions, ACTORS)
    assert [m.actor1.country for m in mentions if m.actor1] == ["LBN", None, None, None, "LBN"]
