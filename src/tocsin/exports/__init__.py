"""Exports of fused Events: ACLED-compatible CSV, flat CSV, GeoJSON, JSON Lines, GeoParquet.

The flat outputs (CSV, GeoJSON properties, Parquet, and the DataFrame of ``tocsin.events``) share
one column list, ``data/event_columns.toml``. Public API::

    to_acled_csv(events, path_or_file, *, timestamp=None, all_rows=False, hxl=False, csvt=True)
        -> AcledExport(written, left_out, reasons)   # only rows ACLED would code, unless all_rows
    to_csv(events, path_or_file, *, csvt=True) -> rows written   # GDAL .csvt sidecar for a path
    to_geojson(events, *, located_only=False) -> dict; write_geojson(events, path_or_file)
    geojson_problems(document) -> list[str]     # RFC 7946 essentials; empty when valid
    to_jsonl(events, path_or_file); read_jsonl(path_or_file) -> list[Event]
    to_parquet(events, path); read_parquet(path) -> list[Event]   # GeoParquet 1.1
    summarize(event) -> str                      # Tocsin's one-line note
"""

from tocsin.exports.acled_codable import uncodable_reasons
from tocsin.exports.acled_csv import (
    AcledExport,
    acled_column_types,
    acled_columns,
    acled_csv_text,
    hxl_row,
    to_acled_csv,
)
from tocsin.exports.event_columns import EventColumn, event_column_names, event_columns
from tocsin.exports.flat_csv import csv_text, to_csv
from tocsin.exports.geojson import to_geojson, write_geojson
from tocsin.exports.geojson_check import geojson_problems
from tocsin.exports.jsonl import read_jsonl, to_jsonl
from tocsin.exports.parquet import read_parquet, to_parquet
from tocsin.exports.record_dicts import event_from_dict, mention_from_dict
from tocsin.exports.summary import summarize
from tocsin.exports.typed_csv import csvt_path

__all__ = [
    "AcledExport",
    "EventColumn",
    "acled_column_types",
    "acled_columns",
    "acled_csv_text",
    "csv_text",
    "csvt_path",
    "event_column_names",
    "event_columns",
    "event_from_dict",
    "geojson_problems",
    "hxl_row",
    "mention_from_dict",
    "read_jsonl",
    "read_parquet",
    "summarize",
    "to_acled_csv",
    "to_csv",
    "to_geojson",
    "to_jsonl",
    "to_parquet",
    "uncodable_reasons",
    "write_geojson",
]
