"""Incident boundaries through the product (issue 16): reports go through ``tocsin run`` into a
SQLite database and come back from ``tocsin events``; ``tocsin eval fusion`` scores the
multi-incident set.

The reports are the issue's examples in our own words: strikes on three Ukrainian cities on three
days in one round-up, and a bar attack in one Mexican town whose report recalls a killing in
another town a month before.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tocsin.cli import app

MULTI_INCIDENT = Path(__file__).parent / "fixtures" / "multi_incident"

UKRAINE = """Three Ukrainian cities hit in a week of Russian attacks

A Russian missile killed three people in Mykolaiv on Monday, July 7, and injured eleven, the city's mayor said.

On Wednesday, July 9, Russian missiles hit a shopping mall in Kremenchuk, killing nine people.

On Thursday, July 10, Russian drones struck a fuel depot in the Dnipropetrovsk region, killing two workers, the regional governor said.
"""  # noqa: E501

MEXICO_BAR = """Gunmen attack bar in Irapuato

Armed men burst into a bar in Irapuato, Guanajuato, on Tuesday night and shot dead ten people, state officials said.

Last month, on October 15, gunmen shot dead a shopkeeper in Tarimoro, a town about 60 kilometres to the east.
"""  # noqa: E501

MEXICO_EARLIER = """Shopkeeper shot dead in Tarimoro

Gunmen shot dead a shopkeeper inside his store in Tarimoro, Guanajuato, on Wednesday, local police said.
"""  # noqa: E501

REPORTS = [
    {"text": UKRAINE, "published": "2025-07-11", "source": "kyiv-desk", "url": "https://t.invalid/ua"},
    {"text": MEXICO_BAR, "published": "2025-11-19", "source": "bajio", "url": "https://t.invalid/bar"},
    {"text": MEXICO_EARLIER, "published": "2025-10-15", "source": "bajio",
     "url": "https://t.invalid/tarimoro"},
]  # fmt: skip


def _tocsin(*arguments: str) -> str:
    done = subprocess.run([sys.executable, "-m", "tocsin", *arguments], capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def events(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("boundaries")
    inputs = folder / "reports.jsonl"
    inputs.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
    url = f"sqlite:///{folder / 'events.sqlite'}"
    _tocsin("run", str(inputs), "--db", url)
    listed = _tocsin("events", "--db", url, "--format", "jsonl", "--modality", "any")
    return [json.loads(line) for line in listed.splitlines() if line.strip()]


def _holding(events: list[dict[str, Any]], words: str) -> list[dict[str, Any]]:
    """The Events holding a mention whose evidence sentence contains ``words``."""
    return [e for e in events if any(words in m["sentence"] for m in e["mentions"])]


def test_strikes_on_three_cities_on_three_days_stay_three_events(
    events: list[dict[str, Any]],
) -> None:
    sentences = ["killed three people in Mykolaiv", "hit a shopping mall in Kremenchuk",
                 "fuel depot in the Dnipropetrovsk region"]  # fmt: skip
    held = {words: {e["id"] for e in _holding(events, words)} for words in sentences}
    assert all(held.values()), held  # each incident was found
    for first, second in [(0, 1), (0, 2), (1, 2)]:
        assert not held[sentences[first]] & held[sentences[second]], (first, second)


def test_bar_attack_and_a_killing_a_month_before_in_another_town_stay_apart(
    events: list[dict[str, Any]],
) -> None:
    bar = _holding(events, "burst into a bar in Irapuato")
    background = _holding(events, "shot dead a shopkeeper in Tarimoro")
    assert bar and background
    assert not {e["id"] for e in bar} & {e["id"] for e in background}
    assert all(e["location"]["name"] == "Irapuato" for e in bar)
    assert all(w["location"]["name"] == "Tarimoro" for w in background)


def test_no_event_mixes_the_two_mexican_towns(events: list[dict[str, Any]]) -> None:
    for event in events:
        sentences = " ".join(m["sentence"] for m in event["mentions"])
        assert not ("Irapuato" in sentences and "Tarimoro" in sentences
                    and "shot dead ten" in sentences and "shopkeeper" in sentences), event["id"]


def _eval(split: str) -> dict[str, Any]:
    done = CliRunner().invoke(app, ["eval", "fusion", str(MULTI_INCIDENT), "--split", split,
                                    "--json"])  # fmt: skip
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


@pytest.fixture(scope="module")
def check_report() -> dict[str, Any]:
    return _eval("check")


def test_eval_fusion_command_scores_the_fit_split() -> None:
    report = _eval("fit")
    assert report["reports"] >= 34 and report["incidents"] >= 19
    assert report["events_with_dates_too_far_apart"] == 0
    # Measured 2026-12-07 with that day's extraction: precision 0.968, recall 0.750.
    assert report["incident_mentions"]["precision"] >= 0.95, report
    assert report["incident_mentions"]["recall"] >= 0.70, report
    assert "wrong_merges" in report  # errors are listed on fit


def test_eval_fusion_on_check_gives_aggregates_and_no_event_spans_two_dates(
    check_report: dict[str, Any],
) -> None:
    assert check_report["reports"] >= 28 and check_report["incidents"] >= 15
    assert "wrong_merges" not in check_report  # aggregate figures only on check
    assert check_report["events_with_dates_too_far_apart"] == 0


def test_eval_fusion_meets_the_issue_targets_on_check(check_report: dict[str, Any]) -> None:
    # Issue 16's targets. Met since 2026-12-08 with one pair to spare: P 1.0, R 0.94 (32 of 34
    # pairs; 30 before the gazetteer's province points and the place ranker's list feature put
    # two reports' places in agreement); recall 0.90 needs 31.
    assert check_report["incident_mentions"]["precision"] >= 0.97, check_report
    assert check_report["incident_mentions"]["recall"] >= 0.90, check_report


def test_eval_fusion_refuses_a_folder_without_scenarios(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["eval", "fusion", str(tmp_path)])
    assert done.exit_code == 2
    assert "no scenario files" in done.output
