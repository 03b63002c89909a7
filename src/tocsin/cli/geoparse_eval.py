"""``tocsin eval geoparse``: read a gold corpus, score the geoparser, print the metrics."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from tocsin.evaluation.geoparse_corpora import CorpusFormatError
from tocsin.resources import Resources
from tocsin.settings import Settings


def run_geoparse_eval(
    file: str, *, as_json: bool, gazetteer: str | None, limit: int | None
) -> None:
    path = Path(file)
    if not path.is_file():
        typer.echo(f"error: {file}: no such file", err=True)
        raise typer.Exit(2)
    settings = Settings()
    if gazetteer:
        settings.gazetteer_path = Path(gazetteer)
    from tocsin.evaluation.geoparse import evaluate_geoparse

    try:
        metrics = evaluate_geoparse(path, Resources(settings), limit=limit)
    except CorpusFormatError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(metrics))
        return
    rec = metrics["recognition"]
    typer.echo(f"format     {metrics['format']} ({metrics['articles']} articles)")
    typer.echo(f"n          {metrics['n']}")
    typer.echo(f"acc161     {metrics['acc161']:.4f}")
    typer.echo(f"mean_km    {metrics['mean_km']:.1f}")
    typer.echo(f"median_km  {metrics['median_km']:.1f}")
    typer.echo(
        f"recognition precision {rec['precision']:.4f}  recall {rec['recall']:.4f}"
        f"  f1 {rec['f1']:.4f}"
    )
