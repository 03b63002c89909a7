"""Parquet staging: one folder per partition under a staging root (local path or fsspec URL).

A partition folder holds one Parquet file per table (documents, sentences, entities, places,
event_mentions, totals) with the columns of the store's tables, one of failures, and a ``_SUCCESS``
file written last, so a folder without it is an unfinished attempt and is written again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Boolean, Date, Float, Integer, Table

from tocsin.store.models import (
    DocumentRow,
    EntityRow,
    MentionRow,
    PlaceRow,
    SentenceRow,
)
from tocsin.store.total_tables import TotalRow

Row = dict[str, Any]
SUCCESS = "_SUCCESS"
FAILURES = "failures"
# Columns the database fills in itself.
_SERVER_COLUMNS = frozenset({"created_at"})

RESULT_TABLES: dict[str, Table] = {
    "documents": DocumentRow.__table__,  # type: ignore[dict-item]
    "sentences": SentenceRow.__table__,  # type: ignore[dict-item]
    "entities": EntityRow.__table__,  # type: ignore[dict-item]
    "places": PlaceRow.__table__,  # type: ignore[dict-item]
    "event_mentions": MentionRow.__table__,  # type: ignore[dict-item]
    "totals": TotalRow.__table__,  # type: ignore[dict-item]
}


def _arrow_type(column_type: object) -> pa.DataType:
    if isinstance(column_type, Boolean):
        return pa.bool_()
    if isinstance(column_type, Integer):
        return pa.int64()
    if isinstance(column_type, Float):
        return pa.float64()
    if isinstance(column_type, Date):
        return pa.date32()
    return pa.string()


def columns_of(table: Table) -> list[str]:
    """The columns of ``table`` that staging carries (all but those the server fills)."""
    return [c.name for c in table.columns if c.name not in _SERVER_COLUMNS]


def schema_of(table: Table) -> pa.Schema:
    return pa.schema(
        [pa.field(c.name, _arrow_type(c.type)) for c in table.columns
         if c.name not in _SERVER_COLUMNS]
    )


FAILURE_SCHEMA = pa.schema(
    [pa.field("locator", pa.string()), pa.field("stage", pa.string()),
     pa.field("reason", pa.string())]
)


@dataclass
class StagedPartition:
    """Where a partition's Parquet files are, and what its worker counted."""

    url: str
    counts: dict[str, int]


def partition_url(root: str, key: str) -> str:
    return f"{root.rstrip('/')}/part-{key}"


def is_complete(url: str) -> bool:
    fs, path = fsspec.core.url_to_fs(url)
    return bool(fs.exists(f"{path}/{SUCCESS}"))


def read_counts(url: str) -> dict[str, int]:
    fs, path = fsspec.core.url_to_fs(url)
    with fs.open(f"{path}/{SUCCESS}", "r") as stream:
        return dict(json.load(stream))


def write_partition(
    url: str,
    tables: Mapping[str, Sequence[Row]],
    failures: Sequence[Row],
    counts: Mapping[str, int],
) -> StagedPartition:
    """Write one partition's rows (by table name) and failures, then its ``_SUCCESS`` marker."""
    fs, path = fsspec.core.url_to_fs(url)
    fs.makedirs(path, exist_ok=True)
    if fs.exists(f"{path}/{SUCCESS}"):
        fs.rm(f"{path}/{SUCCESS}")
    for name, table in RESULT_TABLES.items():
        schema = schema_of(table)
        rows = [{c: row.get(c) for c in schema.names} for row in tables.get(name, ())]
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), f"{path}/{name}.parquet",
                       filesystem=fs)
    pq.write_table(pa.Table.from_pylist(list(failures), schema=FAILURE_SCHEMA),
                   f"{path}/{FAILURES}.parquet", filesystem=fs)
    with fs.open(f"{path}/{SUCCESS}", "w") as stream:
        json.dump(dict(counts), stream)
    return StagedPartition(url, dict(counts))


def read_table(url: str, name: str) -> pa.Table:
    """One table of a staged partition."""
    fs, path = fsspec.core.url_to_fs(url)
    return pq.read_table(f"{path}/{name}.parquet", filesystem=fs)
