"""Nominal and light-verb events, and acts told by who does them (issue 17): each sentence is
written for this test in the shape of a report the detector used to miss."""

from __future__ import annotations

from typing import Any

import pytest

import tocsin


def _events(text: str) -> list[dict[str, Any]]:
    return tocsin.extract(text, "2024-05-10")["events"]


def _kinds(text: str) -> set[tuple[str, str]]:
    return {(e["event"], e["modality"]) for e in _events(text)}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("About 300 people attended the rally in the town square on Saturday.", "PROTEST"),
        ("Dozens of protesters gathered outside the parliament building on Tuesday.", "PROTEST"),
        ("Bus drivers walked out on Monday over unpaid wages.", "PROTEST"),
        ("The teachers' strike began on Monday.", "PROTEST"),
        ("Farmers staged a sit-in outside the ministry.", "PROTEST"),
        ("Around 40 protesters blocked the main gate of the refinery.", "PROTEST"),
        ("Strikers marched to the company's head office.", "PROTEST"),
        ("Some 12,000 residents have been given emergency shelter.", "AID"),
        ("Scores of rescue workers have been sent to the flooded district.", "AID"),
        ("Hundreds of families were forced to leave their homes.", "DISPLACEMENT"),
        ("The air raid resulted in the deaths of more than 80 civilians.", "ASSAULT"),
        ("Villagers reported the resumption of heavy shelling on Sunday.", "ASSAULT"),
        ("She wrote a letter asking the governor to intervene.", "REQUEST"),
        ("Riot police dispersed the crowd with water cannon.", "COERCE"),
        ("Soldiers confiscated three trucks at the checkpoint.", "COERCE"),
        ("Candlelight vigils were held across the city.", "PROTEST"),
        ("The election result sparked protests in the north.", "PROTEST"),
        ("A roadside explosive device went off near the convoy.", "ASSAULT"),
        ("Fighter jets destroyed an ammunition depot outside the city.", "ASSAULT"),
        ("The rebels fired dozens of mortar shells at the airport.", "ASSAULT"),
        ("A gunman opened fire on worshippers leaving the church.", "ASSAULT"),
        ("Customs officers intercepted a shipment of rifles at the port.", "ASSAULT"),
        ("Engineers defused two bombs planted under the bridge.", "ASSAULT"),
        ("The army set up three checkpoints along the highway.", "MOBILIZE"),
        ("Government troops took control of the border town on Friday.", "ASSAULT"),
        ("Two attackers blew themselves up outside the police station.", "ASSAULT"),
        ("Jets carried out a string of air strikes on the valley.", "ASSAULT"),
        ("Police recovered 40 rifles in a raid on the farm.", "ASSAULT"),
        ("Police fired tear gas at the marchers.", "COERCE"),
        ("The families were accommodated in two church halls.", "AID"),
        ("The relief agency launched an appeal for food aid.", "REQUEST"),
        # an event named as the time or setting of another took place
        ("A photographer was beaten during the protest outside the court.", "PROTEST"),
        ("Several people were hurt amid clashes between rival gangs.", "ASSAULT"),
        ("Around 5,000 people gathered in the square in a silent protest.", "PROTEST"),
        ("Rockets hit a crowded market in the town, killing four.", "ASSAULT"),
        ("An army helicopter dropped barrel bombs on the village.", "ASSAULT"),
        ("Nurses at the district hospital went on strike on Monday.", "PROTEST"),
        ("Two detainees have gone on hunger strike.", "PROTEST"),
        ("Youths went on a looting spree in the shopping centre.", "COERCE"),
        ("The crowd chanted slogans outside the governor's office.", "PROTEST"),
        ("Miners at the colliery struck on Tuesday over unpaid bonuses.", "PROTEST"),
        ("Villagers blocked the main highway with burning logs.", "PROTEST"),
        ("By Wednesday the protest had spread to two more towns.", "PROTEST"),
        ("Traders shut their stalls in protest against the new levy.", "PROTEST"),
        ("Angry residents barricaded the main street with rocks.", "PROTEST"),
    ],
)
def test_a_nominal_or_light_verb_event_is_found(text: str, category: str) -> None:
    assert (category, "asserted") in _kinds(text)


def test_the_people_after_an_event_noun_are_its_count() -> None:
    (deaths,) = [e for e in _events("The air raid resulted in the deaths of over 100 civilians.")
                 if e["event"] == "ASSAULT"]
    assert (deaths["counts"]["killed"], deaths["counts"]["qualifier"]) == (100, "more than")
    (flight,) = [e for e in _events("The fighting caused the flight of 5,000 people.")
                 if e["event"] == "DISPLACEMENT"]
    assert flight["counts"]["displaced"] == 5000


@pytest.mark.parametrize(
    "text",
    [
        "The minister gathered his papers and left the room.",
        "Protesters said they would return next week.",
        "Hundreds of flights were cancelled because of the storm.",
        "The company sent invoices to its customers.",
        "The two gunmen fled the scene on foot.",
        "The suspects fled in a stolen car.",
        "The robber fled northbound on the avenue.",
        "Donor countries have been asked to help.",
        "Protesters oppose the new mining law.",
        "The bank fired 200 employees last year.",
        "A fire broke out in the old market.",
        "The storm hit the coast on Monday.",
        "Prices hit a record high during the holiday season.",
        "The minister spoke about the budget during the meeting.",
        "He went on leave last week.",
        "Police blocked the road leading to the stadium.",
        "A fallen tree blocked the road for hours.",
        "The report demonstrates that the dam was badly built.",
        "Engineers demonstrated the new pump to the council.",
        "The army barricaded the road to the palace.",
        "The minister answered questions about the protest in parliament.",
    ],
)
def test_the_same_words_without_the_event_are_no_event(text: str) -> None:
    assert not {k for k in _kinds(text)
                if k[0] in ("PROTEST", "DISPLACEMENT", "AID", "REQUEST", "ASSAULT")}


def test_a_place_named_as_the_target_of_a_protest_is_not_its_place() -> None:
    text = ("Protesters gathered outside the embassy in Nairobi on Friday. The protesters "
            "chanted slogans against Kampala.")
    places = {e["evidence"]["sentence"][:8]: (e.get("location") or {}).get("name")
              for e in _events(text) if e["event"] == "PROTEST"}
    assert places["The prot"] == "Nairobi"


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        ("The two armies have agreed a three-day truce around the port.", "Agreement"),
        ("Gunmen threw a grenade into the crowded bus station.", "Grenade"),
        ("Soldiers committed widespread rape in the occupied villages.", "Sexual violence"),
    ],
)
def test_the_acled_sub_type_of_such_events(text: str, sub_type: str) -> None:
    assert sub_type in {(e.get("acled") or [None, None])[1] for e in _events(text)}


def test_an_agreement_to_talk_is_no_acled_agreement() -> None:
    assert all(e.get("acled") is None for e in _events("The ministers agreed to meet in May."))


def test_people_fleeing_on_foot_are_still_displaced() -> None:
    assert ("DISPLACEMENT", "asserted") in _kinds("Families fled on foot across the border.")


def test_an_unknown_condition_in_the_trigger_lexicon_is_refused() -> None:
    from tocsin.mentions.typing.triggers import lexicon_entries

    row = {"lemma": "flee", "pos": "VERB", "category": "DISPLACEMENT", "mode": "flight"}
    both = lexicon_entries([{**row, "condition": "arg!=robber;near!=scene"}])["flee"][0]
    assert [kind for kind, _, _ in both.conditions] == ["arg", "near"]
    with pytest.raises(ValueError, match="unknown condition"):
        lexicon_entries([{**row, "condition": "nearby=x"}])


def test_a_clause_telling_more_of_the_same_attack_keeps_its_place() -> None:
    text = "A police officer was shot dead by gunmen who opened fire on his car in Monterrey."
    places = {(e.get("location") or {}).get("name") for e in _events(text)
              if e["event"] == "ASSAULT"}
    assert places == {"Monterrey"}


def test_leaving_ones_own_home_is_no_displacement() -> None:
    text = "The director was shot dead as he was leaving his home in Moscow."
    assert "DISPLACEMENT" not in {e["event"] for e in _events(text)}
