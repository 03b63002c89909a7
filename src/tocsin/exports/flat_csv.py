"""The CSV export: a header, then one flat row per Event (``flat_event``), typed cells.

The columns are those of ``data/event_columns.toml`` (the DataFrame's, the GeoJSON properties');
``documents`` is joined by ``;``. Written to a path, the file gets a GDAL ``.csvt`` sidecar unless
``csvt=False``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from tocsin.exports.event_columns import event_columns
from tocsin.exports.flat_event import flat_event
from tocsin.exports.typed_csv import csv_cell, text_sink, write_csvt
from tocsin.records import Event


def to_csv(events: Iterable[Event], target: str | Path | IO[str], *, csvt: bool = True) -> int:
    """Write the flat CSV to a path or text file; return the number of rows."""
    columns = event_columns()
    written = 0
    with text_sink(target) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([c.name for c in columns])
        for event in events:
            writer.writerow([csv_cell(value) for value in flat_event(event).values()])
            written += 1
    if csvt and isinstance(target, (str, Path)):
        write_csvt(target, [c.type for c in columns])
    return written


def csv_text(events: Iterable[Event]) -> str:
    """The flat CSV as a string."""
    buffer = io.StringIO()
    to_csv(events, buffer)
    return buffer.getvalue()
