"""Hedged ranges keep two figures (issue 16): the confirmed count, and the higher claim beside it
(``Counts.upper``), never their sum; hedging a figure is no forecast of the event; statistics,
ACLED fatalities and fusion use the confirmed figure.

Every sentence here is written for these tests (the issue's example in other words).
"""

from __future__ import annotations

import datetime as dt

import pytest

import tocsin
from tocsin.fusion import MentionInput, default_rules, fuse
from tocsin.fusion.figures import CountInput, fuse_counts
from tocsin.mentions.counts import CountRules, merge_counts
from tocsin.records import Counts, DateSpan, EventMention, Evidence, Place
from tocsin.resources import shared_resources

RULES = CountRules.load()
HEDGED = ("Up to 45 villagers may have died when gunmen stormed the settlement, but only seven "
          "bodies have been found, a police spokesman said.")


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return shared_resources().nlp


def test_a_claim_beside_a_confirmed_figure_is_its_upper_figure(nlp) -> None:  # type: ignore[no-untyped-def]
    counts = RULES.extract_counts(next(nlp(HEDGED).sents))
    assert counts.killed == 7
    assert counts.upper == {"killed": 45}
    assert counts.qualifier is None  # "up to" words the claim, not the count


def test_a_lone_claim_keeps_its_figure_and_wording(nlp) -> None:  # type: ignore[no-untyped-def]
    counts = RULES.extract_counts(next(nlp("As many as 30 people were killed in the raid.").sents))
    assert (counts.killed, counts.qualifier, counts.upper) == (30, "up to", {})


def test_unhedged_figures_of_one_kind_still_add_up(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "5 police officers were killed by a landmine and 3 were killed by gunfire."
    counts = RULES.extract_counts(next(nlp(text).sents))
    assert (counts.killed, counts.upper) == (8, {})


def test_the_event_is_asserted_with_the_confirmed_count_through_extract() -> None:
    record = tocsin.extract(HEDGED, published="2024-06-14")
    (event,) = [e for e in record["events"] if e["event"] == "ASSAULT"]
    assert event["modality"] == "asserted"  # hedging the toll is no forecast of the raid
    assert event["counts"]["killed"] == 7  # not 52
    assert event["counts"]["upper"] == {"killed": 45}


def test_a_modal_without_a_figure_still_makes_a_forecast() -> None:
    record = tocsin.extract("Officials warned that militants may attack the town next week.",
                            published="2024-06-14")
    assert {e["modality"] for e in record["events"]} == {"forecast"}


def test_an_acled_note_codes_the_confirmed_figure() -> None:
    note = ("On 3 June 2024, gunmen attacked the village of Kadanya in Zamfara. As many as 40 "
            "residents may have been killed, but only 11 bodies have been recovered.")
    record = tocsin.extract(note, kind="note")
    assert record["events"][0]["counts"]["killed"] == 11


def test_merging_sentences_keeps_the_highest_claim_above_the_count() -> None:
    merged = merge_counts([Counts(killed=7, upper={"killed": 45}), Counts(killed=9),
                           Counts(killed=3, upper={"killed": 8})])
    assert (merged.killed, merged.upper) == (9, {"killed": 45})


def _mention(killed: int, upper: dict[str, int], doc: str) -> EventMention:
    place = Place("Kadanya", 0, 7, 0, name="Kadanya", country="NGA", lat=12.1, lon=6.2,
                  precision="town")
    return EventMention(event="ASSAULT", evidence=Evidence(doc, "s", 0, 1), mode="attack",
                        location=place, date=DateSpan(dt.date(2024, 6, 3), dt.date(2024, 6, 3),
                                                      "day"),
                        counts=Counts(killed=killed, upper=upper, unit="people"))


def test_fusion_chooses_the_confirmed_figure_and_keeps_the_claim() -> None:
    inputs = [CountInput("a:0", _mention(7, {"killed": 45}, "a"), 0, "one"),
              CountInput("b:0", _mention(9, {}, "b"), 1, "two")]
    outcome = fuse_counts(inputs, default_rules())
    assert outcome.counts.killed == 7  # the most conservative confirmed figure
    assert outcome.counts.upper == {"killed": 45}
    assert {r.value for r in outcome.reports} == {7, 9}  # claims are no reports


def test_fused_events_carry_the_upper_claim() -> None:
    events = fuse([MentionInput(id="a:0", mention=_mention(7, {"killed": 45}, "a"),
                                document_id="a", source="one")])
    assert (events[0].counts.killed, events[0].counts.upper) == (7, {"killed": 45})
