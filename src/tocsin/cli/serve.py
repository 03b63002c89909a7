"""``tocsin serve``: the REST API and the dashboard, from one process (uvicorn)."""

from __future__ import annotations

import os

import typer

from tocsin.cli.options import DB, open_db, settings_from


def command(
    db: str | None = DB,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    cors_origin: list[str] = typer.Option(
        [], "--cors-origin",
        help="Origin allowed to call the API from a browser (repeatable; '*' for any). "
        "Default: $TOCSIN_CORS_ORIGINS, comma-separated.",
    ),
    tile_url: str | None = typer.Option(
        None, "--tile-url",
        help="XYZ tile URL template for online use, e.g. https://tile.example/{z}/{x}/{y}.png "
        "(default: $TOCSIN_TILE_URL; none: the map draws country borders only, offline).",
    ),
    allow_network: list[str] = typer.Option(
        [], "--allow-network", metavar="CIDR",
        help="Network that URLs posted through the API may reach although it is loopback, "
        "private or link-local, e.g. 10.1.0.0/16 (repeatable). Default: none, or "
        "$TOCSIN_ALLOW_NETWORKS, comma-separated.",
    ),
    create: bool = typer.Option(
        False, "--create", help="Create the SQLite database when it does not exist yet."
    ),
) -> None:
    """Serve the API (/api, docs at /docs) and the dashboard (/) over the database."""
    import uvicorn

    from tocsin.api import create_app
    from tocsin.sources.netguard import parse_networks

    settings = settings_from(db)
    if allow_network:
        settings.allow_networks = tuple(allow_network)
    try:
        parse_networks(settings.allow_networks)
    except ValueError as error:
        typer.echo(f"error: --allow-network: {error}", err=True)
        raise typer.Exit(2) from error
    open_db(settings.db_url, create=create).close()  # exit 2 on a missing or broken database
    origins = cors_origin or [
        o.strip() for o in os.environ.get("TOCSIN_CORS_ORIGINS", "").split(",") if o.strip()
    ]
    try:
        app = create_app(
            settings.db_url, settings=settings, cors_origins=origins,
            tile_url=tile_url or os.environ.get("TOCSIN_TILE_URL") or None,
        )
    except Exception as error:  # noqa: BLE001 - one-line reason for the user
        typer.echo(f"error: cannot open database {settings.db_url}: {error}", err=True)
        raise typer.Exit(2) from error
    typer.echo(f"Tocsin on http://{host}:{port}/ (API docs at /docs), database {settings.db_url}",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")
