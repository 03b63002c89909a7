"""``tocsin eval all`` on a tiny data folder of own made-up rows: one table, one row per figure."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.evaluation.quality import Figure, figures, render


def _data(folder: Path) -> Path:
    (folder / "case2021-task2").mkdir(parents=True)
    with (folder / "case2021-task2" / "eval.tsv").open("w", newline="", encoding="utf-8") as h:
        writer = csv.writer(h, delimiter="\t")
        writer.writerow(["id", "EventSnippet", "SubType"])
        writer.writerow(["1", "Warplanes struck a convoy outside the city.", "AIR_STRIKE"])
        writer.writerow(["2", "Students rallied peacefully against tuition fees.",
                         "PEACE_PROTEST"])
    (folder / "event-location").mkdir()
    record = {"id": "a", "text": "Gunmen attacked a bus near Quenby.",
              "spans": [{"start": 7, "end": 15, "label": "VERB", "text": "attacked"}]}
    (folder / "event-location" / "eval.jsonl").write_text(json.dumps(record) + "\n")
    return folder


def test_eval_all_writes_one_table_with_split_and_commit(tmp_path: Path) -> None:
    data = _data(tmp_path / "data")
    out = tmp_path / "docs" / "quality.md"
    result = CliRunner().invoke(app, ["eval", "all", "--data", str(data), "--split", "all",
                                      "--out", str(out), "--only", "case2021",
                                      "--only", "event-location"])
    assert result.exit_code == 0, result.output
    table = out.read_text(encoding="utf-8")
    assert "- split: `all`" in table and "- commit: `" in table
    assert "| data set | figure | value | units scored |" in table
    assert "| case2021 | sub-type weighted F1 |" in table
    assert "| event-location | gold verbs detected |" in table
    rows = [line for line in table.splitlines() if line.startswith("| case2021")]
    assert len(rows) == 3 and all("2 of 2 snippets" in line for line in rows)


def test_missing_data_sets_are_listed_not_fatal() -> None:
    rows = figures({"glocon": {"missing": "x/glocon-protest"}})
    assert rows == [Figure("glocon", "(data not found)", None, "x/glocon-protest")]
    text = render(rows, split="check", commit=None, date="2026-01-01", command="tocsin eval all")
    assert "| glocon | (data not found) | – | x/glocon-protest |" in text


def test_eval_all_scores_a_trained_model_again(tmp_path: Path) -> None:
    from test_event_typing import _write_export

    export = _write_export(tmp_path / "export.csv")
    model = tmp_path / "model.joblib"
    runner = CliRunner()
    trained = runner.invoke(app, ["train", "--acled", str(export), "--no-examples",
                                  "--out", str(model)])
    assert trained.exit_code == 0, trained.output
    data = _data(tmp_path / "data")
    reports = tmp_path / "reports.json"
    result = runner.invoke(app, ["eval", "all", "--data", str(data), "--split", "all",
                                 "--only", "case2021", "--model", str(model),
                                 "--reports-out", str(reports)])
    assert result.exit_code == 0, result.output
    assert "| case2021 (trained) | sub-type weighted F1 |" in result.output
    assert set(json.loads(reports.read_text())) == {"case2021", "case2021 (trained)"}
    refused = runner.invoke(app, ["eval", "all", "--data", str(data), "--model",
                                  str(export)])
    assert refused.exit_code != 0 and "not a trained model" in refused.output


def test_news_counts_are_told_against_the_articles_scored() -> None:
    report = {"units": 50, "recall": 0.55, "incidents": 118, "salient_recall": 0.57,
              "salient_incidents": 77, "precision": 0.57, "asserted_mentions": 145,
              "non_events_asserted": 0.14, "non_events": 76, "modality_accuracy": 0.84,
              "modality_scored": 82}
    rows = {f.figure: f.units for f in figures({"news": report})}
    assert rows["incident recall"] == "118 incidents in 50 articles"
    assert rows["non-event statements asserted"] == "76 statements in 50 articles"
