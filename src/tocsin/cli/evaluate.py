"""``tocsin eval``: score the pipeline against labelled data; each task lives in tocsin.evaluation."""

from __future__ import annotations

import typer

app = typer.Typer(help="Score Tocsin against labelled data (prints JSON metrics).", no_args_is_help=True)
