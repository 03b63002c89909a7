"""Word vectors looked up from an installed spaCy package's vector table alone.

The table (``vocab/vectors`` with ``key2row``) is read from the first installed package of the
detector's settings, without loading that package's pipeline: the documents keep the parse of
the configured pipeline, and a word's vector is found by the hash of its lower-case form. Rows
are scaled to unit length once, when the table is read.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np


class VectorsMissing(LookupError):
    """None of the configured packages with word vectors is installed."""


def vector_folder(package: str) -> Path | None:
    """The ``vocab`` folder holding a vector table inside an installed package, or None."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        for table in sorted(Path(root).glob("**/vocab/vectors")):
            if (table.parent / "key2row").exists():
                return table.parent
    return None


@dataclass
class WordVectors:
    """Unit-length word vectors, looked up by lower-case word."""

    rows: np.ndarray  # (words, dims) float32, unit length (zero rows stay zero)
    key2row: Any  # hash of a word -> row (spaCy's map, or a dict)
    source: str
    _cache: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, packages: Sequence[str]) -> WordVectors:
        """The table of the first of ``packages`` that is installed."""
        from spacy.vectors import Vectors

        for package in packages:
            folder = vector_folder(package)
            if folder is None:
                continue
            table = Vectors().from_disk(folder, exclude=["strings"])
            data = np.asarray(table.data, dtype=np.float32)
            norms = np.linalg.norm(data, axis=1, keepdims=True)
            rows = data / np.where(norms > 0, norms, 1.0)
            return cls(rows, table.key2row, package)
        raise VectorsMissing(
            "no word vectors: install one of " + ", ".join(packages)
            + " (`make install` installs them)")

    @property
    def dims(self) -> int:
        return int(self.rows.shape[1])

    def row(self, word: str) -> int:
        """The table row of ``word`` (lower-cased), -1 when it has none."""
        word = word.lower()
        found = self._cache.get(word)
        if found is None:
            from spacy.strings import hash_string  # type: ignore[attr-defined]

            found = self.key2row.get(hash_string(word))
            found = -1 if found is None else int(found)
            self._cache[word] = found
        return found

    def mean(self, words: Iterable[str]) -> np.ndarray:
        """The unit-length mean vector of ``words`` (zeros when none has a vector)."""
        rows = [r for r in (self.row(w) for w in words) if r >= 0]
        if not rows:
            return np.zeros(self.dims, dtype=np.float32)
        mean = self.rows[rows].mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm > 0 else mean
