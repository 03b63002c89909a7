"""Exports of cumulative totals, apart from Events: JSON Lines (one full record a line) and a
flat CSV (one row a total). A total is no incident, so it never enters the event exports."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from tocsin.exports.typed_csv import csv_cell, text_sink
from tocsin.store.total_store import StoredTotal

TOTAL_COLUMNS = (
    "id", "category", "value", "qualifier", "unit", "period_start", "period_end",
    "period_precision", "period_text", "location", "country", "admin1", "lat", "lon",
    "precision", "source", "document", "evidence",
)  # fmt: skip


def flat_total(stored: StoredTotal) -> dict[str, Any]:
    """The scalar fields of a total, in ``TOTAL_COLUMNS`` order (dates as ISO strings)."""
    total, place, period = stored.total, stored.total.location, stored.total.period
    return {
        "id": stored.id,
        "category": total.category,
        "value": total.value,
        "qualifier": total.qualifier,
        "unit": total.unit,
        "period_start": period.start.isoformat() if period.start else None,
        "period_end": period.end.isoformat() if period.end else None,
        "period_precision": period.precision,
        "period_text": total.period_text,
        "location": (place.name or place.text) if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "precision": place.precision if place else None,
        "source": total.source,
        "document": total.evidence.document,
        "evidence": total.evidence.sentence,
    }


def totals_to_jsonl(items: Iterable[StoredTotal], target: str | Path | IO[str]) -> int:
    """One JSON object per total (its id and every field); returns the number written."""
    lines = [json.dumps(t.to_dict(), ensure_ascii=False) + "\n" for t in items]
    if isinstance(target, (str, Path)):
        Path(target).write_text("".join(lines), encoding="utf-8")
    else:
        target.writelines(lines)
    return len(lines)


def totals_to_csv(items: Iterable[StoredTotal], target: str | Path | IO[str]) -> int:
    """A header, then one flat row per total; returns the number of rows."""
    written = 0
    with text_sink(target) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TOTAL_COLUMNS)
        for item in items:
            writer.writerow([csv_cell(v) for v in flat_total(item).values()])
            written += 1
    return written
