"""``tocsin apikey create|list|revoke``: keys for the API's write endpoints (hashed at rest)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from tocsin.cli.options import DB, open_db, settings_from

if TYPE_CHECKING:
    from tocsin.store import Database

app = typer.Typer(help="Manage API keys (for POST /api/documents).", no_args_is_help=True)


def _open(db: str | None) -> Database:
    return open_db(settings_from(db).db_url)


@app.command("create")
def create(
    name: str = typer.Option(..., "--name", help="Who or what the key is for."),
    db: str | None = DB,
) -> None:
    """Create a key and print it once (only its hash is stored)."""
    from tocsin.api.keys import create_key

    with _open(db) as database:
        info, key = create_key(database, name)
    typer.echo(key)
    typer.echo(f"key id {info.id} ({name}); store the key now: it cannot be shown again",
               err=True)


@app.command("list")
def list_(
    db: str | None = DB,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List keys (ids, names, dates; never secrets)."""
    from tocsin.api.keys import list_keys

    with _open(db) as database:
        keys = list_keys(database)
    if as_json:
        rows = [
            {"id": k.id, "name": k.name, "active": k.active,
             "created_at": k.created_at.isoformat() if k.created_at else None,
             "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
             "last_used_at": k.last_used_at.isoformat() if k.last_used_at else None}
            for k in keys
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    for k in keys:
        state = "active" if k.active else f"revoked {k.revoked_at:%Y-%m-%d}"
        used = f"last used {k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never used"
        typer.echo(f"{k.id}\t{k.name}\t{state}\t{used}")


@app.command("revoke")
def revoke(
    key_id: str = typer.Argument(..., help="The key id (or the full key)."),
    db: str | None = DB,
) -> None:
    """Revoke a key; exit 1 when there is no such active key."""
    from tocsin.api.keys import revoke_key

    with _open(db) as database:
        revoked = revoke_key(database, key_id)
    if revoked is None:
        typer.echo("error: no active key with that id", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {revoked}")
