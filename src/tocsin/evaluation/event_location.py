"""Event-location: the place of a given event verb, as ``tocsin.extract`` finds it.

Each record (Halterman's event-location data) holds one sentence, its event verb and the
toponym(s) where that event happened, or none when the sentence does not say. Each record goes
through ``extract(text, verbs=[gold verb span])``: the product makes one event mention for that
word and finds its place as it does for any event. A record is right when that place overlaps a
gold location (any of several; a partial overlap such as "western Baghdad" against "Baghdad"
counts), or when both are empty. A gold location whose offsets the file lost is found by its
text.

``detected_verbs`` is the share of records whose gold verb the product finds by itself:
``extract(text)`` yields a mention whose trigger overlaps the gold verb (the trigger located in
its evidence sentence). Accuracy is also given per annotation source (``RELABEL`` is the
adjudicated subset). Units are records (their id, else their text).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from tocsin.evaluation.common import choose, split_info
from tocsin.evaluation.top_mention import overlaps, rate, trigger_spans
from tocsin.extraction import extract
from tocsin.resources import Resources

DATASET = "event-location"


def read_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def unit_key(record: dict[str, Any]) -> str:
    return str(record.get("id") or record["text"])


def gold_locations(record: dict[str, Any]) -> list[tuple[int, int]]:
    """The character spans of the record's LOCATION labels. A label whose offsets the data file
    lost (start/end null) is found by its text in the sentence, at its first occurrence; one
    whose text is empty or not in the sentence is left out."""
    text = record["text"]
    found = []
    for span in record.get("spans", []):
        if span["label"] != "LOCATION":
            continue
        if span.get("start") is not None and span.get("end") is not None:
            found.append((span["start"], span["end"]))
        elif span.get("text") and span["text"] in text:
            start = text.index(span["text"])
            found.append((start, start + len(span["text"])))
    return found


def gold_verb(record: dict[str, Any]) -> tuple[int, int] | None:
    for span in record.get("spans", []):
        if span["label"] == "VERB" and span.get("start") is not None:
            return int(span["start"]), int(span["end"])
    return None


def _verb_detected(record: dict[str, Any], verb: tuple[int, int],
                   resources: Resources | None) -> bool:
    found = extract(record["text"], resources=resources)
    if found["document"]["text"] == record["text"]:
        return any(overlaps(span, verb) for event in found["events"]
                   for span in trigger_spans(event))
    # Cleaning changed the text, so offsets moved: match the trigger's words instead.
    words = set(record["text"][verb[0]:verb[1]].lower().split())
    return any(words & set((event.get("trigger") or "").lower().split())
               for event in found["events"])


def predict_record(record: dict[str, Any], resources: Resources | None = None,
                   detect: bool = True) -> dict[str, Any]:
    """The product's answer for one record: the place of its gold verb's event mention, and
    whether ``extract`` on the bare text detects that verb."""
    verb = gold_verb(record)
    answer: dict[str, Any] = {"id": unit_key(record), "verb": verb, "place": None,
                              "place_span": None, "event": None, "date": None,
                              "detected": None}
    if verb is None:
        return answer
    events = extract(record["text"], resources=resources, verbs=[verb])["events"]
    mention = next((e for e in events if any(overlaps(s, verb) for s in trigger_spans(e))),
                   events[0] if events else None)
    if mention is not None:
        location = mention.get("location")
        answer.update(event=mention.get("event"), date=mention.get("date"))
        if location:
            answer.update(place=location.get("text"),
                          place_span=(location["start"], location["end"]))
    if detect:
        answer["detected"] = _verb_detected(record, verb, resources)
    return answer


def evaluate(path: Path, resources: Resources | None = None, *, split: str = "check",
             limit: int | None = None, detect: bool = True, skip: int = 0
             ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The report and per-record answers for the ``split`` records of ``path`` (after the first
    ``skip`` of them, up to ``limit`` in all)."""
    records = choose(read_records(path), DATASET, unit_key, split, limit)[skip:]
    right = with_gold = with_gold_right = no_gold = no_gold_right = detected = 0
    by_source: Counter[str] = Counter()
    by_source_right: Counter[str] = Counter()
    answers = []
    for record in records:
        gold = gold_locations(record)
        answer = predict_record(record, resources, detect)
        answers.append(answer)
        pick = answer["place_span"]
        ok = (pick is None and not gold) or (
            pick is not None and any(overlaps(tuple(pick), g) for g in gold))
        source = str(record.get("source") or "unknown")
        by_source[source] += 1
        by_source_right[source] += int(ok)
        right += int(ok)
        if gold:
            with_gold += 1
            with_gold_right += int(ok)
        else:
            no_gold += 1
            no_gold_right += int(ok)
        detected += int(bool(answer["detected"]))
    report = {
        **split_info(DATASET, split, len(records)),
        "records": len(records),
        "skipped": skip,
        "accuracy": rate(right, len(records)),
        "accuracy_when_located": rate(with_gold_right, with_gold),
        "accuracy_when_unlocated": rate(no_gold_right, no_gold),
        "detected_verbs": rate(detected, len(records)) if detect else None,
        "by_source": {k: {"records": v, "accuracy": rate(by_source_right[k], v)}
                      for k, v in sorted(by_source.items())},
    }
    return report, answers
