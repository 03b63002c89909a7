"""``tocsin eval geoparse``: read a gold corpus, score the geoparser, print the metrics."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from tocsin.evaluation.common import resources_for
from tocsin.evaluation.geoparse_corpora import CorpusFormatError


def run_geoparse_eval(
    file: str, *, as_json: bool, gazetteer: str | None, limit: int | None, split: str = "check"
) -> None:
    path = Path(file)
    if not path.is_file():
        typer.echo(f"error: {file}: no such file", err=True)
        raise typer.Exit(2)
    from tocsin.evaluation.geoparse import evaluate_geoparse

    resources = resources_for(gazetteer=Path(gazetteer) if gazetteer else None)
    try:
        metrics = evaluate_geoparse(path, resources, limit=limit, split=split)
    except CorpusFormatError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(metrics))
        return
    rec = metrics["recognition"]
    typer.echo(f"format     {metrics['format']} ({metrics['articles']} articles, "
               f"split {metrics['split']})")
    typer.echo(f"n          {metrics['n']}")
    typer.echo(f"acc161     {metrics['acc161']:.4f}")
    typer.echo(f"mean_km    {metrics['mean_km']:.1f}")
    typer.echo(f"median_km  {metrics['median_km']:.1f}")
    typer.echo(f"raw_acc161 {metrics['raw_acc161']:.4f}")
    typer.echo(
        f"recognition precision {rec['precision']:.4f}  recall {rec['recall']:.4f}"
        f"  f1 {rec['f1']:.4f}"
    )
