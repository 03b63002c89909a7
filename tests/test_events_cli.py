"""``tocsin events`` / ``event`` / ``fuse`` / ``split-event`` / ``merge-events`` through the CLI,
and the exports they write read back (ACLED CSV with its optional HXL row, CSV, GeoJSON,
GeoParquet) by pandas, libhxl and geopandas."""

from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas
import hxl
import pandas as pd
import pytest
from fusion_reports import reports
from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.exports import (
    acled_columns,
    csvt_path,
    event_column_names,
    geojson_problems,
    hxl_row,
    read_jsonl,
    read_parquet,
)
from tocsin.queries import EventFilters, query_events
from tocsin.store import open_database

runner = CliRunner()


@pytest.fixture()
def db(tmp_path: Path) -> str:
    url = str(tmp_path / "cli.sqlite")
    database = open_database(url)
    for result in reports().values():
        database.store_result(result)
    database.close()
    done = runner.invoke(app, ["fuse", "--db", url])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["new_mentions"] == 7
    return url


def stored(db: str, **filters) -> list:  # type: ignore[no-untyped-def]
    database = open_database(db)
    try:
        return query_events(database, EventFilters(**filters))
    finally:
        database.close()


def test_json_is_an_array_of_events_with_sources_and_mentions(db: str) -> None:
    result = runner.invoke(app, ["events", "--db", db, "--format", "json", "--country", "SYR"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert len(found) == 3
    strike = next(e for e in found if e["sources"] == 3)
    assert {"id", "event", "mode", "acled", "actor1", "actor2", "location", "date", "counts",
            "modality", "confidence", "sources", "mentions"} <= set(strike)  # fmt: skip
    assert strike["location"]["lat"] == pytest.approx(35.8624)
    assert strike["date"] == {"start": "2024-03-05", "end": "2024-03-05", "precision": "day",
                             "text": None}  # a stored Event keeps no date expression
    assert {"document", "source", "url", "sentence", "start", "end"} <= set(strike["mentions"][0])
    assert len(strike["mentions"]) == 3


def test_filters_on_the_command_line(db: str) -> None:
    def ids(*args: str) -> set[str]:
        result = runner.invoke(app, ["events", "--db", db, "--format", "json", *args])
        assert result.exit_code == 0, result.output
        return {e["id"] for e in json.loads(result.stdout)}

    assert len(ids("--modality", "any")) == 5
    assert len(ids("--type", "ASSAULT", "--min-sources", "2")) == 1
    assert len(ids("--bbox", "10,10,14,13")) == 1
    assert ids("--near", "11.85,13.16", "--within-km", "5") == ids("--bbox", "10,10,14,13")
    assert len(ids("--near", "35.93,36.63")) == 2  # Saraqib's strikes, not Homs (134 km)
    assert len(ids("--since", "2024-03-08", "--admin1", "Idlib")) == 1
    assert len(ids("--acled-type", "Protests", "--actor", "students")) == 1
    assert len(ids("--text", "crowded")) == 1
    assert ids("--text", "rubble") == set()  # in the document, not in an evidence sentence


@pytest.mark.parametrize(
    "args",
    [["--bbox", "1,2,3"], ["--bbox", "0,50,10,40"], ["--since", "yesterday"],
     ["--format", "xml"], ["--modality", "rumour"], ["--format", "parquet"],
     ["--near", "35.9"], ["--near", "95,10"], ["--within-km", "10"],
     ["--format", "csv", "--hxl"], ["--format", "geojson", "--all-rows"]],
)  # fmt: skip
def test_bad_input_exits_non_zero_with_a_reason(db: str, args: list[str]) -> None:
    result = runner.invoke(app, ["events", "--db", db, *args])
    assert result.exit_code == 2
    assert result.output.strip()


def test_acled_csv_reads_back_typed_with_pandas(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    result = runner.invoke(app, ["events", "--db", db, "--format", "acled", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"ACLED: 4 rows written to {out}, none left out" in result.stderr
    assert csvt_path(out).is_file() and str(csvt_path(out)) in result.stderr
    frame = pd.read_csv(out)
    assert tuple(frame.columns) == acled_columns()
    assert len(frame) == 4
    assert frame["fatalities"].dtype.kind == "i" and frame["iso"].dtype.kind == "i"
    assert frame["latitude"].dtype.kind == "f" and frame["year"].dtype.kind == "i"
    strike = frame[frame["fatalities"] == 9].iloc[0]
    assert strike["iso"] == 760 and strike["iso3"] == "SYR" and strike["admin1"] == "Idlib"
    assert strike["latitude"] == pytest.approx(35.8624)
    assert strike["event_date"] == "2024-03-05"
    sentences = [m.evidence.sentence for r in reports().values() for m in r.events]
    assert strike["notes"] and not any(s in strike["notes"] for s in sentences)


def test_acled_leaves_out_uncodable_rows_and_says_so_on_stderr(db: str) -> None:
    args = ["events", "--db", db, "--format", "acled", "--modality", "any"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert len(frame) == 4  # the forecast of displacement has no ACLED type
    assert (frame["event_type"] != "").all()
    assert "ACLED: 4 rows written, 1 left out" in result.stderr
    assert "1 no ACLED event type" in result.stderr and "--all-rows" in result.stderr
    assert "left out" not in result.stdout
    everything = runner.invoke(app, [*args, "--all-rows"])
    assert everything.exit_code == 0, everything.output
    frame = pd.read_csv(io.StringIO(everything.stdout), dtype=str, keep_default_na=False)
    assert len(frame) == 5 and (frame["event_type"] == "").sum() == 1
    assert "ACLED: 5 rows written, none left out" in everything.stderr


def test_hxl_row_only_when_asked_and_valid_for_libhxl(db: str, tmp_path: Path) -> None:
    plain = runner.invoke(app, ["events", "--db", db, "--format", "acled"])
    assert not any(line.startswith("#") for line in plain.stdout.splitlines())
    out = tmp_path / "events.csv"
    result = runner.invoke(
        app, ["events", "--db", db, "--format", "acled", "--hxl", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert not csvt_path(out).exists()
    rows = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert tuple(rows.iloc[0]) == hxl_row()
    problems: list[str] = []
    with out.open("rb") as handle:
        valid = hxl.schema(None, callback=lambda e: problems.append(e.message)).validate(
            hxl.data(handle)
        )
    assert valid and problems == []
    with out.open("rb") as handle:
        assert {row.get("#country+code") for row in hxl.data(handle)} == {"SYR", "NGA"}


def test_geojson_is_valid(db: str, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    result = runner.invoke(
        app, ["events", "--db", db, "--format", "geojson", "--modality", "any", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert geojson_problems(collection) == []
    assert len(collection["features"]) == 5
    assert all(f["geometry"]["type"] == "Point" for f in collection["features"])


def test_parquet_and_jsonl_round_trip(db: str, tmp_path: Path) -> None:
    expected = stored(db)
    parquet = tmp_path / "events.parquet"
    result = runner.invoke(
        app, ["events", "--db", db, "--format", "parquet", "--out", str(parquet)]
    )
    assert result.exit_code == 0, result.output
    assert read_parquet(parquet) == expected
    frame = geopandas.read_parquet(parquet)
    assert list(frame.columns) == [*event_column_names(), "geometry", "place", "mentions",
                                   "count_reports"]  # fmt: skip
    assert list(frame.geometry.x) == list(frame["lon"]) and frame.crs is not None
    result = runner.invoke(app, ["events", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0
    assert read_jsonl(io.StringIO(result.stdout)) == expected


def test_csv_and_table(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["events", "--db", db, "--format", "csv"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("id,event,mode") and "lat" in lines[0]
    assert len(lines) == 5
    out = tmp_path / "events.csv"
    written = runner.invoke(app, ["events", "--db", db, "--format", "csv", "--out", str(out)])
    assert written.exit_code == 0, written.output
    frame = pd.read_csv(out, parse_dates=["date_start"])
    assert list(frame.columns) == list(event_column_names())
    assert frame["date_start"].dtype.kind == "M" and frame["conflicting_counts"].dtype == bool
    assert frame["killed"].dtype.kind == "f" and frame["sources"].dtype.kind == "i"
    assert csvt_path(out).read_text(encoding="utf-8").count(",") == len(frame.columns) - 1
    table = runner.invoke(app, ["events", "--db", db])
    assert table.exit_code == 0 and "4 events" in table.stdout


def test_event_shows_all_evidence(db: str) -> None:
    strike = next(e for e in stored(db) if e.sources == 3)
    result = runner.invoke(app, ["event", strike.id, "--db", db])
    assert result.exit_code == 0, result.output
    for ref in strike.mentions:
        assert ref.mention in result.stdout
    as_json = runner.invoke(app, ["event", strike.id, "--db", db, "--json"])
    assert json.loads(as_json.stdout) == strike.to_dict()
    missing = runner.invoke(app, ["event", "ev-none", "--db", db])
    assert missing.exit_code == 1
    assert "no event ev-none" in missing.output


def test_split_and_merge_commands(db: str) -> None:
    strike = next(e for e in stored(db) if e.sources == 3)
    moved = strike.mentions[-1].mention
    split = runner.invoke(app, ["split-event", strike.id, moved, "--db", db, "--note", "other"])
    assert split.exit_code == 0, split.output
    assert len(split.stdout.splitlines()) == 2
    assert len(stored(db, min_sources=2)) == 1
    other = next(e for e in stored(db) if [r.mention for r in e.mentions] == [moved])
    merged = runner.invoke(app, ["merge-events", strike.id, other.id, "--db", db])
    assert merged.exit_code == 0, merged.output
    assert len(stored(db, min_sources=3)) == 1
    again = runner.invoke(app, ["fuse", "--all", "--db", db])
    assert again.exit_code == 0
    assert len(stored(db, min_sources=3)) == 1
    bad = runner.invoke(app, ["split-event", strike.id, "x:9", "--db", db])
    assert bad.exit_code == 1
