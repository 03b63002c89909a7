"""Not events (issue 17): page furniture is cleaned away, appeals are requests only, plans are
intended, accused acts are alleged (with the accuser), habitual statements are generic.

Each example of the issue is rewritten here in our own words and run through ``tocsin.extract``;
a unit test per rule goes through the component that applies it (the cleaner or the modality
classifier)."""

from __future__ import annotations

import pytest
from trigger_modality import modality

import tocsin
from tocsin.records import MODALITIES
from tocsin.resources import shared_resources
from tocsin.sources.boilerplate import clean_text

LEAD = "Gunmen attacked a checkpoint outside Mosul on Sunday, killing three soldiers, police said."


@pytest.fixture(scope="session")
def nlp():
    return shared_resources().nlp


def events(text: str) -> list[dict]:
    return tocsin.extract(text, published="2016-05-02")["events"]


def asserted(text: str, category: str) -> list[dict]:
    return [e for e in events(text) if e["event"] == category and e["modality"] == "asserted"]


# --- page furniture --------------------------------------------------------------------------


def test_related_story_headline_is_no_abduction() -> None:
    text = (f"Checkpoint attack near Mosul\n\n{LEAD}\n\n"
            "rights activist abducted and imprisoned, her brother says\n\n"
            "Reinforcements reached the area on Monday morning, a local official said.")
    assert asserted(text, "COERCE") == []
    assert asserted(text, "ASSAULT")


def test_press_releases_line_is_no_event() -> None:
    text = f"{LEAD}\n\nPress releases\n\nThe army sent reinforcements to the area on Monday."
    assert not [e for e in events(text) if e["trigger"].lower() == "releases"]


@pytest.mark.parametrize("line", [
    "Press releases",
    "Subscribe to our weekly briefing",
    "Sign up now",
    "Get our free daily newsletter",
    "Email this article to a friend",
    "Pictured: mourners carry a coffin through the streets of the town",
    "Mourners carry a coffin through the streets of Mosul (AFP Photo/Safin Hamed)",
])
def test_navigation_share_and_caption_lines_are_removed(line: str) -> None:
    cleaned = clean_text(f"{LEAD}\n\n{line}\n\nThe army sent reinforcements to the area on Monday.")
    assert line not in cleaned
    assert LEAD in cleaned


def test_headline_with_its_source_goes_only_after_the_body() -> None:
    headline = "Reporter detained at the border, his lawyer says"
    cleaned = clean_text(f"{headline}\n\n{LEAD}\n\n{headline}\n\nTroops arrived later, he said.")
    assert cleaned.count(headline) == 1  # the article's own headline stays at the top
    assert cleaned.startswith(headline)


def test_runs_of_link_headlines_after_the_body_are_removed() -> None:
    links = ["Ceasefire talks stall in Geneva", "Dam breach floods farms in the delta",
             "Two soldiers wounded in ambush near Tal Afar"]
    cleaned = clean_text("\n\n".join([LEAD, *links[:2], "The army sent reinforcements on "
                                      "Monday to the area around the checkpoint.", links[2]]))
    for link in links:
        assert link not in cleaned
    assert "The army sent reinforcements" in cleaned


def test_a_single_heading_between_paragraphs_and_list_items_stay() -> None:
    text = "\n\n".join([LEAD, "What happened next", "The army sent reinforcements to the "
                        "area on Monday, officials said.", "- three soldiers killed",
                        "- two wounded", "The road was reopened on Tuesday, police said."])
    cleaned = clean_text(text)
    for kept in ("What happened next", "- three soldiers killed", "- two wounded"):
        assert kept in cleaned


# --- appeals, plans, accusations, generic statements ------------------------------------------


def test_appeal_for_an_end_to_shelling_is_a_request_only() -> None:
    text = "The charity urged both armies to stop shelling the villages around Idlib."
    found = events(text)
    assert [e for e in found if e["event"] == "REQUEST" and e["modality"] == "asserted"]
    assert not [e for e in found if e["event"] == "ASSAULT" and e["modality"] != "intended"]


def test_appeal_governs_the_stop_it_asks_for(nlp) -> None:
    assert modality(nlp, "The UN urged all parties to stop shelling the town.", "shelling")[0] \
        == "intended"
    assert modality(nlp, "The army stopped shelling the town.", "shelling")[0] == "negated"


def test_a_plan_that_is_going_to_plan_asserts_no_aid_or_retreat() -> None:
    text = ("The plan is to evacuate 4,000 families from the old town of Homs and deliver food "
            "aid, and so far it is going according to plan, the governor said.")
    assert asserted(text, "AID") == []
    assert asserted(text, "DISPLACEMENT") == []
    assert asserted(text, "RETREAT") == []


def test_plan_is_to_makes_its_complement_intended(nlp) -> None:
    assert modality(nlp, "Their aim is to evacuate the island.", "evacuate")[0] == "intended"
    assert modality(nlp, "Their convoy is evacuating the island.", "evacuating")[0] == "asserted"


def test_accused_attack_is_alleged_with_its_accuser() -> None:
    text = "A spokesman for the army accused the militia of shelling the market in Saada."
    found = events(text)
    assault = [e for e in found if e["event"] == "ASSAULT"]
    assert assault and all(e["modality"] == "alleged" for e in assault)
    assert "spokesman" in (assault[0]["source"] or "")
    assert [e for e in found if e["event"] == "ACCUSE" and e["modality"] == "asserted"]


@pytest.mark.parametrize(("text", "trigger", "source"), [
    ("The minister blamed the rebels for the bombing of the bridge.", "bombing", "The minister"),
    ("The rebels were accused of burning the village.", "burning", None),
    ("Police said she allegedly hired a man to kill her husband.", "kill", None),
    ("Villagers described the alleged massacre to the court.", "massacre", None),
])
def test_accusation_cues_make_the_act_alleged(nlp, text: str, trigger: str,
                                              source: str | None) -> None:
    found, claimed_by = modality(nlp, text, trigger)
    assert found == "alleged"
    if source:
        assert claimed_by == source


def test_alleged_is_a_modality_kept_out_of_asserted_counts() -> None:
    assert "alleged" in MODALITIES
    from tocsin.alerts.config import default_rules

    assert "alleged" not in default_rules().count_modalities


def test_engaged_in_development_work_is_no_clash() -> None:
    text = "Local people say the armed group is engaged in development activities near Goma."
    assert asserted(text, "ASSAULT") == []


@pytest.mark.parametrize(("text", "trigger"), [
    ("The group is engaged in farming in the hills.", "engaged"),
    ("Any rally held after dark without a permit is banned.", "rally"),
    ("Tens of thousands of pilgrims visit the shrine annually.", "visit"),
])
def test_habitual_and_class_statements_are_generic(nlp, text: str, trigger: str) -> None:
    assert modality(nlp, text, trigger)[0] == "generic"


def test_engaged_in_fighting_yesterday_stays_asserted(nlp) -> None:
    assert modality(nlp, "The two groups engaged in fierce fighting on Monday.", "engaged")[0] \
        == "asserted"


@pytest.mark.parametrize(("text", "trigger", "expected"), [
    ("Washington has no reason to believe that the rebel commander was killed.", "killed",
     "negated"),
    ("Police could not confirm that the two guards were killed.", "killed", "hypothetical"),
    ("Police confirmed that the two guards were killed.", "killed", "asserted"),
])
def test_a_denied_report_does_not_assert_what_it_reports(nlp, text: str, trigger: str,
                                                         expected: str) -> None:
    assert modality(nlp, text, trigger)[0] == expected


def test_a_coders_note_still_codes_an_event_it_calls_alleged() -> None:
    note = ("On 3 May 2019, five herders were allegedly shot by police officers in Baringo "
            "county. Fatalities coded as 5.")
    main = tocsin.extract(note, kind="note")["events"][0]
    assert (main["event"], main["modality"]) == ("ASSAULT", "asserted")
    article = tocsin.extract(note.replace("Fatalities coded as 5.", ""))["events"]
    assert [e["modality"] for e in article if e["event"] == "ASSAULT"] == ["alleged"]


def test_alleged_events_stay_out_of_the_default_listing(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from tocsin.api import create_app
    from tocsin.extraction import extract_document
    from tocsin.incremental_fusion import fuse_pending
    from tocsin.sources import ReadOptions, read_text
    from tocsin.store import open_database

    url = f"sqlite:///{tmp_path / 'tocsin.sqlite'}"
    text = "A spokesman for the army accused the militia of shelling the market in Saada."
    result = extract_document(read_text(text, ReadOptions(published=None)))
    assert [m.modality for m in result.events if m.event == "ASSAULT"] == ["alleged"]
    with open_database(url) as database:
        database.store_result(result)
        fuse_pending(database)
    with TestClient(create_app(url)) as client:
        listed = client.get("/api/events").json()["events"]
        assert not [e for e in listed if e["event"] == "ASSAULT"]
        alleged = client.get("/api/events", params={"modality": "alleged"})
        assert alleged.status_code == 200, alleged.text
        assert [e["event"] for e in alleged.json()["events"]] == ["ASSAULT"]
