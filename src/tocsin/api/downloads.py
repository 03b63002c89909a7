"""``GET /api/events/download``: every event matching the filters as one file to save.

The same filters as ``GET /api/events``; ``format`` is ``csv`` (the flat columns of ``tocsin events
--format csv`` and the DataFrame), ``geojson`` (a FeatureCollection, unlocated events with a null
geometry) or ``acled`` (the ACLED-compatible CSV of ``tocsin.exports``), sent as an attachment
named for the filters. Events are read from the store a page at a time and the file is written to
a spooled temporary file (in memory up to a few megabytes, on disk beyond) before it is sent.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import IO, Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from tocsin.api.filters import event_filters
from tocsin.api.problems import problem_responses
from tocsin.api.state import database_of
from tocsin.event_api import event_record
from tocsin.exports import to_acled_csv, write_geojson
from tocsin.queries import EventFilters, cursor_key, query_events
from tocsin.records import Event
from tocsin.store import Database

router = APIRouter(tags=["events"])

PAGE = 1000
IN_MEMORY = 8 * 1024 * 1024
CHUNK = 64 * 1024

DownloadFormat = Literal["csv", "geojson", "acled"]


@dataclass(frozen=True)
class FileKind:
    media_type: str
    suffix: str


KINDS: dict[str, FileKind] = {
    "csv": FileKind("text/csv; charset=utf-8", ".csv"),
    "geojson": FileKind("application/geo+json", ".geojson"),
    "acled": FileKind("text/csv; charset=utf-8", "-acled.csv"),
}


def matching_events(database: Database, filters: EventFilters) -> Iterator[Event]:
    """Every Event matching ``filters`` with its mentions, read one page at a time."""
    after: str | None = None
    while True:
        page = query_events(database, filters, limit=PAGE, after=after)
        yield from page
        if len(page) < PAGE:
            return
        after = cursor_key(page[-1])


def write_flat_csv(events: Iterator[Event], handle: IO[str]) -> int:
    """The flat columns (``tocsin.event_api.event_record``), documents joined by ``;``."""
    columns = list(event_record(Event(id="", event="")).keys())
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    written = 0
    for event in events:
        row = event_record(event)
        row["documents"] = ";".join(row["documents"])
        writer.writerow(row)
        written += 1
    return written


def write_download(events: Iterator[Event], fmt: str, handle: IO[str]) -> None:
    if fmt == "geojson":
        write_geojson(events, handle)
    elif fmt == "acled":
        to_acled_csv(events, handle)
    else:
        write_flat_csv(events, handle)


def file_name(filters: EventFilters, fmt: str, today: dt.date) -> str:
    """``tocsin-events[-COUNTRY][-TYPE]-YYYY-MM-DD`` plus the format's suffix (ASCII only)."""
    parts = ["tocsin-events"]
    parts += [value for value in (filters.country, filters.type) if value]
    parts.append(today.isoformat())
    return "-".join(parts) + KINDS[fmt].suffix


def _chunks(spool: IO[str]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk.encode("utf-8")
    finally:
        spool.close()


@router.get(
    "/api/events/download",
    summary="Every event matching the filters as a file: CSV, GeoJSON or ACLED CSV",
    response_class=StreamingResponse,
    responses={200: {"description": "The file, as an attachment.",
                     "content": {"text/csv": {"schema": {"type": "string"}},
                                 "application/geo+json": {"schema": {"type": "object"}}}},
               **problem_responses(422)},
)
def download_events(
    request: Request,
    filters: Annotated[EventFilters, Depends(event_filters)],
    format: Annotated[  # noqa: A002 - the public parameter name
        DownloadFormat,
        Query(description="csv (Tocsin's flat columns), geojson or acled (ACLED-compatible "
              "CSV)."),
    ] = "csv",
) -> StreamingResponse:
    spool: IO[str] = SpooledTemporaryFile(  # noqa: SIM115 - closed once sent (_chunks)
        max_size=IN_MEMORY, mode="w+", encoding="utf-8", newline=""
    )
    try:
        write_download(matching_events(database_of(request), filters), format, spool)
    except BaseException:
        spool.close()
        raise
    name = file_name(filters, format, dt.date.today())
    return StreamingResponse(
        _chunks(spool),
        media_type=KINDS[format].media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
