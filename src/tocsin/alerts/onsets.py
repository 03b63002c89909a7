"""Known escalations (onsets) for the backtest, read from a TSV file (``data/iraq_onsets.tsv``).

Columns: ``date`` (ISO), ``admin1`` (as the data spells it, diacritics optional), ``name`` and
``note``. Lines starting with ``#`` are comments. Names are matched after folding: diacritics,
apostrophes, case, a leading "Al " and a trailing "province" are ignored.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold_name(name: str) -> str:
    """A place name reduced for matching ("Al Anbār province" -> "anbar")."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\b(province|governorate)\b", " ", text)
    text = _NOT_WORD.sub(" ", text.replace("'", "").replace("’", "")).strip()
    return re.sub(r"^(al|an|as|ad|at|ar) ", "", text).replace(" ", "")


@dataclass(frozen=True)
class Onset:
    day: dt.date
    admin1: str
    name: str
    note: str = ""


def _parse(text: str, origin: str) -> list[Onset]:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    onsets: list[Onset] = []
    for number, row in enumerate(csv.DictReader(lines, delimiter="\t"), start=1):
        try:
            day = dt.date.fromisoformat(row["date"].strip())
        except (KeyError, ValueError, AttributeError):
            raise ValueError(f"{origin}, onset {number}: needs an ISO date column") from None
        admin1 = (row.get("admin1") or "").strip()
        if not admin1:
            raise ValueError(f"{origin}, onset {number}: needs an admin1")
        onsets.append(Onset(day, admin1, (row.get("name") or "").strip(), row.get("note") or ""))
    return onsets


def load_onsets(path: str | Path | None = None) -> list[Onset]:
    """Onsets from ``path``, or the shipped Iraq list."""
    if path is None:
        text = (files("tocsin") / "data" / "iraq_onsets.tsv").read_text(encoding="utf-8")
        return _parse(text, "iraq_onsets.tsv")
    return _parse(Path(path).read_text(encoding="utf-8"), str(path))
