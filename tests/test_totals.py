"""Totals are not incidents (issue 16): cumulative figures become Total records with their
period, place and source, never an event mention on the publication day; a figure belongs to the
event whose own clause, or a phrase naming it, states it.

Every sentence here is written for these tests (the issue's examples in other words).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import tocsin
from tocsin.mentions.total_finder import find_totals
from tocsin.records import Document
from tocsin.resources import shared_resources

PUBLISHED = "2024-06-14"  # a Friday


def extracted(text: str) -> dict[str, Any]:
    return tocsin.extract(text, published=PUBLISHED)


def figures(record: dict[str, Any], kind: str) -> list[int]:
    return [e["counts"][kind] for e in record["events"] if e["counts"][kind] is not None]


def test_a_running_toll_since_the_war_began_is_a_total_not_a_clash() -> None:
    record = extracted("Artillery fire has killed over 9,800 residents of Gaza since the "
                       "conflict broke out, according to the territory's health authorities.")
    assert record["events"] == []  # no asserted clash on the publication day
    (total,) = record["totals"]
    assert (total["category"], total["value"], total["qualifier"]) == ("killed", 9800,
                                                                       "more than")
    assert total["period"] == {"start": None, "end": PUBLISHED, "precision": None, "text": None}
    assert total["period_text"] == "since the conflict broke out"
    assert total["location"]["country"] == "PSE"
    assert "health authorities" in total["source"]
    assert total["evidence"]["sentence"].startswith("Artillery fire")


@pytest.mark.parametrize("text", [
    "Some 3,200 civilians have died since Russian troops crossed the border on March 3, the "
    "monitoring mission reported.",
    "The monitoring mission has counted 3,200 civilians killed since Russian troops crossed the "
    "border on March 3.",
])
def test_a_total_since_a_date_starts_its_period_there_and_is_no_attack_on_that_day(
        text: str) -> None:
    record = extracted(text)
    assert 3200 not in figures(record, "killed")
    assert not [e for e in record["events"] if e["date"]["start"] == "2024-03-03"
                and e["counts"]["killed"]]
    (total,) = record["totals"]
    assert total["value"] == 3200
    assert total["period"] == {"start": "2024-03-03", "end": PUBLISHED, "precision": "day",
                               "text": None}


def test_so_far_this_year_runs_from_the_first_of_january() -> None:
    record = extracted("At least 215 people have been abducted in Zamfara so far this year.")
    assert record["events"] == []
    (total,) = record["totals"]
    assert (total["category"], total["value"]) == ("abducted", 215)
    assert total["period"]["start"] == "2024-01-01"
    assert total["location"]["name"] == "Zamfara"


@pytest.mark.parametrize("text", [
    "More than 1,500 Turkmens have fled into Hatay province since Wednesday, officials say.",
    "More than 1,500 Turkmens have fled into Hatay province since the middle of the week.",
])
def test_a_recent_start_opens_an_episode_not_a_total(text: str) -> None:
    record = extracted(text)
    assert record["totals"] == []
    assert figures(record, "displaced") == [1500]


def test_in_total_and_a_restated_toll_are_totals() -> None:
    record = extracted("In total, 1,150 fighters have been detained since the offensive began.")
    assert [(t["category"], t["value"]) for t in record["totals"]] == [("arrested", 1150)]
    assert figures(record, "arrested") == []
    record = extracted("The death toll has climbed to 47, the provincial governor said.")
    assert [(t["category"], t["value"]) for t in record["totals"]] == [("killed", 47)]
    assert record["totals"][0]["source"] == "the provincial governor"


def test_an_incident_count_stays_the_incident_s() -> None:
    record = extracted("Gunmen stormed a village in Zamfara on Sunday and killed 12 people, "
                       "police said.")
    assert record["totals"] == []
    assert figures(record, "killed") == [12]
    assert record["events"][0]["date"]["start"] == "2024-06-09"


def test_flight_in_another_clause_is_not_the_strike_s_displacement() -> None:
    record = extracted("A drone strike hit a fuel depot near Sumy on Monday, killing four "
                       "workers, and tens of thousands have left the region.")
    strike = next(e for e in record["events"] if e["event"] == "ASSAULT")
    assert strike["counts"]["killed"] == 4
    assert strike["counts"]["displaced"] is None
    record = extracted("An airstrike hit a market in Idlib on Friday, killing 12 people, and "
                       "hundreds of thousands have fled the province.")
    strike = next(e for e in record["events"] if e["event"] == "ASSAULT")
    assert (strike["counts"]["killed"], strike["counts"]["displaced"]) == (12, None)
    for flight in (e for e in record["events"] if e["event"] == "DISPLACEMENT"):
        assert flight["counts"]["killed"] is None


def test_victims_of_a_second_clause_of_the_same_kind_still_count() -> None:
    record = extracted("A car bomb exploded outside a market in Mogadishu on Saturday and 9 "
                       "people were killed.")
    assert figures(record, "killed") == [9]


def test_a_toll_that_names_its_incident_counts_for_that_incident() -> None:
    record = extracted("An airstrike hit a crowded market in Idlib on Monday. Gunmen attacked a "
                       "checkpoint in Daraa on Wednesday. The death toll from Monday's strike "
                       "has risen to 31, rescuers said.")
    assert record["totals"] == []
    by_day = {e["date"]["start"]: e["counts"]["killed"] for e in record["events"]}
    assert by_day == {"2024-06-10": 31, "2024-06-12": None}


def test_find_totals_gives_the_clause_words_of_each_total() -> None:
    resources = shared_resources()
    text = "Israeli shelling has killed 410 people in Rafah since May, officials said."
    parsed = resources.nlp(text)
    document = Document(id="d", text=text, locator="<t>", format="text",
                        published=dt.date(2024, 6, 14))
    (statement,) = find_totals(document, parsed, [], resources.lexicons)
    words = {parsed[i].text for i in statement.tokens}
    assert {"shelling", "killed", "410", "people"} <= words
    assert "officials" not in words  # the reporting clause is not the total's
    assert statement.total.period.start == dt.date(2024, 5, 1)
    assert statement.total.period.precision == "month"


def test_so_far_inside_a_noun_phrase_makes_no_total() -> None:
    record = extracted("Floods in Kassala displaced 8,300 people in May, the largest "
                       "displacement recorded in the state so far this decade.")
    assert record["totals"] == []
    assert figures(record, "displaced") == [8300]


def test_a_coder_s_note_counts_its_event_not_the_running_total() -> None:
    note = ("On 4 June 2024, Boko Haram fighters attacked Kukawa town (Kukawa, Borno), killing "
            "5 soldiers. More than 300 soldiers have been killed in the area since January.")
    record = tocsin.extract(note, kind="note", published="2024-06-05")
    assert record["events"][0]["counts"]["killed"] == 5
    assert [(t["category"], t["value"]) for t in record["totals"]] == [("killed", 300)]


def test_the_extract_command_lists_totals_apart_from_events(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from tocsin.cli import app

    report = tmp_path / "report.txt"
    report.write_text("At least 215 people have been abducted in Zamfara so far this year.",
                      encoding="utf-8")
    shown = CliRunner().invoke(app, ["extract", str(report), "--published", PUBLISHED])
    assert shown.exit_code == 0, shown.output
    assert "total: abducted at least 215 (since 2024-01-01)" in shown.stdout
    assert "event:" not in shown.stdout


def test_idetect_reads_a_displacement_total_when_no_event_has_a_figure() -> None:
    from tocsin.evaluation.idetect import predict

    record = extracted("Since the floods began, 14,500 people have been displaced in Sindh, the "
                       "provincial authority said.")
    assert figures(record, "displaced") == []
    assert predict(record["events"], record["totals"]).quantity == 14500
