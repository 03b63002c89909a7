"""``tocsin eval idetect``: scoring displacement figures on a small hand-written fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.evaluation.idetect import predict, score
from tocsin.mentions.counts import CountMention
from tocsin.resources import shared_resources


@pytest.fixture()
def excerpts(format_fixtures: Path) -> Path:
    return format_fixtures / "excerpts.csv"


def test_score_counts_right_and_wrong_rows(excerpts: Path) -> None:
    result = score(excerpts, excluded=set(), nlp=shared_resources().nlp)
    assert result["rows"] == 5
    assert result["quantity_exact"] == 0.8  # row 905's label is wrong on purpose
    assert result["unit_accuracy"] == 1.0
    assert result["term_accuracy"] == 1.0


def test_excluded_ids_are_left_out(excerpts: Path) -> None:
    result = score(excerpts, excluded={"905"}, nlp=shared_resources().nlp)
    assert result["rows"] == 4
    assert result["quantity_exact"] == 1.0


def test_predict_prefers_people_over_buildings() -> None:
    houses = CountMention("displaced", 9, None, "households", "flood", 1)
    people = CountMention("displaced", 35, None, "people", "evacuate", 5)
    assert predict([houses, people]).quantity == 35
    assert predict([]).quantity is None


def test_cli_json_prints_one_object(excerpts: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "idetect", str(excerpts), "--json", "--exclude-ids", ""])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(data) >= {"quantity_exact", "term_accuracy", "unit_accuracy"}


def test_cli_rejects_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "idetect", str(tmp_path / "none.csv")])
    assert result.exit_code != 0
