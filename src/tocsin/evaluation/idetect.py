"""``tocsin eval idetect``: displacement figures against the IDETECT / IDMC excerpt labels.

Each row holds an excerpt (one to three sentences), the displacement figure an IDMC analyst read
from it (``Quantity``), its reporting term (``Term``: Displaced, Evacuated, Forced to Flee, ...)
and unit (``Unit``: People or Households). Tocsin reads only the excerpt; its first displacement
figure is compared on value, reporting term and unit. A row without a prediction counts as
wrong for quantity and term and is scored with the default unit (people).

Rows whose gold figure is a known transcription error of the label file (the figure in the text
differs from the label: ids 1, 4, 50, 222) are left out by default; ``--exclude-ids ""`` keeps
them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from tocsin.mentions.counts import CountMention, find_counts, people_figures

DEFAULT_EXCLUDED = "1,4,50,222"


@dataclass
class Prediction:
    quantity: int | None
    term: str | None
    unit: str


def predict(
    mentions: Iterable[CountMention], fallback: Iterable[CountMention] = ()
) -> Prediction:
    """The displacement figure an excerpt reports.

    Its first displacement mention about people, else its first about buildings, else (the
    excerpt is known to report one displacement figure) its first figure of people or
    households, with the default term "displaced".
    """
    displaced = [m for m in mentions if m.type == "displaced"]
    displaced.sort(key=lambda m: (m.reporting_term or "") in _STRUCTURE_TERMS)
    if displaced:
        first = displaced[0]
        return Prediction(first.value, first.reporting_term, first.unit or "people")
    for figure in fallback:
        return Prediction(figure.value, "displaced", figure.unit or "people")
    return Prediction(None, None, "people")


_STRUCTURE_TERMS = {"destroyed housing", "partially destroyed housing"}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        return list(csv.DictReader(handle))


def score(path: Path, excluded: set[str] | None = None, nlp: Any = None) -> dict[str, Any]:
    """quantity_exact, term_accuracy and unit_accuracy over the rows of ``path``."""
    from tocsin.resources import load_spacy

    nlp = nlp or load_spacy()
    excluded = excluded if excluded is not None else set(DEFAULT_EXCLUDED.split(","))
    rows = [r for r in read_rows(path) if r.get("excerpt_id", "") not in excluded]
    if not rows:
        raise ValueError(f"{path}: no rows to score")
    missing = {"excerpt", "Quantity", "Term", "Unit"} - set(rows[0])
    if missing:
        raise ValueError(f"{path}: missing columns {', '.join(sorted(missing))}")
    quantity_ok = term_ok = unit_ok = found = 0
    for row, doc in zip(rows, nlp.pipe(r["excerpt"] for r in rows), strict=True):
        mentions = [m for sent in doc.sents for m in find_counts(sent)]
        fallback = [f for sent in doc.sents for f in people_figures(sent)]
        pred = predict(mentions, fallback)
        found += pred.quantity is not None
        gold_quantity = int(float(row["Quantity"].replace(",", ""))) if row["Quantity"] else None
        quantity_ok += pred.quantity is not None and pred.quantity == gold_quantity
        term_ok += (pred.term or "").lower() == row["Term"].strip().lower()
        unit_ok += pred.unit == row["Unit"].strip().lower()
    n = len(rows)
    return {
        "task": "idetect",
        "rows": n,
        "excluded_ids": sorted(excluded, key=lambda x: (len(x), x)),
        "predicted": found,
        "quantity_exact": round(quantity_ok / n, 4),
        "term_accuracy": round(term_ok / n, 4),
        "unit_accuracy": round(unit_ok / n, 4),
    }


def command(
    file: Annotated[Path, typer.Argument(help="IDETECT CSV (excerpt, Quantity, Term, Unit).")],
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    exclude_ids: Annotated[
        str, typer.Option("--exclude-ids", help="Comma-separated excerpt ids to leave out.")
    ] = DEFAULT_EXCLUDED,
) -> None:
    """Displacement figures: quantity, reporting term and unit accuracy."""
    if not file.is_file():
        typer.echo(f"error: {file} is not a file", err=True)
        raise typer.Exit(2)
    excluded = {x.strip() for x in exclude_ids.split(",") if x.strip()}
    try:
        result = score(file, excluded)
    except (ValueError, KeyError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if json_output:
        typer.echo(json.dumps(result))
        return
    for key, value in result.items():
        typer.echo(f"{key}: {value}")
