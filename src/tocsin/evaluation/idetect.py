"""IDETECT / IDMC excerpts: displacement figures read by ``tocsin.extract``.

Each row holds an excerpt (one to three sentences), the displacement figure an IDMC analyst read
from it (``Quantity``) and its unit (``Unit``: People or Households). Each excerpt goes through
``extract``; its figure is the ``displaced`` count of the first event mention that has one (in
the order the record lists them), its unit that count's unit; else the first displacement total
of the record (IDMC's analysts read reported figures, cumulative ones such as "displaced since
the floods began" too, which Tocsin keeps as totals, not events). A row without one counts as
wrong for quantity and is scored with the default unit (people). The analyst's reporting term
(``Term``) is not scored: the product's records carry no such field.

Rows whose gold figure is a known transcription error of the label file (the figure in the text
differs from the label: ids 1, 4, 50, 222) are left out by default. Units are excerpts (their
id, else their text).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.evaluation.common import choose, split_info
from tocsin.extraction import extract
from tocsin.resources import Resources

DATASET = "idetect"
DEFAULT_EXCLUDED = "1,4,50,222"


@dataclass
class Prediction:
    quantity: int | None
    unit: str


def predict(events: Sequence[dict[str, Any]],
            totals: Sequence[dict[str, Any]] = ()) -> Prediction:
    """The displacement figure of an extraction record's events (first with one), else of its
    totals (first displacement total)."""
    for event in events:
        counts = event.get("counts") or {}
        if counts.get("displaced") is not None:
            return Prediction(int(counts["displaced"]), counts.get("unit") or "people")
    for total in totals:
        if total.get("category") == "displaced":
            return Prediction(int(total["value"]), total.get("unit") or "people")
    return Prediction(None, "people")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        return list(csv.DictReader(handle))


def unit_key(row: dict[str, str]) -> str:
    return row.get("excerpt_id") or row["excerpt"]


def evaluate(path: Path, resources: Resources | None = None, *, split: str = "check",
             limit: int | None = None, excluded: set[str] | None = None) -> dict[str, Any]:
    """quantity_exact and unit_accuracy over the ``split`` rows of ``path``."""
    excluded = excluded if excluded is not None else set(DEFAULT_EXCLUDED.split(","))
    rows = [r for r in read_rows(path) if r.get("excerpt_id", "") not in excluded]
    if rows:
        missing = {"excerpt", "Quantity", "Unit"} - set(rows[0])
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(sorted(missing))}")
    rows = choose(rows, DATASET, unit_key, split, limit)
    quantity_ok = unit_ok = found = 0
    for row in rows:
        record = extract(row["excerpt"], resources=resources)
        pred = predict(record["events"], record.get("totals", []))
        found += pred.quantity is not None
        gold_quantity = int(float(row["Quantity"].replace(",", ""))) if row["Quantity"] else None
        quantity_ok += pred.quantity is not None and pred.quantity == gold_quantity
        unit_ok += pred.unit == row["Unit"].strip().lower()
    n = len(rows)
    return {
        **split_info(DATASET, split, n),
        "task": "idetect",
        "rows": n,
        "excluded_ids": sorted(excluded, key=lambda x: (len(x), x)),
        "predicted": found,
        "quantity_exact": round(quantity_ok / n, 4) if n else None,
        "unit_accuracy": round(unit_ok / n, 4) if n else None,
    }
