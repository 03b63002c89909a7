"""``tocsin train``: train the event typing model from the user's own ACLED export."""

from __future__ import annotations

from pathlib import Path

import typer


def command(
    acled: Path = typer.Option(..., "--acled", help="An ACLED export (CSV with notes, "
                               "event_type, sub_event_type)."),
    out: Path | None = typer.Option(None, "--out", help="Where to save the model "
                                    "(default: the Tocsin data folder)."),
    examples: bool = typer.Option(True, "--examples/--no-examples", help="Also learn from "
                                  "Tocsin's own example sentences (helps on news text)."),
) -> None:
    """Train the event type classifier on ACLED notes; Tocsin then uses it (TOCSIN_EVENT_MODEL)."""
    from tocsin.mentions.lexicons import Lexicons
    from tocsin.mentions.typing.classifier import default_model_path, train_from_acled

    if not acled.is_file():
        typer.echo(f"error: {acled} is not a file", err=True)
        raise typer.Exit(2)
    try:
        default = Lexicons.load().classifiers.default
        model, n = train_from_acled(acled, default, with_examples=examples)
    except (ValueError, KeyError, UnicodeDecodeError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    path = out or default_model_path()
    model.save(path)
    typer.echo(f"trained on {n} rows; saved {path} (set TOCSIN_EVENT_MODEL={path} to use it "
               "elsewhere)")
