"""The one column list of the tabular exports: ``data/event_columns.toml`` read once.

CSV, GeoJSON properties, Parquet and the DataFrame of ``tocsin.events`` all take their column
names, order and types from here, so a column has the same name and type in every format.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

COLUMN_TYPES = ("string", "integer", "real", "latitude", "longitude", "date", "boolean", "strings")


@dataclass(frozen=True)
class EventColumn:
    name: str
    type: str  # one of COLUMN_TYPES


@lru_cache(maxsize=1)
def event_columns() -> tuple[EventColumn, ...]:
    """The columns of an Event as a flat row, in order."""
    text = resources.files("tocsin").joinpath("data", "event_columns.toml").read_text("utf-8")
    columns = tuple(
        EventColumn(name, kind) for name, kind in tomllib.loads(text)["columns"].items()
    )
    unknown = sorted({c.type for c in columns} - set(COLUMN_TYPES))
    if unknown:
        raise ValueError(f"data/event_columns.toml: unknown column type(s) {', '.join(unknown)}")
    return columns


def event_column_names() -> tuple[str, ...]:
    return tuple(c.name for c in event_columns())
