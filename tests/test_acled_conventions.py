"""ACLED's coding conventions for sub-event types (issue 17), through ``tocsin.extract``: what a
seized weapon, a fighting crowd, a withdrawal or a surrender is coded as. Each sentence is written
for this test; the guards use the same words for another sub-type or for no ACLED event."""

from __future__ import annotations

import pytest

import tocsin
from tocsin.mentions.typing.ontology import Ontology


def _sub_types(text: str) -> set[str | None]:
    """The ACLED sub-event type of each asserted mention (None: ACLED codes none)."""
    events = tocsin.extract(text, "2024-05-10")["events"]
    return {(e["acled"] or [None, None])[1] for e in events if e["modality"] == "asserted"}


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        # weapons seized, found or destroyed are disrupted weapons use, active or passive
        ("Customs officers seized four rifles and a crate of ammunition at the port.",
         "Disrupted weapons use"),
        ("Eleven pistols and 900 cartridges were seized near the border on Friday.",
         "Disrupted weapons use"),
        ("Troops discovered a large stash of explosives in an abandoned farmhouse.",
         "Disrupted weapons use"),
        ("Army engineers destroyed a roadside bomb on the highway.", "Disrupted weapons use"),
        # what destroys says how: an aircraft strikes, a bomb explodes
        ("Warplanes destroyed a fuel depot used by the militants.", "Air/drone strike"),
        ("A car bomb destroyed three shops on the main street.",
         "Remote explosive/landmine/IED"),
        ("Looters ransacked and looted shops in the market overnight.",
         "Looting/property destruction"),
        # a fighting crowd of protesters is a riot
        ("Demonstrators clashed with riot police outside the ministry.",
         "Violent demonstration"),
        ("The police clashed on Sunday with thousands of protesters in the capital.",
         "Violent demonstration"),
        ("Rioters attacked a police station and set it on fire.", "Violent demonstration"),
        ("Protesters burned tyres and blocked the ring road.", "Violent demonstration"),
        ("Hundreds of demonstrators looted shops near the stadium.", "Violent demonstration"),
        # state forces firing on protesters use excessive force
        ("Soldiers opened fire on demonstrators outside the palace.",
         "Excessive force against protesters"),
        ("The rebels surrendered to the army near the river crossing.", "Agreement"),
        ("The government and the insurgents began peace talks in the capital.", "Agreement"),
        ("Government troops withdrew from the town of Kilo without a fight.",
         "Non-violent transfer of territory"),
        ("The militia handed over the border post to the national army.",
         "Non-violent transfer of territory"),
        # a verb the lemmatizer gets wrong ("raped" -> "rap") is still found
        ("Militiamen raped two women in the village last week.", "Sexual violence"),
    ],
)
def test_the_acled_sub_type_follows_acled_conventions(text: str, sub_type: str) -> None:
    assert sub_type in _sub_types(text)


@pytest.mark.parametrize(
    ("text", "sub_type"),
    [
        ("Rebels seized the town after two days of fighting.",
         "Non-state actor overtakes territory"),
        ("Gunmen opened fire on demonstrators outside the palace.", "Attack"),
        ("Soldiers clashed with insurgents near the airport.", "Armed clash"),
    ],
)
def test_the_same_words_keep_their_other_sub_types(text: str, sub_type: str) -> None:
    assert sub_type in _sub_types(text)
    assert "Disrupted weapons use" not in _sub_types(text)
    assert "Violent demonstration" not in _sub_types(text)


@pytest.mark.parametrize(
    "text",
    [
        "The country withdrew from the arms control treaty on Thursday.",
        "The army released footage of the attack on Saturday.",
    ],
)
def test_withdrawing_from_a_treaty_or_releasing_footage_is_no_acled_event(text: str) -> None:
    assert _sub_types(text) <= {None}
    events = tocsin.extract(text, "2024-05-10")["events"]
    assert all(e["event"] not in {"RETREAT", "CONCEDE"} for e in events)


def test_a_sub_type_row_codes_several_categories_but_defaults_only_its_first() -> None:
    ontology = Ontology.load()
    assert ontology.acled_for("CONSULT", "peace") == ["Strategic developments", "Agreement"]
    assert ontology.acled_for("CONCEDE", "yield") == ["Strategic developments", "Agreement"]
    assert ontology.acled_for("RETREAT", "withdraw") == [
        "Strategic developments", "Non-violent transfer of territory"]
    assert ontology.acled_for("COERCE", "loot") == [
        "Strategic developments", "Looting/property destruction"]
    # the Agreement row is AGREE's default, not CONSULT's: a visit is no ACLED event
    assert ontology.acled_for("CONSULT", "visit") is None
    assert ontology.acled_for("AGREE", None) == ["Strategic developments", "Agreement"]
    assert "Agreement" in ontology.sub_types_of("CONCEDE")
    assert ontology.category_for_sub_type("Agreement") == ("AGREE", "ceasefire")
