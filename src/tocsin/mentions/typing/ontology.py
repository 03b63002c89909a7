"""The event ontology, read from the package's data files: categories, modes, ACLED types and
how they meet ACLED's coding (``Ontology``, parsed once by ``Ontology.load()``)."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from importlib import resources

_PACKAGE = "tocsin.data.events"


@dataclass(frozen=True)
class AcledType:
    event_type: str
    sub_event_type: str
    category: str  # the row's own category (the first of ``categories``)
    mode: str  # the row's own mode (the first of ``modes``)
    case2021: str
    default: bool  # the row of ``category`` when the mention's mode has none
    modes: tuple[str, ...] = ()  # every mode ACLED codes as this sub-type
    categories: tuple[str, ...] = ()  # every category whose mentions of those modes it codes


def data_lines(package: str, name: str) -> list[str]:
    """Lines of a packaged data file, without comment lines."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def read_table(package: str, name: str) -> list[dict[str, str]]:
    """A packaged TSV file with a header row, as dictionaries (comment lines skipped)."""
    return list(csv.DictReader(data_lines(package, name), delimiter="\t", quoting=csv.QUOTE_NONE))


@dataclass(frozen=True)
class AcledCoding:
    """How categories and modes meet ACLED's coding (``acled_coding.toml``)."""

    typed_categories: frozenset[str] = frozenset()
    coded_modes: frozenset[str] = frozenset()
    typed_share: float = 0.5
    crowd_violence: frozenset[tuple[str, str]] = frozenset()  # (category, mode)
    state_forces: frozenset[str] = frozenset()

    @classmethod
    def load(cls) -> AcledCoding:
        text = resources.files(_PACKAGE).joinpath("acled_coding.toml").read_text("utf-8")
        data = tomllib.loads(text)
        return cls(
            frozenset(data["typed_categories"]), frozenset(data["coded_modes"]),
            float(data["typed_share"]),
            frozenset((entry.split()[0], entry.split()[1]) for entry in data["crowd_violence"]),
            frozenset(data["state_forces"]),
        )

    def codes(self, category: str, mode: str | None) -> bool:
        """Does ACLED code an event of ``category`` and ``mode`` (a category it types, or a mode
        it codes)?"""
        return category in self.typed_categories or mode in self.coded_modes


@dataclass(frozen=True)
class Ontology:
    """Tocsin's categories (PLOVER's 16 plus DISPLACEMENT) and the ACLED types they map to."""

    categories: dict[str, dict[str, object]]  # name -> {"definition": str, "modes": [str]}
    acled_types: tuple[AcledType, ...]
    coding: AcledCoding = AcledCoding()

    @classmethod
    def load(cls) -> Ontology:
        """categories.toml and acled_types.tsv, parsed once."""
        text = resources.files(_PACKAGE).joinpath("categories.toml").read_text("utf-8")
        types = tuple(
            AcledType(
                row["event_type"], row["sub_event_type"], row["category"].split("|")[0],
                row["mode"].split("|")[0], row["case2021"], row["default"] == "yes",
                tuple(row["mode"].split("|")), tuple(row["category"].split("|")),
            )
            for row in read_table(_PACKAGE, "acled_types.tsv")
        )
        return cls(tomllib.loads(text), types, AcledCoding.load())

    @property
    def sub_event_types(self) -> dict[str, AcledType]:
        """ACLED sub-event type -> its row."""
        return {t.sub_event_type: t for t in self.acled_types}

    @property
    def case2021_codes(self) -> dict[str, str]:
        """CASE 2021 task-2 code -> ACLED sub-event type."""
        return {t.case2021: t.sub_event_type for t in self.acled_types}

    def event_type_of(self, sub_event_type: str) -> str | None:
        row = next((t for t in self.acled_types if t.sub_event_type == sub_event_type), None)
        return row.event_type if row else None

    def sub_types_of(self, category: str) -> frozenset[str]:
        """The ACLED sub-event types a category can report."""
        return frozenset(t.sub_event_type for t in self.acled_types if category in t.categories)

    def acled_for(self, category: str, mode: str | None) -> list[str] | None:
        """[event type, sub-event type] for a category and mode, or None when ACLED does not
        code it."""
        for row in self.acled_types:
            if mode and category in row.categories and mode in row.modes:
                return [row.event_type, row.sub_event_type]
        for row in self.acled_types:
            if row.default and row.category == category:
                return [row.event_type, row.sub_event_type]
        return None

    def category_for_sub_type(self, sub_event_type: str) -> tuple[str, str] | None:
        """(category, mode) of an ACLED sub-event type."""
        row = self.sub_event_types.get(sub_event_type)
        return (row.category, row.mode) if row else None
