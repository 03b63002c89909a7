"""``tocsin stats``: counts of what the database holds."""

from __future__ import annotations

import json

import typer

from tocsin.cli.options import DB, open_db, settings_from


def command(
    db: str | None = DB,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Counts of documents, failures, places, mentions and events."""
    database = open_db(settings_from(db).db_url)
    try:
        counts = database.stats()
    finally:
        database.close()
    if as_json:
        typer.echo(json.dumps(counts))
    else:
        for name, value in counts.items():
            typer.echo(f"{name:>10} {value}")
