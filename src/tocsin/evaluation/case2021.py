"""``tocsin eval case2021``: ACLED sub-event types of CASE 2021 task-2 news snippets.

Scores the 25 ACLED sub-types (subtask 1); rows labelled with the five types ACLED does not code
(organised crime, disasters, diplomacy, attribution) are counted and reported separately: the
share of them the model puts in "Other" or a non-violent type is not a meaningful F1.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import typer

from tocsin.evaluation.typing_scores import f1_scores

csv.field_size_limit(10_000_000)


def read_rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        text_i, label_i = header.index("EventSnippet"), header.index("SubType")
        return [(r[text_i], r[label_i]) for r in reader if len(r) > max(text_i, label_i)]


def score(path: Path, classifier: Any) -> dict[str, Any]:
    from tocsin.mentions.ontology import case2021_codes

    codes = case2021_codes()
    rows = read_rows(path)
    inside = [(t, codes[c]) for t, c in rows if c in codes]
    outside = [(t, c) for t, c in rows if c not in codes]
    predicted = [p[1] for p in classifier.predict([t for t, _ in inside])]
    result: dict[str, Any] = f1_scores([g for _, g in inside], predicted)
    other_pred = [p[1] for p in classifier.predict([t for t, _ in outside])] if outside else []
    result.update({
        "rows": len(inside),
        "other_labels": {
            "rows": len(outside),
            "by_label": {c: sum(1 for _, g in outside if g == c) for c in
                         sorted({g for _, g in outside})},
            "predicted_other": sum(1 for p in other_pred if p == "Other"),
        },
    })
    return result


def _load(model: Path) -> Any:
    from tocsin.mentions.classifier import TrainedClassifier

    try:
        return TrainedClassifier.load(model)
    except (OSError, ValueError, EOFError) as error:
        typer.echo(f"error: {model}: {error}", err=True)
        raise typer.Exit(2) from None


def command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CASE 2021 task-2 TSV."),
    model: Path | None = typer.Option(None, "--model", help="A model from `tocsin train`."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Event sub-types of news snippets (CASE 2021 task 2): weighted/macro F1, accuracy."""
    from tocsin.mentions.classifier import DefaultClassifier, RuleClassifier

    report: dict[str, Any] = {"default": score(file, DefaultClassifier()),
                              "rules": score(file, RuleClassifier())}
    if model is not None:
        report["trained"] = score(file, _load(model))
    primary = report.get("trained", report["default"])
    out = {"weighted_f1": primary["weighted_f1"], "macro_f1": primary["macro_f1"],
           "accuracy": primary["accuracy"], "model": "trained" if model else "default", **report}
    typer.echo(json.dumps(out) if as_json else json.dumps(out, indent=2))
