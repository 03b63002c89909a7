"""``tocsin gazetteer``: build, import, download and inspect the place gazetteer."""

from __future__ import annotations

import typer

app = typer.Typer(help="Manage the gazetteer (GeoNames-format SQLite file).", no_args_is_help=True)
