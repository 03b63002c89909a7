"""The one split registry of every evaluation: ``fit`` (train, tune, cross-validate, read errors)
and ``check`` (aggregate figures only, measured when an issue closes).

A unit (a whole article, an ACLED note, a record, an excerpt) goes to ``fit`` or ``check`` by a
hash of the data set's name and the unit's key, so the split is the same on every machine and
does not move when rows are added or reordered. ``fit_folds`` cuts ``fit`` into the folds of a
cross-validation by the same kind of hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Literal, TypeVar

Split = Literal["fit", "check", "all"]
SPLITS: tuple[str, ...] = ("fit", "check", "all")

# The unit each data set is split by (issue 13); the key functions live with the readers.
UNITS: dict[str, str] = {
    "acled": "note (event_id_cnty, else the note text); train.csv is all fit",
    "case2021": "record (its id, else its text)",
    "event-dates": "row (published|text|event word of tests/fixtures/event_dates.tsv)",
    "event-location": "record (its id, else its text)",
    "geoparse": "whole article (its id or title, else its text)",
    "glocon": "whole article (its url)",
    "idetect": "excerpt (its id, else its text)",
    "news": "whole article, in the split its corpus's evaluation gives it (glocon, geoparse)",
    "plover": "sentence (its id, else its text)",
    "transliteration": "town (its GeoNames id): all spellings of a town together",
    "example": "the worked example is an acceptance case, in every split",
}

T = TypeVar("T")


def _bucket(dataset: str, key: str, buckets: int) -> int:
    digest = hashlib.sha256(f"{dataset}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % buckets


def split_of(dataset: str, key: str) -> Literal["fit", "check"]:
    """``fit`` or ``check`` for the unit ``key`` of ``dataset`` (about half each)."""
    return "fit" if _bucket(dataset, key, 2) == 0 else "check"


def select(items: Iterable[T], dataset: str, key: Callable[[T], str], split: str) -> list[T]:
    """The items of ``split`` (``fit``, ``check`` or ``all``), in their order."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (choose one of {', '.join(SPLITS)})")
    if split == "all":
        return list(items)
    return [item for item in items if split_of(dataset, key(item)) == split]


def fit_fold(dataset: str, key: str, folds: int) -> int:
    """The cross-validation fold (0 .. folds-1) of a ``fit`` unit."""
    return _bucket(f"{dataset}/folds", key, folds)
