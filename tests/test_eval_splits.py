"""Fit/check splits as the evaluations use them (own made-up units)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tocsin.evaluation.acled import split_rows
from tocsin.evaluation.common import choose
from tocsin.evaluation.splits import select, split_of

UNITS = [f"unit-{i}" for i in range(200)]


def test_fit_and_check_are_disjoint_and_cover_all() -> None:
    fit = select(UNITS, "case2021", str, "fit")
    check = select(UNITS, "case2021", str, "check")
    assert set(fit).isdisjoint(check)
    assert sorted(fit + check) == sorted(select(UNITS, "case2021", str, "all"))
    assert 60 < len(fit) < 140  # about half each


def test_selection_is_deterministic_and_ignores_order() -> None:
    once = select(UNITS, "event-location", str, "check")
    again = select(list(reversed(UNITS)), "event-location", str, "check")
    assert once == select(UNITS, "event-location", str, "check")
    assert sorted(once) == sorted(again)
    assert all(split_of("event-location", u) == "check" for u in once)


def test_limit_takes_the_first_units_of_the_split() -> None:
    check = select(UNITS, "idetect", str, "check")
    assert choose(UNITS, "idetect", str, "check", limit=5) == check[:5]


def test_acled_train_file_is_all_fit(tmp_path: Path) -> None:
    rows = [{"event_id_cnty": f"X{i}", "notes": f"note {i}"} for i in range(20)]
    train = tmp_path / "train.csv"
    assert split_rows(rows, "fit", train) == rows
    assert split_rows(rows, "check", train) == []
    other = split_rows(rows, "check", tmp_path / "eval.csv")
    assert other == select(rows, "acled", lambda r: r["event_id_cnty"], "check")


def test_an_unknown_split_is_refused(tmp_path: Path) -> None:
    from tocsin.cli import app

    data = tmp_path / "records.jsonl"
    data.write_text('{"id": 1, "text": "Rebels attacked Quenby.", "spans": []}\n')
    result = CliRunner().invoke(app, ["eval", "event-location", str(data), "--split", "dev"])
    assert result.exit_code == 2
