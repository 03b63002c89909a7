"""``tocsin totals``: the cumulative figures stored apart from Events ("37,100 killed since the
war began"), listed or exported as JSON, JSON Lines or CSV."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from tocsin.cli.options import DB, open_db, parse_date, settings_from
from tocsin.filter_values import UnknownValue, resolve_country
from tocsin.mentions.counts import COUNT_TYPES

if TYPE_CHECKING:  # the store and exporters load only when the command runs
    from tocsin.store.total_store import StoredTotal

FORMATS = ("table", "json", "jsonl", "csv")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _table(found: list[StoredTotal]) -> Table:
    from tocsin.exports.totals import flat_total

    table = Table(title=f"{len(found)} total{'' if len(found) == 1 else 's'}")
    for name in ("as of", "category", "value", "since", "where", "source"):
        table.add_column(name, justify="right" if name == "value" else "left")
    for item in found:
        row = flat_total(item)
        value = f"{row['qualifier'] or ''} {row['value']}".strip()
        since = row["period_start"] or row["period_text"] or ""
        where = ", ".join(x for x in (row["location"], row["country"]) if x)
        table.add_row(row["period_end"] or "", row["category"], value, since, where,
                      row["source"] or "")
    return table


def command(
    db: str | None = DB,
    country: str | None = typer.Option(
        None, "--country", help="ISO 3166 code (SDN or SD) or country name of the total's place."
    ),
    category: str | None = typer.Option(
        None, "--category", help=f"What was counted: {', '.join(COUNT_TYPES)}."
    ),
    since: str | None = typer.Option(None, "--since", help="Stated on or after YYYY-MM-DD."),
    until: str | None = typer.Option(None, "--until", help="Stated on or before YYYY-MM-DD."),
    text: str | None = typer.Option(None, "--text", help="Words in the evidence sentence."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many totals."),
    fmt: str = typer.Option("table", "--format", help=f"One of {', '.join(FORMATS)}."),
    out: Path | None = typer.Option(None, "--out", help="Write to this file (default: stdout)."),
) -> None:
    """List the cumulative totals (figures over a period, which are not incidents)."""
    from tocsin.exports.totals import totals_to_csv, totals_to_jsonl
    from tocsin.store.total_store import TotalFilters, query_totals

    if fmt not in FORMATS:
        raise _fail(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if category is not None and category.lower() not in COUNT_TYPES:
        raise _fail(f"unknown category {category!r} (choose from {', '.join(COUNT_TYPES)})")
    try:
        code = resolve_country(country).alpha_3 if country is not None else None
    except UnknownValue as error:
        raise _fail(str(error)) from error
    filters = TotalFilters(country=code, category=category, since=parse_date(since),
                           until=parse_date(until), text=text)
    database = open_db(settings_from(db).db_url)
    try:
        found = query_totals(database, filters, limit=limit)
    finally:
        database.close()
    if fmt == "table":
        buffer = io.StringIO()
        console = Console(file=buffer, width=160) if out else Console()
        console.print(_table(found))
        if out:
            out.write_text(buffer.getvalue(), encoding="utf-8")
        return
    target = out or sys.stdout
    if fmt == "jsonl":
        totals_to_jsonl(found, target)
    elif fmt == "csv":
        totals_to_csv(found, target)
    else:
        text_out = json.dumps([t.to_dict() for t in found], ensure_ascii=False, indent=1) + "\n"
        if out:
            out.write_text(text_out, encoding="utf-8")
        else:
            sys.stdout.write(text_out)
    if out is not None:
        typer.echo(f"{len(found)} totals written to {out}", err=True)
