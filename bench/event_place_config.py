"""Which configuration of the event's place ``find_events`` should use (issue 13), measured on
the ``fit`` split of the event-location data only.

For each fit record, ``tocsin.extract(text, verbs=[gold verb])`` makes the mention of the gold
verb; a record is right when that mention's place overlaps a gold LOCATION span, or when both
are empty. It was run (2473 fit records) for two configurations of the event's place: the
ranking without the running-text rules over the geoparser's toponyms (what ``find_events`` did
before issue 13): 0.6312; with the running-text rules, bracket-cut joining and syntax-marked
candidates (what the event-location evaluation did): 0.7517. ``tocsin.mentions.place.event``
keeps the second, the only one now; this script measures it.

    .venv/bin/python bench/event_place_config.py ../shared/data/event-location/eval.jsonl
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from tocsin import extract
from tocsin.evaluation.splits import select


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _gold(record: dict[str, Any], label: str) -> list[tuple[int, int]]:
    text = record["text"]
    out = []
    for span in record.get("spans", []):
        if span["label"] != label:
            continue
        if span.get("start") is not None and span.get("end") is not None:
            out.append((int(span["start"]), int(span["end"])))
        elif label == "LOCATION" and span.get("text") and span["text"] in text:
            start = text.index(span["text"])
            out.append((start, start + len(span["text"])))
    return out


def score(records: list[dict[str, Any]]) -> float:
    right = 0
    for record in records:
        verbs = _gold(record, "VERB")
        gold = _gold(record, "LOCATION")
        place = None
        if verbs:
            events = extract(record["text"], verbs=verbs[:1])["events"]
            verb = verbs[0]
            mention = next((e for e in events if e["evidence"]["start"] <= verb[0]
                            < e["evidence"]["end"]), events[0] if events else None)
            location = mention.get("location") if mention else None
            if location:
                place = (location["start"], location["end"])
        right += int((place is None and not gold) or (
            place is not None and any(_overlaps(place, g) for g in gold)))
    return right / len(records)


def main(path: str) -> None:
    with Path(path).open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    fit = select(records, "event-location", lambda r: str(r.get("id") or r["text"]), "fit")
    began = time.perf_counter()
    accuracy = score(fit)
    print(json.dumps({"fit_records": len(fit), "accuracy": round(accuracy, 4),
                      "seconds": round(time.perf_counter() - began, 1)}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
