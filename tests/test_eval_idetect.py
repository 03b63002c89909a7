"""``tocsin eval idetect``: scoring displacement figures on a small hand-written fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tocsin
from tocsin.cli import app
from tocsin.evaluation.idetect import evaluate, predict, read_rows


@pytest.fixture()
def excerpts(format_fixtures: Path) -> Path:
    return format_fixtures / "excerpts.csv"


def _event(displaced: int | None, unit: str | None = "people") -> dict:
    return {"event": "DISPLACEMENT", "modality": "asserted",
            "counts": {"displaced": displaced, "unit": unit}}


def test_predict_takes_the_first_displacement_figure() -> None:
    assert predict([_event(None), _event(120, "households"), _event(35)]).quantity == 120
    assert predict([_event(120, "households")]).unit == "households"
    assert predict([]).quantity is None and predict([]).unit == "people"


def test_score_is_what_extract_gives(excerpts: Path) -> None:
    result = evaluate(excerpts, split="all", excluded=set())
    assert result["rows"] == result["units"] == 5 and result["split"] == "all"
    right = 0
    for row in read_rows(excerpts):
        pred = predict(tocsin.extract(row["excerpt"])["events"])
        right += pred.quantity == int(row["Quantity"])
    assert result["quantity_exact"] == round(right / 5, 4)
    assert right <= 4  # row 905's label is wrong on purpose


def test_excluded_ids_are_left_out(excerpts: Path) -> None:
    result = evaluate(excerpts, split="all", excluded={"905"})
    assert result["rows"] == 4


def test_cli_json_prints_one_object(excerpts: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "idetect", str(excerpts), "--json", "--exclude-ids", "",
                                 "--split", "all", "--limit", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(data) >= {"quantity_exact", "unit_accuracy", "split", "units"}
    assert data["units"] == 2


def test_cli_rejects_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "idetect", str(tmp_path / "none.csv")])
    assert result.exit_code != 0
