"""Guards found when the issue-16 pieces met on the demo corpus: the far side of a border, a
clause dated against the event, a speech act's purpose clause, a date in a conjoined clause,
the writer's own doings. Each through ``tocsin.extract`` on sentences written for the test."""

from __future__ import annotations

import datetime as dt

import tocsin

PUBLISHED = dt.date(2015, 11, 21)  # a Saturday


def _events(text: str) -> list[dict]:
    return tocsin.extract(text, published=PUBLISHED)["events"]


def _place(event: dict) -> str | None:
    return event["location"]["name"] if event["location"] else None


def test_a_place_across_the_border_from_the_event_is_not_its_place() -> None:
    (attack,) = [e for e in _events("Warplanes bombed three hamlets across the border from "
                                    "Kilis overnight.") if e["event"] == "ASSAULT"]
    assert _place(attack) != "Kilis"


def test_a_place_in_a_clause_dated_against_the_event_is_not_its_place() -> None:
    (rally,) = [e for e in _events("The demonstration took place an hour after the interior "
                                   "ministry in Ankara called in the envoy.")
                if e["event"] == "PROTEST"]
    assert _place(rally) != "Ankara"


def test_a_speech_act_is_not_placed_where_its_purpose_clause_points() -> None:
    events = [e for e in _events("Greece summoned the Turkish ambassador on Friday to protest "
                                 "against flights over islands near Rhodes.")
              if e["event"] == "ACCUSE"]
    assert events and all(_place(e) != "Rhodes" for e in events)


def test_a_date_in_a_conjoined_clause_with_the_same_subject_dates_the_event() -> None:
    # the parser makes "kits" a verb conjoined to "distributed", with the date under it
    (aid,) = [e for e in _events("Aid workers distributed food parcels, blankets, winter clothes "
                                 "and hygiene kits to the new arrivals on Saturday, and set up "
                                 "tents.") if e["event"] == "AID"]
    assert aid["date"]["precision"] == "day" and aid["date"]["start"] == "2015-11-21"


def test_the_writers_own_doings_in_a_relative_clause_are_no_incident() -> None:
    events = _events("Families we visited were worried about relatives left behind.")
    assert not [e for e in events if e["modality"] == "asserted"]
