"""Plumbing shared by the evaluations: the product's resources, the split a run scores, and the
per-unit answers some evaluations can write out (``--rows-out``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from tocsin.evaluation.splits import UNITS, select
from tocsin.resources import Resources, shared_resources
from tocsin.settings import Settings

T = TypeVar("T")


def resources_for(model: Path | None = None, gazetteer: Path | None = None) -> Resources:
    """The Resources ``tocsin extract`` runs with, with a trained event model or another
    gazetteer file when given (the same settings a user would set)."""
    settings = Settings()
    if model is not None:
        settings.event_model_path = Path(model)
    if gazetteer is not None:
        settings.gazetteer_path = Path(gazetteer)
    return shared_resources(settings)


def choose(items: Iterable[T], dataset: str, key: Callable[[T], str], split: str,
           limit: int | None = None) -> list[T]:
    """The units of ``split`` (``fit``, ``check`` or ``all``), the first ``limit`` of them."""
    chosen = select(items, dataset, key, split)
    return chosen[:limit] if limit else chosen


def split_info(dataset: str, split: str, units: int) -> dict[str, Any]:
    """The fields every report carries: which split, by what unit, how many units scored."""
    return {"split": split, "unit": UNITS.get(dataset, "record"), "units": units}


def write_rows(path: Path | None, rows: Iterable[dict[str, Any]]) -> None:
    """Write per-unit answers as JSON lines (nothing when ``path`` is None)."""
    if path is None:
        return
    with Path(path).open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def package_table(name: str) -> list[dict[str, str]]:
    """The rows of a tab-separated table in ``tocsin/data/events`` (``#`` lines are comments)."""
    import csv
    from importlib import resources as package_files

    text = package_files.files("tocsin.data.events").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))
