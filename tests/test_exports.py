"""Exports of fused Events: ACLED CSV (+ optional HXL), flat CSV, GeoJSON, JSON Lines, GeoParquet.

The files are read back by the tools analysts use: pandas, libhxl (HXL validation), GDAL through
pyogrio (what QGIS reads CSV with) and geopandas.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import geopandas
import hxl
import pandas as pd
import pyarrow.parquet as pq
import pycountry
import pyogrio
import pytest
from test_fusion import load_reports

from tocsin.event_api import events_table
from tocsin.exports import (
    acled_columns,
    csvt_path,
    event_column_names,
    geojson_problems,
    hxl_row,
    read_jsonl,
    read_parquet,
    summarize,
    to_acled_csv,
    to_csv,
    to_geojson,
    to_jsonl,
    to_parquet,
    uncodable_reasons,
    write_geojson,
)
from tocsin.fusion import fuse
from tocsin.records import Event

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp", "iso3",
]  # fmt: skip
NESTED_PARQUET_COLUMNS = ["geometry", "place", "mentions", "count_reports"]


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return fuse(load_reports()[0])


def by_mention(events: list[Event], mention: str) -> Event:
    return next(e for e in events if any(r.mention == mention for r in e.mentions))


def codable(event: Event) -> bool:
    place = event.location
    return bool(
        event.acled
        and place is not None
        and place.country
        and place.lat is not None
        and place.lon is not None
        and event.date is not None
    )


def hxl_issues(path: Path) -> list[str]:
    """Every complaint of libhxl's default schema about the HXL file at ``path``."""
    issues: list[str] = []

    def note(issue: hxl.validation.HXLValidationException) -> None:
        tag = issue.column.display_tag if issue.column is not None else ""
        issues.append(f"{issue.rule.severity} {tag} {issue.value!r}: {issue.message}")

    with open(path, "rb") as handle:
        valid = hxl.schema(None, callback=note).validate(hxl.data(handle))
    assert valid == (not issues)
    return issues


def test_acled_csv_has_acled_columns_and_pandas_types_them(
    events: list[Event], tmp_path: Path
) -> None:
    path = tmp_path / "events.csv"
    result = to_acled_csv(events, path, timestamp=1700000000)
    assert result.written == sum(map(codable, events))
    assert result.written + result.left_out == len(events)
    frame = pd.read_csv(path)  # no options: no HXL row to skip, every column typed
    assert list(frame.columns) == ACLED_COLUMNS == list(acled_columns())
    assert len(frame) == result.written
    for column in ("year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp"):
        assert frame[column].dtype.kind == "i", column
    for column in ("latitude", "longitude", "inter1", "inter2", "interaction"):
        assert frame[column].dtype.kind in "if", column  # float where some are unknown
    assert set(frame["timestamp"]) == {1700000000}
    dates = pd.read_csv(path, parse_dates=["event_date"])["event_date"]
    assert dates.dtype.kind == "M" and dates.notna().all()
    assert (frame["year"] == dates.dt.year).all()
    assert frame["iso3"].map(lambda code: pycountry.countries.get(alpha_3=code) is not None).all()


def test_hxl_row_is_optional_and_valid_under_the_default_hxl_schema(
    events: list[Event], tmp_path: Path
) -> None:
    path = tmp_path / "events.csv"
    to_acled_csv(events, path, timestamp=1700000000, hxl=True)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    hxl_tags = frame.iloc[0].tolist()
    assert hxl_tags == list(hxl_row()) and all(tag.startswith("#") for tag in hxl_tags)
    for column, tag in [
        ("event_date", "#date"),
        ("event_type", "#event+type"),
        ("country", "#country+name"),
        ("admin1", "#adm1+name"),
        ("location", "#loc+name"),
        ("latitude", "#geo+lat"),
        ("longitude", "#geo+lon"),
        ("fatalities", "#affected+killed"),
        ("iso3", "#country+code"),
    ]:
        assert hxl_tags[ACLED_COLUMNS.index(column)].startswith(tag), column
    assert not hxl_tags[ACLED_COLUMNS.index("time_precision")].startswith("#date")
    assert hxl_issues(path) == []
    data = hxl.data(path.open("rb"))
    country_codes = list(data.get_value_set("#country+code"))
    assert country_codes and all(re.fullmatch("[A-Z]{3}", code) for code in country_codes)
    with path.open("rb") as handle:
        for row in hxl.data(handle):
            assert row.get("#country+code") in country_codes  # the first match is ISO3 too
    all_rows = tmp_path / "all.csv"
    to_acled_csv(events, all_rows, timestamp=1700000000, hxl=True, all_rows=True)
    assert hxl_issues(all_rows) == []


def test_acled_export_writes_only_rows_acled_would_code_and_says_why(
    events: list[Event],
) -> None:
    buffer = io.StringIO()
    result = to_acled_csv(events, buffer, timestamp=0)
    uncoded = [e for e in events if not e.acled]
    assert uncoded and result.left_out == len(events) - sum(map(codable, events)) > 0
    assert result.reasons["no ACLED event type"] == len(uncoded)
    assert result.reasons["no coordinates"] == sum(
        1 for e in events if e.location is None or e.location.lat is None
    )
    assert sum(result.reasons.values()) >= result.left_out
    assert "left out" in result.describe() and "no ACLED event type" in result.describe()
    buffer.seek(0)
    frame = pd.read_csv(buffer, dtype=str, keep_default_na=False)
    assert len(frame) == result.written
    assert (frame["event_type"] != "").all()
    assert frame["event_id_cnty"].str.fullmatch(r"[A-Z]{3}ev-[0-9a-f]+").all()
    assert not frame["event_id_cnty"].str.startswith("XXX").any()
    assert (frame["latitude"] != "").all() and (frame["longitude"] != "").all()
    for event in events:
        assert (uncodable_reasons(event) == []) == codable(event)


def test_all_rows_keeps_every_event(events: list[Event]) -> None:
    buffer = io.StringIO()
    result = to_acled_csv(events, buffer, timestamp=0, all_rows=True)
    assert (result.written, result.left_out, result.reasons) == (len(events), 0, {})
    assert result.describe().endswith("none left out")
    buffer.seek(0)
    frame = pd.read_csv(buffer, dtype=str, keep_default_na=False)
    assert len(frame) == len(events)
    assert (frame["event_type"] == "").sum() == sum(1 for e in events if not e.acled)
    assert frame["event_id_cnty"].str.startswith("XXX").any()


def test_gdal_reads_the_csv_exports_typed_with_their_csvt(
    events: list[Event], tmp_path: Path
) -> None:
    acled = tmp_path / "acled.csv"
    to_acled_csv(events, acled, timestamp=1700000000)
    assert csvt_path(acled).is_file()
    layer = pyogrio.read_dataframe(acled)
    assert layer["event_date"].dtype.kind == "M"
    assert layer["fatalities"].dtype.kind == "i" and layer["latitude"].dtype.kind == "f"
    assert layer.geometry.notna().all()
    assert (layer.geometry.x.round(4) == layer["longitude"]).all()
    assert (layer.geometry.y.round(4) == layer["latitude"]).all()

    flat = tmp_path / "events.csv"
    assert to_csv(events, flat) == len(events)
    layer = pyogrio.read_dataframe(flat)
    assert list(layer.columns) == [*event_column_names(), "geometry"]
    assert layer["date_start"].dtype.kind == "M"
    assert layer["sources"].dtype.kind == "i" and layer["confidence"].dtype.kind == "f"
    assert layer["conflicting_counts"].dtype == bool
    located = layer[layer["lat"].notna()]
    assert (located.geometry.x == located["lon"]).all()

    without = tmp_path / "hxl.csv"
    to_acled_csv(events, without, hxl=True)
    assert not csvt_path(without).exists()  # an HXL row is not data of those types


def test_pandas_types_the_flat_csv(events: list[Event], tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    to_csv(events, path)
    frame = pd.read_csv(path, parse_dates=["date_start", "date_end"])
    assert list(frame.columns) == list(event_column_names())
    assert frame["date_start"].dtype.kind == "M"
    for column in ("killed", "lat", "lon", "confidence", "geonameid"):
        assert frame[column].dtype.kind in "if", column
    assert frame["sources"].dtype.kind == "i" and frame["reports"].dtype.kind == "i"
    assert frame["conflicting_counts"].dtype == bool


def test_every_flat_output_has_the_same_columns(events: list[Event], tmp_path: Path) -> None:
    columns = list(event_column_names())
    csv_header = to_csv_header(events)
    geojson_properties = list(to_geojson(events)["features"][0]["properties"])
    to_parquet(events, tmp_path / "events.parquet")
    parquet = pq.read_schema(tmp_path / "events.parquet").names
    frame = list(events_table(events).columns)
    assert csv_header == geojson_properties == frame == columns
    assert parquet == columns + NESTED_PARQUET_COLUMNS
    for column in ("location", "lat", "lon", "actor1", "date_start", "killed"):
        assert column in columns


def to_csv_header(events: list[Event]) -> list[str]:
    buffer = io.StringIO()
    to_csv(events, buffer)
    return buffer.getvalue().splitlines()[0].split(",")


def test_acled_row_values(events: list[Event]) -> None:
    buffer = io.StringIO()
    to_acled_csv(events, buffer, timestamp=0)
    buffer.seek(0)
    frame = pd.read_csv(buffer, dtype=str, keep_default_na=False)
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
    assert row["iso3"] == "SYR"
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
    assert str(schema.field("documents").type.value_type) == "string"
    assert str(schema.field("mentions").type).startswith("list<")
    back = read_parquet(path)
    assert back == events
    frame = pd.read_parquet(path)
    assert isinstance(frame.loc[0, "date_start"], dt.date)


def test_parquet_is_geoparquet_that_geopandas_reads(events: list[Event], tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    to_parquet(events, path)
    geo = json.loads(pq.read_schema(path).metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB" and column["geometry_types"] == ["Point"]
    assert "crs" not in column  # absent means OGC:CRS84, longitude then latitude
    frame = geopandas.read_parquet(path)
    assert isinstance(frame, geopandas.GeoDataFrame)
    assert frame.geometry.name == "geometry" and frame.crs.to_string() == "OGC:CRS84"
    located = frame[frame["lat"].notna()]
    assert len(located) == sum(1 for e in events if e.location and e.location.lat is not None)
    assert (located.geometry.geom_type == "Point").all()
    assert (located.geometry.x == located["lon"]).all()
    assert (located.geometry.y == located["lat"]).all()
    assert frame[frame["lat"].isna()].geometry.isna().all()
    west, south, east, north = column["bbox"]
    assert list(frame.total_bounds) == [west, south, east, north]
    strike = frame[frame["id"] == by_mention(events, "d01:0").id].iloc[0]
    assert (strike.geometry.x, strike.geometry.y) == (36.0, 35.85)
    assert strike["location"] == "Bayırbucak" and strike["killed"] == 3


def test_an_acting_side_the_report_does_not_name_is_acleds_unidentified_group(
    events: list[Event],
) -> None:
    from dataclasses import replace

    from tocsin.exports.acled_csv import acled_row, unnamed_actor1
    from tocsin.exports.acled_rules import acled_rules

    columns = list(acled_rules().columns)
    clash = by_mention(events, "d15:0")
    unnamed = replace(clash, actor1=None)
    row = dict(zip(columns, acled_row(unnamed, 0), strict=True))
    assert row["actor1"] == "Unidentified Armed Group (Nigeria)"
    assert row["inter1"] == 3
    protest = replace(by_mention(events, "d05:0"), actor1=None)
    row = dict(zip(columns, acled_row(protest, 0), strict=True))
    assert (row["actor1"], row["inter1"]) == ("Protesters (Turkey)", 6)
    # the convention is ACLED's country of the event, for the types that have such an actor
    unnamed_group = unnamed_actor1("Battles", "NGA")
    assert unnamed_group is not None and unnamed_group.country == "NGA"
    assert unnamed_actor1("Strategic developments", "NGA") is None
