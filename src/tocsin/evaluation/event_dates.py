"""Event dates: the date ``tocsin.extract`` gives an event, against a hand-written test set.

The set (``tests/fixtures/event_dates.tsv``, the project's own sentences) holds a text, its
publication date, one event word and the dates the event may have happened (start, end,
precision). A text of two sentences separates them with " || "; they are read as one paragraph
and the event word is looked for in the last one. Each row goes through
``extract(text, published, verbs=[event word])``: the product makes one event mention for that
word and dates it as it dates any event. The headline figure is the share of rows whose start
date is exactly right; the end date and the precision are scored beside it. Units are rows
(published, text and event word together).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.evaluation.common import choose, split_info
from tocsin.extraction import extract
from tocsin.resources import Resources

DATASET = "event-dates"
SENTENCE_BREAK = " || "


@dataclass(frozen=True)
class DatedEvent:
    """One row of the test set."""

    published: str
    text: str
    event: str
    start: str
    end: str
    precision: str
    split: str

    @property
    def key(self) -> str:
        return f"{self.published}|{self.text}|{self.event}"

    def document(self) -> tuple[str, tuple[int, int]]:
        """The text as one paragraph, and the character span of the event word."""
        sentences = self.text.split(SENTENCE_BREAK)
        joined = " ".join(sentences)
        last = len(joined) - len(sentences[-1])
        at = joined.index(self.event, last)
        return joined, (at, at + len(self.event))


def read_rows(path: str | Path) -> list[DatedEvent]:
    """The rows of an event-date TSV (``#`` lines are comments)."""
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return [DatedEvent(**{k: row[k] for k in DatedEvent.__dataclass_fields__})
            for row in csv.DictReader(lines, delimiter="\t")]


def date_of_event(row: DatedEvent, resources: Resources | None = None) -> dict[str, Any] | None:
    """The date ``extract`` gives the event word of ``row`` (None when it makes no mention)."""
    text, span = row.document()
    found = extract(text, row.published, resources, verbs=[span])
    for event in found["events"]:
        evidence = event["evidence"]
        if evidence["start"] <= span[0] < evidence["end"]:
            date: dict[str, Any] | None = event.get("date")
            return date
    return None


def score_row(row: DatedEvent, resources: Resources | None = None) -> dict[str, Any]:
    date = date_of_event(row, resources) or {}
    return {
        "published": row.published,
        "text": row.text,
        "event": row.event,
        "expected": [row.start, row.end, row.precision],
        "found": [date.get("start"), date.get("end"), date.get("precision")],
        "evidence": date.get("text"),
        "start_ok": date.get("start") == row.start,
        "end_ok": date.get("end") == row.end,
        "precision_ok": date.get("precision") == row.precision,
    }


def evaluate(path: str | Path, resources: Resources | None = None, split: str = "check",
             limit: int | None = None) -> dict[str, Any]:
    """Shares of rows with the right start date, end date, both, and precision; the misses."""
    rows = choose(read_rows(path), DATASET, lambda r: r.key, split, limit)
    scored = [score_row(row, resources) for row in rows]
    total = len(scored)

    def share(test: str) -> float | None:
        return round(sum(bool(r[test]) for r in scored) / total, 4) if total else None

    both = [r for r in scored if r["start_ok"] and r["end_ok"]]
    return {
        **split_info(DATASET, split, total),
        "start_exact": share("start_ok"),
        "end_exact": share("end_ok"),
        "start_and_end_exact": round(len(both) / total, 4) if total else None,
        "precision_exact": share("precision_ok"),
        "misses": [r for r in scored if not r["start_ok"]],
    }
