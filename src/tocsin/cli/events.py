"""``tocsin events`` (filtered listing and exports), ``tocsin event ID`` (one Event with its
evidence), ``tocsin fuse`` (fuse pending mentions, or everything again) and the corrections
``tocsin split-event`` and ``tocsin merge-events``."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from tocsin.cli.fitted_tables import fitted_table
from tocsin.cli.options import DB, open_db, parse_date, settings_from
from tocsin.filter_values import UnknownValue, resolve_country, resolve_event_type
from tocsin.records import MODALITIES, Event

if TYPE_CHECKING:
    from tocsin.exports import AcledExport
    from tocsin.store import Database

FORMATS = ("table", "json", "jsonl", "geojson", "csv", "acled", "parquet")
ANY_MODALITY = "any"


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _database(db: str | None) -> Iterator[Database]:
    database = open_db(settings_from(db).db_url)
    try:
        yield database
    finally:
        database.close()


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``W,S,E,N`` in degrees; west > east crosses the antimeridian."""
    parts = value.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError as error:
        raise typer.BadParameter(f"{value!r}: expected four numbers W,S,E,N") from error
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise typer.BadParameter(f"{value!r}: out of range or south above north")
    return west, south, east, north


def parse_near(value: str) -> tuple[float, float]:
    """``LAT,LON`` in degrees."""
    try:
        from tocsin.queries import parse_point

        return parse_point(value)
    except ValueError as error:
        raise typer.BadParameter(f"{value!r}: {error}") from error


# The events table's columns, widest layout first: narrower terminals lose the actor and
# report columns (actor1 and actor2 fold into one "actors"), then the mode, never the id.
EVENT_LAYOUTS = (
    ("id", "date", "event", "mode", "where", "actor1", "actor2", "killed", "src", "rep"),
    ("id", "date", "event", "mode", "where", "actors", "killed", "src", "rep"),
    ("id", "date", "event", "mode", "where", "killed", "src"),
    ("id", "date", "event", "where", "killed", "src"),
    ("id", "date", "event", "where"),
    ("id", "date", "event"),
    ("id",),
)


def _row(e: Event) -> dict[str, str]:
    place = e.location
    where = ""
    if place is not None:
        where = ", ".join(x for x in (place.name or place.text, place.country) if x)
    date = ""
    if e.date and e.date.start:
        date = e.date.start.isoformat()
        if e.date.end and e.date.end != e.date.start:
            date += f".. {e.date.end.isoformat()}"  # the space: two lines when narrow
    actor1 = e.actor1.text[:40] if e.actor1 else ""
    actor2 = e.actor2.text[:40] if e.actor2 else ""
    return {
        "id": e.id, "date": date, "event": e.event, "mode": e.mode or "", "where": where,
        "actor1": actor1, "actor2": actor2,
        "actors": f"{actor1} / {actor2}" if actor1 and actor2 else actor1 or actor2,
        "killed": "" if e.counts.killed is None else str(e.counts.killed),
        "src": str(e.sources), "rep": str(len(e.mentions)),
    }


def _table(events: list[Event], width: int) -> Table:
    """The events as a table ``width`` characters wide at most, ids always whole."""
    title = f"{len(events)} event{'' if len(events) == 1 else 's'}"
    return fitted_table([_row(e) for e in events], EVENT_LAYOUTS, width, title=title,
                        right=frozenset({"killed", "src", "rep"}))


def _write(
    events: list[Event], fmt: str, target: Path | IO[str], *, hxl: bool, all_rows: bool
) -> AcledExport | None:
    """Write ``events`` in ``fmt`` to a path or text file; the ACLED export's report, if ACLED."""
    from tocsin.exports import (  # pyarrow and the exporters load when events are written
        to_acled_csv,
        to_csv,
        to_jsonl,
        to_parquet,
        write_geojson,
    )

    if fmt == "acled":
        return to_acled_csv(events, target, hxl=hxl, all_rows=all_rows)
    if fmt == "csv":
        to_csv(events, target)
    elif fmt == "jsonl":
        to_jsonl(events, target)
    elif fmt == "geojson":
        write_geojson(events, target)
    elif fmt == "parquet":
        assert isinstance(target, Path)
        to_parquet(events, target)
    else:
        buffer = io.StringIO()
        if fmt == "json":
            buffer.write(json.dumps([e.to_dict() for e in events], ensure_ascii=False, indent=1))
            buffer.write("\n")
        else:
            Console(file=buffer, width=160).print(_table(events, 160))
        if isinstance(target, Path):
            target.write_text(buffer.getvalue(), encoding="utf-8")
        else:
            target.write(buffer.getvalue())
    return None


def _understood(country: str | None, type_: str | None) -> tuple[str | None, str | None]:
    """``--country`` as an alpha-3 code and ``--type`` as a category, each said on stderr;
    a usage error (exit 2) naming close matches when either names nothing known."""
    try:
        if country is not None:
            found = resolve_country(country)
            typer.echo(f"country: {found.label()}", err=True)
            country = found.alpha_3
        if type_ is not None:
            type_ = resolve_event_type(type_)
            typer.echo(f"type: {type_}", err=True)
    except UnknownValue as error:
        raise _fail(str(error)) from error
    return country, type_


def events_command(
    db: str | None = DB,
    country: str | None = typer.Option(
        None, "--country", help="ISO 3166 code (SYR or SY) or country name (Syria)."
    ),
    admin1: str | None = typer.Option(None, "--admin1", help="First-level division name."),
    type_: str | None = typer.Option(
        None, "--type", help="Event category (PLOVER or DISPLACEMENT), e.g. ASSAULT."
    ),
    acled_type: str | None = typer.Option(
        None, "--acled-type", help="ACLED event type or sub-event type."
    ),
    actor: str | None = typer.Option(
        None, "--actor", help="Words of either actor, or its country/sector/group code."
    ),
    since: str | None = typer.Option(None, "--since", help="Events on or after YYYY-MM-DD."),
    until: str | None = typer.Option(None, "--until", help="Events on or before YYYY-MM-DD."),
    bbox: str | None = typer.Option(None, "--bbox", help="West,South,East,North in degrees."),
    near: str | None = typer.Option(
        None, "--near", help="Lat,Lon: events within --within-km of this point."
    ),
    within_km: float | None = typer.Option(
        None, "--within-km", min=0, help="Radius around --near in km (default 50)."
    ),
    modality: str = typer.Option(
        "asserted", "--modality", help=f"One of {', '.join(MODALITIES)}, or 'any'."
    ),
    min_sources: int | None = typer.Option(
        None, "--min-sources", min=1, help="At least this many independent sources."
    ),
    text: str | None = typer.Option(None, "--text", help="Words in the evidence sentences."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many events."),
    fmt: str = typer.Option("table", "--format", help=f"One of {', '.join(FORMATS)}."),
    out: Path | None = typer.Option(None, "--out", help="Write to this file (default: stdout)."),
    hxl: bool = typer.Option(
        False,
        "--hxl",
        help="ACLED: add the HXL hashtag row (for HXL tools; pandas and GDAL read it as data).",
    ),
    all_rows: bool = typer.Option(
        False,
        "--all-rows",
        help="ACLED: write every Event, also those ACLED would not code "
        "(no ACLED type, country, coordinates or date).",
    ),
) -> None:
    """List the fused Events matching the filters (asserted ones by default), or export them."""
    if fmt not in FORMATS:
        raise _fail(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if modality != ANY_MODALITY and modality not in MODALITIES:
        raise _fail(f"unknown modality {modality!r} (choose from {', '.join(MODALITIES)}, any)")
    if fmt == "parquet" and out is None:
        raise _fail("--format parquet needs --out FILE")
    for flag, given in (("--hxl", hxl), ("--all-rows", all_rows)):
        if given and fmt != "acled":
            raise _fail(f"{flag} applies to --format acled only")
    if within_km is not None and near is None:
        raise _fail("--within-km needs --near LAT,LON")
    country, type_ = _understood(country, type_)
    from tocsin.queries import EventFilters, query_events  # the store loads when a command runs

    filters = EventFilters(
        country=country,
        admin1=admin1,
        type=type_,
        acled_type=acled_type,
        actor=actor,
        since=parse_date(since),
        until=parse_date(until),
        bbox=parse_bbox(bbox) if bbox else None,
        near=parse_near(near) if near else None,
        within_km=within_km,
        modality=None if modality == ANY_MODALITY else modality,
        min_sources=min_sources,
        text=text,
    )
    with _database(db) as database:
        events = query_events(database, filters, limit=limit)
    if fmt == "table" and out is None:
        console = Console()
        console.print(_table(events, console.width))
        return
    report = _write(events, fmt, out or sys.stdout, hxl=hxl, all_rows=all_rows)
    if report is not None:
        typer.echo(report.describe(str(out) if out else None), err=True)
    elif out is not None:
        typer.echo(f"{len(events)} events written to {out}", err=True)
    if out is not None and (fmt == "csv" or (fmt == "acled" and not hxl)):
        from tocsin.exports import csvt_path

        typer.echo(f"column types for GDAL and QGIS written to {csvt_path(out)}", err=True)


def _show(event: Event, console: Console) -> None:
    console.print(_table([event], console.width))
    counts = {k: v for k, v in vars(event.counts).items() if v is not None}
    if counts:
        conflict = " (sources disagree)" if event.conflicting_counts else ""
        console.print(f"counts: {counts}{conflict}", markup=False)
    for report in event.count_reports:
        console.print(
            f"  {report.kind} {report.qualifier or ''} {report.value}  from {report.mention}"
            f" ({report.source or 'unknown source'})",
            markup=False,
        )
    console.print(
        f"confidence {event.confidence}, {event.sources} independent source(s), "
        f"{len(event.mentions)} report(s):"
    )
    for ref in event.mentions:
        origin = ", ".join(
            x for x in (ref.source, ref.url, ref.published and ref.published.isoformat()) if x
        )
        # soft_wrap: the terminal wraps, so mention ids and URLs are never cut into pieces
        console.print(f"- {ref.mention} [{ref.start}:{ref.end}] {origin}", markup=False,
                      soft_wrap=True)
        console.print(f"    {ref.sentence}", markup=False, soft_wrap=True)


def event_command(
    event_id: str = typer.Argument(..., help="Event id."),
    db: str | None = DB,
    as_json: bool = typer.Option(False, "--json", help="Print the Event as JSON."),
) -> None:
    """One Event with all its evidence: every report, its source, sentence and offsets."""
    with _database(db) as database:
        from tocsin.queries import get_event

        event = get_event(database, event_id)
    if event is None:
        raise _fail(f"no event {event_id}", 1)
    if as_json:
        typer.echo(json.dumps(event.to_dict(), ensure_ascii=False, indent=1))
    else:
        if event.id != event_id:
            typer.echo(f"{event_id} is now {event.id}")
        _show(event, Console())


def fuse_command(
    db: str | None = DB,
    everything: bool = typer.Option(
        False, "--all", help="Fuse every mention again (after the fusion rules changed)."
    ),
) -> None:
    """Fuse the stored mentions not fused yet (``tocsin run`` does it after each run)."""
    with _database(db) as database:
        from tocsin.incremental_fusion import fuse_pending, refuse_all

        summary = refuse_all(database) if everything else fuse_pending(database)
    typer.echo(json.dumps(summary.to_dict()))


def split_command(
    event_id: str = typer.Argument(..., help="The wrongly merged Event."),
    mention_ids: list[str] = typer.Argument(..., help="Mention ids to move to a new Event."),
    db: str | None = DB,
    note: str | None = typer.Option(None, "--note", help="Why (kept with the correction)."),
) -> None:
    """Split mentions out of an Event; the correction is kept across re-processing."""
    with _database(db) as database:
        try:
            from tocsin.incremental_fusion import split_stored_event

            found = split_stored_event(database, event_id, mention_ids, note)
        except (KeyError, ValueError) as error:
            raise _fail(str(error).strip("'\""), 1) from error
    for event in found:
        typer.echo(f"{event.id} {' '.join(r.mention for r in event.mentions)}")


def merge_command(
    first_id: str = typer.Argument(..., help="One Event."),
    second_id: str = typer.Argument(..., help="The Event that is the same real event."),
    db: str | None = DB,
    note: str | None = typer.Option(None, "--note", help="Why (kept with the correction)."),
) -> None:
    """Merge two Events into one; the correction is kept across re-processing."""
    with _database(db) as database:
        try:
            from tocsin.incremental_fusion import merge_stored_events

            event = merge_stored_events(database, first_id, second_id, note)
        except (KeyError, ValueError, RuntimeError) as error:
            raise _fail(str(error).strip("'\""), 1) from error
    typer.echo(f"{event.id} {' '.join(r.mention for r in event.mentions)}")
