"""Options shared by several commands, and their validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from tocsin.settings import Settings

if TYPE_CHECKING:
    from tocsin.store import Database


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise typer.BadParameter(f"{value!r} is not a date (expected YYYY-MM-DD)") from error


DB = typer.Option(
    None, "--db", help="Database URL or SQLite path (default: $TOCSIN_DB or tocsin.sqlite)."
)
PUBLISHED = typer.Option(
    None, "--published", help="Publication date YYYY-MM-DD for inputs that carry none."
)
GAZETTEER = typer.Option(
    None, "--gazetteer", help="Gazetteer file (default: $TOCSIN_GAZETTEER or the user data folder)."
)
KIND = typer.Option(
    "article", "--kind",
    help="What the inputs are: 'article' (news, posts, feeds) or 'note' (a coder's note that "
    "describes one event, as in ACLED's notes); a JSON Lines record's own 'kind' field wins.",
)
MODEL = typer.Option(None, "--model", help="spaCy pipeline name or path (default: small English).")


def settings_from(
    db: str | None = None, gazetteer: Path | None = None, model: str | None = None
) -> Settings:
    settings = Settings()
    if db:
        settings.db_url = db
    if gazetteer:
        settings.gazetteer_path = gazetteer
    if model:
        settings.model = model
    return settings


def check_kind(kind: str) -> str:
    """``kind`` when it is a document kind Tocsin knows; else a usage error (exit 2)."""
    from tocsin.records import KINDS

    if kind not in KINDS:
        typer.echo(f"error: --kind must be one of {', '.join(KINDS)}, not {kind!r}", err=True)
        raise typer.Exit(2)
    return kind


def open_db(db_url: str, *, create: bool = False) -> Database:
    """Open the database for a command; a usage error (exit 2, one line on stderr) when it
    cannot be opened, or when the SQLite file does not exist and ``create`` is false (only
    ``run``, ``watch``, ``demo`` and ``serve --create`` create one)."""
    from tocsin.store import DatabaseMissing, open_database

    try:
        return open_database(db_url, create=create)
    except DatabaseMissing as error:
        typer.echo(f"error: {error} (tocsin run creates one)", err=True)
        raise typer.Exit(2) from error
    except Exception as error:  # noqa: BLE001 - one-line reason for the user
        typer.echo(f"error: cannot open database {db_url}: {error}", err=True)
        raise typer.Exit(2) from error
