"""``tocsin train-event-places``: fit the event-place ranker on the event-location data's
``fit`` split."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

SOURCE = ("Halterman (2019) event-location records (MIT repository; sentences from newswire and "
          "other publishers, research use)")


def command(
    data: Path = typer.Option(..., "--data", help="Folder with eval.jsonl of the event-location "
                              "data (or the file itself)."),
    out: Path | None = typer.Option(None, "--out", help="Where to write the model (JSON); "
                                    "without it, only the cross-validation is printed."),
    folds: int = typer.Option(5, "--folds", min=0, help="Cross-validation folds inside fit "
                              "(0: none)."),
    l2: float = typer.Option(3.0, "--l2", min=0.0, help="L2 penalty."),
) -> None:
    """Fit the event-place ranker on the fit split of the event-location data; print per-fold
    accuracy of the hand rules and the learned ranker (TOCSIN_EVENT_PLACE_RANKER selects a
    model file, or "rules")."""
    from tocsin.evaluation.common import choose
    from tocsin.evaluation.event_location import (
        DATASET,
        gold_locations,
        gold_verb,
        read_records,
        unit_key,
    )
    from tocsin.evaluation.splits import fit_fold
    from tocsin.extraction import extract
    from tocsin.mentions.place.event_place_training import (
        Example,
        collect,
        cross_validate,
        train,
    )
    from tocsin.resources import shared_resources

    path = data / "eval.jsonl" if data.is_dir() else data
    if not path.is_file():
        typer.echo(f"error: {path} is not a file", err=True)
        raise typer.Exit(2)
    records = choose(read_records(path), DATASET, unit_key, "fit")
    examples = [Example(r["text"], verb, tuple(gold_locations(r)),
                        fit_fold(DATASET, unit_key(r), max(folds, 1)))
                for r in records if (verb := gold_verb(r)) is not None]
    resources = shared_resources()
    observed = collect(examples, lambda text, verbs: extract(text, resources=resources,
                                                             verbs=verbs))
    report: dict = {"records": len(observed)}
    if folds > 1:
        rows = cross_validate(observed, folds, l2)
        report["cross_validation"] = rows
        total = max(sum(r["records"] for r in rows), 1)
        report["accuracy_rules"] = round(sum(r["rules"] * r["records"] for r in rows) / total, 4)
        report["accuracy_learned"] = round(
            sum(r["learned"] * r["records"] for r in rows) / total, 4)
    if out is not None:
        meta = {
            "model": "conditional logit over "
                     "tocsin.mentions.place.event_place_features.FEATURES",
            "trained": date.today().isoformat(),
            "split": "fit",
            "data": f"{SOURCE}: {len(observed)} records",
            "l2": l2,
            "cross_validation": {k: report[k] for k in ("accuracy_rules", "accuracy_learned")
                                 if k in report},
        }
        train(observed, l2, meta).save(out)
        report["saved"] = str(out)
    typer.echo(json.dumps(report, indent=1))
