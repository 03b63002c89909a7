"""The event ontology, read from the package's data files: categories, modes and ACLED types."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class AcledType:
    event_type: str
    sub_event_type: str
    category: str
    mode: str
    case2021: str
    default: bool


def data_lines(package: str, name: str) -> list[str]:
    """Lines of a packaged data file, without comment lines."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def read_table(package: str, name: str) -> list[dict[str, str]]:
    """A packaged TSV file with a header row, as dictionaries (comment lines skipped)."""
    return list(csv.DictReader(data_lines(package, name), delimiter="\t", quoting=csv.QUOTE_NONE))


@cache
def categories() -> dict[str, dict[str, object]]:
    """Category name -> {"definition": str, "modes": [str]}; PLOVER's 16 plus DISPLACEMENT."""
    text = resources.files("tocsin.data.events").joinpath("categories.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def acled_types() -> tuple[AcledType, ...]:
    return tuple(
        AcledType(
            row["event_type"], row["sub_event_type"], row["category"], row["mode"],
            row["case2021"], row["default"] == "yes",
        )
        for row in read_table("tocsin.data.events", "acled_types.tsv")
    )


@cache
def sub_event_types() -> dict[str, AcledType]:
    """ACLED sub-event type -> its row."""
    return {t.sub_event_type: t for t in acled_types()}


def event_type_of(sub_event_type: str) -> str | None:
    row = sub_event_types().get(sub_event_type)
    return row.event_type if row else None


@cache
def case2021_codes() -> dict[str, str]:
    """CASE 2021 task-2 code -> ACLED sub-event type."""
    return {t.case2021: t.sub_event_type for t in acled_types()}


def acled_for(category: str, mode: str | None) -> list[str] | None:
    """[event type, sub-event type] for a category and mode, or None when ACLED does not code it."""
    rows = [t for t in acled_types() if t.category == category]
    for row in rows:
        if mode and row.mode == mode:
            return [row.event_type, row.sub_event_type]
    for row in rows:
        if row.default:
            return [row.event_type, row.sub_event_type]
    return None


def category_for_sub_type(sub_event_type: str) -> tuple[str, str] | None:
    """(category, mode) of an ACLED sub-event type."""
    row = sub_event_types().get(sub_event_type)
    return (row.category, row.mode) if row else None
