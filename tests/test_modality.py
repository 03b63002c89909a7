"""Modality: asserted, negated, forecast, hypothetical, intended, generic, and claim sources."""

from __future__ import annotations

import pytest
from trigger_modality import classify_modality, modality

from tocsin.resources import shared_resources


@pytest.fixture(scope="session")
def nlp():
    return shared_resources().nlp


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Rebels shelled the airport on Monday.", "shelled", "asserted"),
        ("A grenade went off near the checkpoint, wounding four police officers.", "wounding",
         "asserted"),
        ("The militia is going to attack the town.", "attack", "forecast"),
        ("The rebels will try to storm the base.", "storm", "forecast"),
        ("Rebels did not shell the airport.", "shell", "negated"),
        ("No civilians were killed in the raid.", "killed", "negated"),
        ("The army denied that it had bombed the market.", "bombed", "negated"),
        ("The storm may force 3,000 people to flee the coast.", "flee", "forecast"),
        ("The militia is expected to attack the town.", "attack", "forecast"),
        ("The town is about to fall to the rebels.", "fall", "forecast"),
        ("The group threatened to kill the hostages.", "kill", "forecast"),
        ("If the army enters the valley, a massacre will occur.", "massacre", "hypothetical"),
        ("The villagers would leave if the fighting resumed.", "leave", "hypothetical"),
        ("The government plans to evacuate the island.", "evacuate", "intended"),
        ("The coalition seeks to capture the port.", "capture", "intended"),
        ("Troops advanced in order to encircle the city.", "encircle", "intended"),
        ("The ministry has traditionally supported the farmers.", "supported", "generic"),
        ("Many border villages have been shelled by both sides.", "shelled", "generic"),
        ("Many families fled their homes on Tuesday.", "fled", "asserted"),
    ],
)
def test_modality(nlp, text: str, trigger: str, expected: str) -> None:
    assert modality(nlp, text, trigger)[0] == expected


def test_attributed_claim_keeps_source_and_stays_asserted(nlp) -> None:
    result = modality(nlp, "The health ministry said that airstrikes destroyed the clinic.",
                      "destroyed")
    assert result == ("asserted", "The health ministry")


def test_according_to(nlp) -> None:
    result = modality(nlp, "Two soldiers were wounded, according to local officials.", "wounded")
    assert result == ("asserted", "local officials")


# The worked example: spaCy's parse of the real sentences (read from ../shared/examples).
@pytest.mark.parametrize(
    ("fragment", "trigger", "expected"),
    [
        ("may cause 15,000 Turkmen to flee", "flee", "forecast"),
        ("a massacre against the Turkmens will occur", "massacre", "hypothetical"),
        ("a massacre against the Turkmens will occur", "occur", "hypothetical"),
        ("Ankara aims to eliminate", "eliminate", "intended"),
        ("Ankara aims to eliminate", "create", "intended"),
        ("Many Turkmen areas has been attacked", "attacked", "generic"),
        ("Many Turkmen areas has been attacked", "bombed", "generic"),
        ("Russian aircraft are pounding villages", "pounding", "asserted"),
        ("have protested next to the Russian Consulate", "protested", "asserted"),
        ("More than 1,500 Turkmens have escaped", "escaped", "asserted"),
        ("has delivered humanitarian aid", "delivered", "asserted"),
        ("have launched a military campaign", "launched", "asserted"),
        ("has called the Russian Ambassador", "called", "asserted"),
        ("Karlov was warned that", "warned", "asserted"),
        ("Karlov was warned that", "cause", "forecast"),
    ],
)
def test_worked_example(nlp, example_text: str, fragment: str, trigger: str,
                        expected: str) -> None:
    doc = nlp(example_text)
    sentence = next(s for s in doc.sents if fragment in s.text)
    token = next(t for t in sentence if t.text == trigger)
    assert classify_modality(token, sentence)[0] == expected


def test_worked_example_source(nlp, example_text: str) -> None:
    doc = nlp(example_text)
    sentence = next(s for s in doc.sents if "Russian aircraft are pounding" in s.text)
    token = next(t for t in sentence if t.text == "pounding")
    assert classify_modality(token, sentence) == ("asserted", "Bilgiç")
