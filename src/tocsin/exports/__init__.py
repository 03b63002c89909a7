"""Exports of fused Events: ACLED-compatible CSV with HXL row, GeoJSON, JSON Lines, Parquet.

Public API::

    to_acled_csv(events, path_or_file, *, timestamp=None, acled_only=False) -> rows written
    to_geojson(events, *, located_only=False) -> dict; write_geojson(events, path_or_file)
    geojson_problems(document) -> list[str]     # RFC 7946 essentials; empty when valid
    to_jsonl(events, path_or_file); read_jsonl(path_or_file) -> list[Event]
    to_parquet(events, path); read_parquet(path) -> list[Event]
    summarize(event) -> str                      # Tocsin's one-line note
"""

from tocsin.exports.acled_csv import acled_columns, acled_csv_text, hxl_row, to_acled_csv
from tocsin.exports.geojson import to_geojson, write_geojson
from tocsin.exports.geojson_check import geojson_problems
from tocsin.exports.jsonl import read_jsonl, to_jsonl
from tocsin.exports.parquet import read_parquet, to_parquet
from tocsin.exports.record_dicts import event_from_dict, mention_from_dict
from tocsin.exports.summary import summarize

__all__ = [
    "acled_columns",
    "acled_csv_text",
    "event_from_dict",
    "geojson_problems",
    "hxl_row",
    "mention_from_dict",
    "read_jsonl",
    "read_parquet",
    "summarize",
    "to_acled_csv",
    "to_geojson",
    "to_jsonl",
    "to_parquet",
    "write_geojson",
]
