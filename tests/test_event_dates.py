"""An event's own date (issue 16): the date governing the event's clause, background incidents
with their own dates, relative expressions, dates lent by a neighbouring sentence, and the
publication date only when the text gives nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import tocsin
from tocsin.cli import app
from tocsin.evaluation.event_dates import DatedEvent, read_rows
from tocsin.evaluation.splits import split_of

FIXTURE = Path(__file__).parent / "fixtures" / "event_dates.tsv"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def event_date(text: str, published: str, word: str, occurrence: int = 0) -> dict[str, Any]:
    """The date ``tocsin.extract`` gives the event of ``word`` (its n-th occurrence)."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(word, at + 1)
    found = tocsin.extract(text, published, verbs=[(at, at + len(word))])
    (event,) = [e for e in found["events"]
                if e["evidence"]["start"] <= at < e["evidence"]["end"]]
    date: dict[str, Any] = event["date"]
    return date


# --------------------------------------------------------------------- the test set


def test_the_test_set_is_large_split_as_its_header_says_and_covers_every_kind() -> None:
    rows = read_rows(FIXTURE)
    assert len(rows) >= 90
    assert all(r.split == split_of("event-dates", r.key) for r in rows)
    splits = Counter(r.split for r in rows)
    assert min(splits.values()) >= 0.4 * len(rows)
    precisions = Counter(r.precision for r in rows)
    assert {"day", "range", "week", "month", "year", "published"} <= set(precisions)
    assert sum(" || " in r.text for r in rows) >= 8
    assert all(r.event in r.text.split(" || ")[-1] for r in rows)


def test_a_two_sentence_row_is_one_paragraph_with_the_event_in_the_last_sentence() -> None:
    row = DatedEvent("2019-07-14", "Rebels took Nimba on 14 June. || They looted it.", "looted",
                     "2019-06-14", "2019-06-14", "day", "fit")
    text, (start, end) = row.document()
    assert text == "Rebels took Nimba on 14 June. They looted it."
    assert text[start:end] == "looted"


# --------------------------------------------------------------------- the examples


@pytest.mark.parametrize("published", ["2016-06-25", "2017-01-05"])
def test_a_massacre_on_a_day_without_a_year_keeps_that_day_of_the_right_year(
        published: str) -> None:
    text = "Rebels were blamed for the massacre of 41 people in two villages on June 17."
    date = event_date(text, published, "massacre")
    assert (date["start"], date["precision"]) == ("2016-06-17", "day")
    assert date["text"] == "June 17"


def test_a_killing_a_week_before_the_reported_attack_is_not_dated_on_publication() -> None:
    text = ("A week after 44 people were killed in a PKK attack in Istanbul, another bomb "
            "exploded in Ankara.")
    killed = event_date(text, "2016-12-20", "killed")
    assert (killed["start"], killed["precision"]) == ("2016-12-13", "week")
    assert event_date(text, "2016-12-20", "exploded")["precision"] == "published"
    dated = ("Saturday's bombing came a week after 44 people were killed in a PKK attack in "
             "Istanbul.")
    assert event_date(dated, "2017-01-02", "killed")["start"] == "2016-12-24"
    assert event_date(dated, "2017-01-02", "bombing")["start"] == "2016-12-31"


def test_the_background_attack_keeps_its_own_stated_date() -> None:
    text = ("Protests broke out in Istanbul a week after 44 people were killed in a PKK attack "
            "on 10 December.")
    assert event_date(text, "2016-12-20", "killed")["start"] == "2016-12-10"
    protests = event_date(text, "2016-12-20", "broke")
    assert (protests["start"], protests["precision"]) == ("2016-12-17", "week")


def test_a_device_placed_in_december_reported_in_january() -> None:
    text = "Police said the device placed outside the court on 5 December was built locally."
    date = event_date(text, "2017-01-10", "placed")
    assert (date["start"], date["end"], date["precision"]) == ("2016-12-05", "2016-12-05", "day")


def test_a_nail_bomb_at_a_christmas_market_keeps_its_day() -> None:
    text = ("A nail bomb went off at the Christmas market in the old town on 26 November, "
            "wounding nine shoppers.")
    assert event_date(text, "2017-01-10", "bomb")["start"] == "2016-11-26"


def test_sunday_night_is_the_last_sunday_before_publication() -> None:
    text = "Russian jets bombed villages in the mountains on Sunday night."
    date = event_date(text, "2015-11-21", "bombed")
    assert (date["start"], date["precision"], date["text"]) == ("2015-11-15", "day",
                                                                "on Sunday night")


def test_a_total_since_a_date_is_a_period_up_to_publication() -> None:
    text = "At least 4,700 civilians have been killed since Russia invaded on February 24."
    killed = event_date(text, "2022-06-01", "killed")
    assert (killed["start"], killed["end"], killed["precision"]) == (
        "2022-02-24", "2022-06-01", "range")
    assert event_date(text, "2022-06-01", "invaded")["start"] == "2022-02-24"


# --------------------------------------------------------------------- which date is the event's


def test_the_date_of_the_events_clause_wins_over_the_reporting_date() -> None:
    text = "Officials said on Monday that an air strike on Saturday killed 20 people."
    assert event_date(text, "2022-03-22", "killed")["start"] == "2022-03-19"


def test_a_past_incident_in_a_relative_clause_keeps_its_month() -> None:
    text = ("Gunmen killed four villagers on Tuesday in the district where 30 people were "
            "massacred in January.")
    assert event_date(text, "2024-06-12", "killed")["start"] == "2024-06-11"
    massacred = event_date(text, "2024-06-12", "massacred")
    assert (massacred["start"], massacred["precision"]) == ("2024-01-01", "month")


def test_a_neighbouring_sentence_lends_its_date_to_the_same_incident_only() -> None:
    same = ("A car bomb exploded outside a police station in Kirkuk on Tuesday. The blast killed "
            "nine people.")
    assert event_date(same, "2018-11-29", "killed")["start"] == "2018-11-27"
    other = ("The ceasefire agreement was signed in Geneva in March. Gunmen killed four farmers "
             "near the border.")
    assert event_date(other, "2016-06-20", "killed") == {
        "start": "2016-06-20", "end": "2016-06-20", "precision": "published", "text": None}
    past = ("In 2015, a similar attack killed 30 people in the town. Gunmen stormed a mosque "
            "there.")
    assert event_date(past, "2017-08-25", "stormed")["precision"] == "published"


def test_the_day_before_counts_from_the_date_the_text_last_stated() -> None:
    text = "Troops recaptured the town on Saturday. The day before, militants blew up the bridge."
    date = event_date(text, "2016-06-20", "blew")
    assert (date["start"], date["text"]) == ("2016-06-17", "The day before")


def test_an_event_announced_for_a_weekday_is_the_coming_one() -> None:
    text = "The opposition will hold a rally on Friday in the main square."
    assert event_date(text, "2017-08-23", "rally")["start"] == "2017-08-25"


def test_extract_without_given_words_dates_the_found_event() -> None:
    found = tocsin.extract("Two soldiers were killed Thursday when their patrol hit a landmine.",
                           "2016-06-20")
    assert [e["date"]["start"] for e in found["events"]] == ["2016-06-16"]


# --------------------------------------------------------------------- the evaluation command


def test_eval_dates_command_scores_the_fixture(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "dates", str(FIXTURE), "--split", "fit",
                                      "--limit", "4", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["split"] == "fit" and report["units"] == 4
    assert 0.0 <= report["start_exact"] <= 1.0
    missing = CliRunner().invoke(app, ["eval", "dates", str(tmp_path / "none.tsv")])
    assert missing.exit_code == 2


def test_the_following_day_counts_from_the_date_stated_earlier_in_its_sentence() -> None:
    text = ("Soldiers fired on protesters in the capital on 28 December and arrested dozens the "
            "following day.")
    date = event_date(text, "2019-01-04", "arrested")
    assert (date["start"], date["text"]) == ("2018-12-29", "the following day")


def test_an_event_linked_to_itself_by_the_parse_still_gets_a_date() -> None:
    # The parse puts "after" inside the clause it links: following the link looped for ever.
    text = ("The day after he was last seen Ortega resigned from her post as a prison guard. "
            "She had called in sick for the previous four days.")
    result = tocsin.extract(text)  # no publication date
    assert result["document"]["text"] == text


def test_a_linked_incident_counts_from_the_date_a_neighbouring_sentence_gives_its_host() -> None:
    # "The blast came three days after ...": the blast is dated by the sentence before, and
    # the parser splits the linked clause ("after [a bombing ...] killed").
    text = ("A car bomb exploded outside a police station in Mosul on Tuesday, killing five. "
            "The blast came three days after a bombing at a market in Kirkuk killed 11 shoppers.")
    assert event_date(text, "2024-03-14", "exploded")["start"] == "2024-03-12"
    linked = event_date(text, "2024-03-14", "killed")
    assert (linked["start"], linked["precision"]) == ("2024-03-09", "day")
