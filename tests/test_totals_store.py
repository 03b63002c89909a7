"""Totals are stored, queried and exported apart from events, on SQLite and PostgreSQL; the
event listing, fusion and alerts never see them (issue 16).

The reports are written for these tests. Each backend gets its database from ``tocsin run``
(the product path), then is read through the CLI, the HTTP API, the Python API and the store.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import tocsin
from tocsin.alerts.event_source import load_events
from tocsin.api import create_app
from tocsin.api.totals import TotalPage
from tocsin.cli import app
from tocsin.runner import RunSummary
from tocsin.store import open_database

runner = CliRunner()
REPORTS = {
    "gaza.txt": "Artillery fire has killed over 9,800 residents of Gaza since the conflict "
                "broke out, according to the territory's health authorities.",
    "zamfara.txt": "At least 215 people have been abducted in Zamfara so far this year. Gunmen "
                   "stormed a village in Zamfara on Sunday and killed 12 people, police said.",
    "raid.txt": "Up to 45 villagers may have died when gunmen stormed a settlement near "
                "Maiduguri on June 2, but only seven bodies have been found, a police "
                "spokesman said.",
}


def no_pipeline(*_args: object) -> RunSummary:
    raise AssertionError("this test posts no documents")


@pytest.fixture()
def filled(database_url: str, tmp_path: Path) -> str:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    done = runner.invoke(app, ["run", str(folder), "--db", database_url,
                               "--published", "2024-06-14"])
    assert done.exit_code == 0, done.output
    return database_url


@pytest.fixture()
def client(filled: str) -> Iterator[TestClient]:
    with TestClient(create_app(filled, process=no_pipeline)) as test_client:
        yield test_client


def _cli_json(*args: str) -> list[dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_totals_are_stored_apart_and_read_back(filled: str) -> None:
    totals = _cli_json("totals", "--db", filled, "--format", "json")
    assert sorted((t["category"], t["value"]) for t in totals) == [("abducted", 215),
                                                                     ("killed", 9800)]
    gaza = next(t for t in totals if t["value"] == 9800)
    assert gaza["id"].endswith(":total:0")
    assert gaza["period"] == {"start": None, "end": "2024-06-14", "precision": None,
                              "text": None}
    assert gaza["location"]["country"] == "PSE"
    assert "health authorities" in gaza["source"]
    zamfara = next(t for t in totals if t["value"] == 215)
    assert zamfara["period"]["start"] == "2024-01-01"
    with open_database(filled) as database:
        document = gaza["evidence"]["document"]
        result = database.load_result(document)
        assert result is not None and [t.value for t in result.totals] == [9800]


def test_no_total_is_an_event_and_alerts_never_see_them(filled: str) -> None:
    events = _cli_json("events", "--db", filled, "--modality", "any", "--format", "json")
    killed = sorted(e["counts"]["killed"] for e in events if e["counts"]["killed"] is not None)
    assert killed == [7, 12]  # the Sunday attack and the raid; no 9,800, no 215 abducted
    assert all(e["counts"]["abducted"] is None for e in events)
    with open_database(filled) as database:
        seen = load_events(database)
    assert {e.counts.killed for e in seen} <= {None, 7, 12}
    assert all(e.counts.abducted is None for e in seen)


def test_the_hedged_raid_is_stored_with_both_figures(filled: str) -> None:
    events = _cli_json("events", "--db", filled, "--format", "json", "--text", "bodies")
    (raid,) = events
    assert raid["modality"] == "asserted"
    assert (raid["counts"]["killed"], raid["counts"]["upper"]) == (7, {"killed": 45})
    with open_database(filled) as database:
        document = raid["mentions"][0]["document"]
        result = database.load_result(document)
        assert result is not None
        assert [m.counts.upper for m in result.events if m.counts.killed] == [{"killed": 45}]
    flat = runner.invoke(app, ["events", "--db", filled, "--format", "csv", "--text", "bodies"])
    (row,) = csv.DictReader(io.StringIO(flat.stdout))
    assert (row["killed"], json.loads(row["count_upper"])) == ("7", {"killed": 45})


def test_totals_filters_and_exports(filled: str, tmp_path: Path) -> None:
    killed = _cli_json("totals", "--db", filled, "--format", "json", "--category", "killed")
    assert [t["value"] for t in killed] == [9800]
    nigeria = _cli_json("totals", "--db", filled, "--format", "json", "--country", "Nigeria")
    assert [t["value"] for t in nigeria] == [215]
    out = tmp_path / "totals.csv"
    done = runner.invoke(app, ["totals", "--db", filled, "--format", "csv", "--out", str(out)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert sorted(int(r["value"]) for r in rows) == [215, 9800]
    assert {r["period_start"] for r in rows} == {"", "2024-01-01"}
    lines = runner.invoke(app, ["totals", "--db", filled, "--format", "jsonl"]).stdout
    assert sorted(json.loads(line)["value"] for line in lines.splitlines()) == [215, 9800]
    table = runner.invoke(app, ["totals", "--db", filled])
    assert table.exit_code == 0 and "9800" in table.stdout
    bad = runner.invoke(app, ["totals", "--db", filled, "--category", "looted"])
    assert bad.exit_code == 2


def test_python_api_lists_totals(filled: str) -> None:
    frame = tocsin.totals(filled)
    assert sorted(frame["value"].tolist()) == [215, 9800]
    assert tocsin.totals(filled, category="abducted")["location"].tolist() == ["Zamfara"]


def test_api_lists_totals_with_filters_and_pages(client: TestClient) -> None:
    answer = client.get("/api/totals")
    assert answer.status_code == 200, answer.text
    TotalPage.model_validate(answer.json())  # the answer is what the OpenAPI schema says
    assert sorted(t["value"] for t in answer.json()["totals"]) == [215, 9800]
    first = client.get("/api/totals", params={"limit": 1}).json()
    assert len(first["totals"]) == 1 and first["next"] == first["totals"][0]["id"]
    second = client.get("/api/totals", params={"limit": 1, "after": first["next"]}).json()
    assert second["totals"][0]["id"] != first["totals"][0]["id"] and second["next"] is None
    only = client.get("/api/totals", params={"country": "PSE", "category": "killed"}).json()
    assert [t["value"] for t in only["totals"]] == [9800]
    assert client.get("/api/totals", params={"category": "looted"}).status_code == 422
    assert client.get("/api/totals", params={"after": "nope"}).status_code == 422
    events = client.get("/api/events", params={"modality": "any"}).json()["events"]
    assert 9800 not in {e["counts"]["killed"] for e in events}
