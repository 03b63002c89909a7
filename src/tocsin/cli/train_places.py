"""``tocsin train-places``: fit the place ranker on geoparsing corpora's ``fit`` split."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

# The corpora and their terms as distributed (Gritta et al.'s repositories: GPL-3.0; the
# article texts belong to their publishers, research use).
CORPORA = {
    "GWN.xml": "GeoWebNews (GPL-3.0 repository; texts: publishers, research use)",
    "lgl.xml": "LGL (GPL-3.0 repository; texts: publishers, research use)",
    "GeoVirus.xml": "GeoVirus (GPL-3.0 repository; texts: publishers, research use)",
}


def _documents(data: Path, split: str) -> dict[str, list]:
    from tocsin.evaluation.geoparse_corpora import read_corpus
    from tocsin.evaluation.splits import select
    from tocsin.places.place_ranker_training import GoldPlace, TrainingDocument

    found = {}
    for name in CORPORA:
        path = data / name
        if not path.is_file():
            continue
        _, articles = read_corpus(path)
        chosen = select(articles, "geoparse", lambda a: a.text, split)
        found[name] = [
            TrainingDocument(a.text, tuple(
                GoldPlace(t.start, t.end, t.lat, t.lon) for t in a.toponyms
                if t.lat is not None and t.lon is not None
            ))
            for a in chosen
        ]
    return found


def _balanced(corpora: dict[str, list]) -> list:
    """The documents with weights that give each corpus the same total weight."""
    from dataclasses import replace

    places = {name: sum(len(d.places) for d in docs) for name, docs in corpora.items()}
    total = sum(places.values())
    out = []
    for name, docs in corpora.items():
        share = total / (len(corpora) * max(places[name], 1))
        out += [replace(d, weight=share) for d in docs]
    return out


def command(
    data: Path = typer.Option(..., "--data", help="Folder with GWN.xml, lgl.xml, GeoVirus.xml."),
    out: Path | None = typer.Option(None, "--out", help="Where to write the model (JSON); "
                                    "without it, only the cross-validation is printed."),
    folds: int = typer.Option(5, "--folds", min=0, help="Cross-validation folds inside fit "
                              "(0: none)."),
    l2: float = typer.Option(1.0, "--l2", min=0.0, help="L2 penalty."),
    gazetteer: str | None = typer.Option(None, "--gazetteer", help="Gazetteer file to use."),
    balance: bool = typer.Option(True, "--balance/--no-balance", help="Weight each corpus's "
                                 "places alike (else each place alike)."),
) -> None:
    """Fit the place ranker on the fit split of the geoparsing corpora; print per-fold Acc@161
    of the hand weights and the learned ranker (TOCSIN_PLACE_RANKER selects a model file)."""
    from tocsin.evaluation.splits import fit_fold
    from tocsin.places.gazetteer import Gazetteer
    from tocsin.places.place_ranker_training import cross_validate, train

    if not data.is_dir():
        typer.echo(f"error: {data} is not a folder", err=True)
        raise typer.Exit(2)
    corpora = _documents(data, "fit")
    if not corpora:
        typer.echo(f"error: none of {', '.join(CORPORA)} in {data}", err=True)
        raise typer.Exit(2)
    gaz = Gazetteer.open(gazetteer)
    documents = _balanced(corpora) if balance else [d for docs in corpora.values() for d in docs]
    report: dict = {"documents": len(documents),
                    "places": sum(len(d.places) for d in documents)}
    if folds:
        split = [[d for d in documents if fit_fold("geoparse", d.text, folds) == k]
                 for k in range(folds)]
        rows = cross_validate(gaz, split, l2)
        report["cross_validation"] = rows
        hand = sum(r["rules"] * r["places"] for r in rows) / max(report["places"], 1)
        learned = sum(r["learned"] * r["places"] for r in rows) / max(report["places"], 1)
        report["acc161_rules"] = round(hand, 4)
        report["acc161_learned"] = round(learned, 4)
    if out is not None:
        meta = {
            "model": "conditional logit over tocsin.places.ranking_features.FEATURES",
            "trained": date.today().isoformat(),
            "split": "fit",
            "corpora": {name: f"{CORPORA[name]}: {len(docs)} articles"
                        for name, docs in corpora.items()},
            "l2": l2,
            "balanced_corpora": balance,
            "cross_validation": {k: report[k] for k in ("acc161_rules", "acc161_learned")
                                 if k in report},
        }
        ranker = train(gaz, documents, l2, meta=meta)
        ranker.save(out)
        report["saved"] = str(out)
    typer.echo(json.dumps(report, indent=1))
