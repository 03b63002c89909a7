"""CSV that pandas, GDAL and QGIS type by themselves: cell spelling and the GDAL ``.csvt`` sidecar.

Cells are written so that ``pandas.read_csv`` infers the types without options: numbers as plain
digits, booleans as ``true``/``false``, dates as ISO 8601 days, unknown values empty. GDAL (and so
QGIS) reads every CSV column as text unless a ``.csvt`` file of the same name gives the types, one
quoted GDAL type per column on one line; latitude and longitude columns are declared ``CoordY``
and ``CoordX`` so the file opens as a point layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

# Column types of data/event_columns.toml and data/acled_export.toml -> GDAL CSV field types.
GDAL_TYPES = {
    "string": "String",
    "integer": "Integer64",
    "real": "Real",
    "latitude": "CoordY",
    "longitude": "CoordX",
    "date": "Date",
    "boolean": "Integer(Boolean)",
    "strings": "String",
}
LIST_SEPARATOR = ";"


def csv_cell(value: Any) -> str | int | float:
    """One value as a CSV cell: empty when unknown, ``true``/``false``, ISO days, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def csvt_line(types: Sequence[str]) -> str:
    """The line of a ``.csvt`` file for columns of these types."""
    return ",".join(f'"{GDAL_TYPES[kind]}"' for kind in types) + "\n"


def csvt_path(csv_path: str | Path) -> Path:
    """Where GDAL looks for the types of ``csv_path``: the same name ending in ``.csvt``."""
    return Path(csv_path).with_suffix(".csvt")


def write_csvt(csv_path: str | Path, types: Sequence[str]) -> Path:
    """Write the ``.csvt`` sidecar of ``csv_path``; return its path."""
    target = csvt_path(csv_path)
    target.write_text(csvt_line(types), encoding="utf-8")
    return target


@contextmanager
def text_sink(target: str | Path | IO[str]) -> Iterator[IO[str]]:
    """A text file to write CSV into: ``target`` opened when it is a path, else itself."""
    if isinstance(target, (str, Path)):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            yield handle
    else:
        yield target
