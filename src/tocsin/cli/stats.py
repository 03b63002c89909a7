"""``tocsin stats``: counts of what the database holds."""

from __future__ import annotations

import json

import typer

from tocsin.cli.options import DB, settings_from
from tocsin.store import open_database


def command(
    db: str | None = DB,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Counts of documents, failures, places, mentions and events."""
    settings = settings_from(db)
    try:
        database = open_database(settings.db_url)
    except Exception as error:  # noqa: BLE001 - one-line reason for the user
        typer.echo(f"error: cannot open database {settings.db_url}: {error}", err=True)
        raise typer.Exit(2) from error
    try:
        counts = database.stats()
    finally:
        database.close()
    if as_json:
        typer.echo(json.dumps(counts))
    else:
        for name, value in counts.items():
            typer.echo(f"{name:>10} {value}")
