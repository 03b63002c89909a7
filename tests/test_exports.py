"""Exports of fused Events: ACLED CSV + HXL, GeoJSON, JSON Lines, Parquet."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_fusion import load_reports

from tocsin.exports import (
    acled_columns,
    geojson_problems,
    hxl_row,
    read_jsonl,
    read_parquet,
    summarize,
    to_acled_csv,
    to_geojson,
    to_jsonl,
    to_parquet,
    write_geojson,
)
from tocsin.fusion import fuse
from tocsin.records import Event

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]  # fmt: skip


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return fuse(load_reports()[0])


def by_mention(events: list[Event], mention: str) -> Event:
    return next(e for e in events if any(r.mention == mention for r in e.mentions))


def test_acled_csv_reads_back_with_exact_columns_and_hxl_row(
    events: list[Event], tmp_path: Path
) -> None:
    path = tmp_path / "events.csv"
    assert to_acled_csv(events, path, timestamp=1700000000) == len(events)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == ACLED_COLUMNS == list(acled_columns())
    hxl = frame.iloc[0].tolist()
    assert hxl == list(hxl_row())
    assert all(tag.startswith("#") for tag in hxl)
    for column, tag in [
        ("event_date", "#date"),
        ("event_type", "#event+type"),
        ("country", "#country"),
        ("admin1", "#adm1+name"),
        ("location", "#loc+name"),
        ("latitude", "#geo+lat"),
        ("longitude", "#geo+lon"),
        ("fatalities", "#affected+killed"),
    ]:
        assert hxl[ACLED_COLUMNS.index(column)].startswith(tag), column
    assert len(frame) == len(events) + 1
    data = pd.read_csv(path, skiprows=[1])
    assert data["fatalities"].dtype.kind == "i"
    assert set(data["timestamp"]) == {1700000000}


def test_acled_row_values(events: list[Event]) -> None:
    buffer = io.StringIO()
    to_acled_csv(events, buffer, timestamp=0)
    buffer.seek(0)
    frame = pd.read_csv(buffer, skiprows=[1], dtype=str, keep_default_na=False)
    strike_id = by_mention(events, "d01:0").id
    row = frame[frame["event_id_cnty"] == f"SYR{strike_id}"].iloc[0]
    assert row["event_date"] == "2015-11-20" and row["year"] == "2015"
    assert row["time_precision"] == "1"
    assert row["disorder_type"] == "Political violence"
    assert row["event_type"] == "Explosions/Remote violence"
    assert row["sub_event_type"] == "Air/drone strike"
    assert row["inter1"] == "8"  # Russian forces in Syria: external forces
    assert row["inter2"] == "7" and row["interaction"] == "78"
    assert row["civilian_targeting"] == "Civilian targeting"
    assert row["iso"] == "760" and row["country"] == "Syria" and row["region"] == "Middle East"
    assert row["admin1"] == "Latakia" and row["location"] == "Bayırbucak"
    assert row["geo_precision"] == "2"
    assert float(row["latitude"]) == pytest.approx(35.85)
    assert row["fatalities"] == "3"
    assert "Anatolia Wire" in row["source"]
    clash = frame[frame["event_id_cnty"] == "NGA" + by_mention(events, "d15:0").id].iloc[0]
    assert (clash["inter1"], clash["inter2"], clash["interaction"]) == ("1", "2", "12")
    assert clash["event_type"] == "Battles"
    protest = frame[frame["event_id_cnty"] == "TUR" + by_mention(events, "d05:0").id].iloc[0]
    assert protest["inter1"] == "6" and protest["disorder_type"] == "Demonstrations"


def test_notes_are_generated_not_copied(events: list[Event]) -> None:
    for event in events:
        note = summarize(event)
        assert "\n" not in note and note.endswith(".")
        for ref in event.mentions:
            assert ref.sentence not in note
    strike = summarize(by_mention(events, "d01:0"))
    assert strike.startswith("2015-11-20: Air/drone strike by military forces of Russia")
    assert "at least 3 killed" in strike and "from 3 independent sources" in strike


def test_acled_only_leaves_out_uncoded_events(events: list[Event]) -> None:
    buffer = io.StringIO()
    written = to_acled_csv(events, buffer, timestamp=0, acled_only=True)
    assert 0 < written < len(events)
    assert written == sum(1 for e in events if e.acled)


def test_geojson_is_valid_rfc7946(events: list[Event], tmp_path: Path) -> None:
    path = tmp_path / "events.geojson"
    assert write_geojson(events, path) == len(events)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert geojson_problems(document) == []
    assert document["type"] == "FeatureCollection"
    strike = next(f for f in document["features"] if f["id"] == by_mention(events, "d01:0").id)
    assert strike["geometry"] == {"type": "Point", "coordinates": [36.0, 35.85]}  # lon, lat
    assert strike["properties"]["killed"] == 3
    assert strike["properties"]["date_start"] == "2015-11-20"
    unlocated = [f for f in document["features"] if f["geometry"] is None]
    assert unlocated  # kept with a null geometry...
    located = to_geojson(events, located_only=True)
    assert len(located["features"]) == len(events) - len(unlocated)  # ...unless asked not to


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "FeatureCollection"},
        {"type": "Feature", "properties": {}},
        {"type": "Point", "coordinates": [200.0, 10.0]},
        {"type": "Point", "coordinates": [10.0]},
        {"type": "Point", "coordinates": [float("nan"), 1.0]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
        {"type": "LineString", "coordinates": [[0, 0]]},
        {"type": "FeatureCollection", "features": [], "crs": {"type": "name"}},
        {"type": "Feature", "geometry": None, "properties": [], "id": 1},
        {"type": "Feature", "geometry": None, "properties": None, "id": [1]},
    ],
)
def test_geojson_checker_rejects_invalid(bad: dict[str, object]) -> None:
    assert geojson_problems(bad)


def test_geojson_checker_accepts_valid_shapes() -> None:
    ring = [[0, 0], [1, 0], [1, 1], [0, 0]]
    valid = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
             "properties": None, "id": "a"},
            {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[1, 2, 3]]},
             "properties": {"x": 1}},
        ],
    }  # fmt: skip
    assert geojson_problems(valid) == []


def test_jsonl_round_trips(events: list[Event], tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    assert to_jsonl(events, path) == len(events)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(events)
    first = json.loads(lines[0])
    assert {"id", "event", "mentions", "count_reports", "sources"} <= set(first)
    assert read_jsonl(path) == events


def test_parquet_round_trips_with_typed_columns(events: list[Event], tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    assert to_parquet(events, path) == len(events)
    schema = pq.read_schema(path)
    assert str(schema.field("date_start").type) == "date32[day]"
    assert str(schema.field("killed").type) == "int64"
    assert str(schema.field("lat").type) == "double"
    assert str(schema.field("conflicting_counts").type) == "bool"
    assert str(schema.field("mentions").type).startswith("list<")
    back = read_parquet(path)
    assert back == events
    frame = pd.read_parquet(path)
    assert isinstance(frame.loc[0, "date_start"], dt.date)
