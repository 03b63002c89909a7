"""Options shared by several commands, and their validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from tocsin.settings import Settings


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
