"""Scoring of `tocsin eval fusion` (tocsin.evaluation.fusion_pairs) on hand-made Events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tocsin.evaluation.fusion_pairs import Report, date_rule, read_reports, score

MULTI_INCIDENT = Path(__file__).parent / "fixtures" / "multi_incident"

TEXT = "Strike on A. Strike on B. Toll of A rises."
REPORT = Report(
    scenario="s", id="r", published=dt.date(2025, 6, 5), source="x", text=TEXT,
    gold=(("Strike on A", "a"), ("Strike on B", "b"), ("Toll of A", "a")),
    kinds=(("a", "ASSAULT"), ("b", "ASSAULT")),
)  # fmt: skip
DAY = dt.date(2025, 6, 5).toordinal()


def _event(ident: str, *sentences: str, event: str = "ASSAULT") -> dict:
    return {"id": ident, "event": event, "modality": "asserted",
            "mentions": [{"mention": f"m{s[:12]}", "sentence": s, "url": REPORT.url}
                         for s in sentences]}  # fmt: skip


def test_pairs_are_scored_against_gold_incidents() -> None:
    events = [_event("e1", "Strike on A.", "Strike on B."), _event("e2", "Toll of A rises.")]
    dates = {f"m{s[:12]}": (DAY, DAY, "day") for s in TEXT.split(". ")}
    report = score([REPORT], events, dates, "fit").to_dict(details=True)
    figure = report["incident_mentions"]
    assert (figure["pairs_together"], figure["pairs_fused"]) == (1, 1)
    assert figure["precision"] == 0.0 and figure["recall"] == 0.0
    assert report["wrong_merges"] == ["s/a + s/b"]
    assert report["incidents_split"] == ["s/a: 2 events"]


def test_mentions_of_another_category_count_only_in_the_all_mentions_figure() -> None:
    events = [_event("e1", "Strike on A."), _event("e2", "Toll of A rises.", event="AID")]
    report = score([REPORT], events, {}, "check").to_dict(details=False)
    assert report["incident_mentions"]["pairs_together"] == 0
    assert report["all_mentions"]["pairs_together"] == 1
    assert report["mentions_of_other_type"] == 1
    assert "wrong_merges" not in report


def test_a_sentence_cut_short_still_finds_its_gold_substring() -> None:
    events = [_event("e1", "on A.", "Toll of A rises.")]
    report = score([REPORT], events, {}, "fit").to_dict(details=True)
    assert report["incident_mentions"]["recall"] == 1.0


def test_events_holding_dates_too_far_apart_are_counted() -> None:
    events = [_event("e1", "Strike on A.", "Toll of A rises.")]
    dates = {"mStrike on A.": (DAY, DAY, "day"), "mToll of A ri": (DAY + 2, DAY + 2, "day")}
    assert score([REPORT], events, dates, "fit").date_violations == 1


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((DAY, DAY, "day"), (DAY + 1, DAY + 1, "day"), True),
        ((DAY, DAY, "day"), (DAY + 2, DAY + 2, "day"), False),
        ((DAY, DAY + 6, "week"), (DAY + 7, DAY + 7, "day"), True),
        ((DAY, DAY + 29, "month"), (DAY + 31, DAY + 31, "day"), False),
        ((DAY - 3, DAY, "published"), (DAY - 3, DAY - 3, "day"), True),
    ],
)
def test_date_rule(a: tuple[int, int, str], b: tuple[int, int, str], expected: bool) -> None:
    assert date_rule(a, b) is expected


def test_the_fixture_is_split_by_scenario_and_big_enough() -> None:
    fit, check = read_reports(MULTI_INCIDENT, "fit"), read_reports(MULTI_INCIDENT, "check")
    assert len(fit) + len(check) >= 44
    incidents = {(r.scenario, i) for r in fit + check for _, i in r.gold}
    assert len(incidents) >= 16
    assert not {r.scenario for r in fit} & {r.scenario for r in check}
    assert all(kind for r in fit + check for _, kind in r.kinds)
