"""``tocsin eval event-location``: choosing the place where a given event verb happened.

Each record (Halterman's event-location data) holds one sentence, its event verb and the
toponym(s) where that event happened, or none when the sentence does not say. The gold marks only
the event's places, not the other toponyms of the sentence, so the candidates have to come from
Tocsin itself: the geoparser's places plus the names the syntax marks as places
(``event_place.locate_event``). A record is right when the pick overlaps a gold location (any
of several; a partial overlap such as "western Baghdad" against "Baghdad" counts), or when both
are empty. A gold location whose offsets the file lost is found by its text.

Besides ``accuracy`` the report separates the two steps: ``recall_of_candidates`` (records with a
gold place whose every gold place is among the candidates) and ``linking_accuracy`` (accuracy on
those records and on the records without a gold place), plus the accuracy per annotation source;
``RELABEL`` is the adjudicated subset.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import typer


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def read_records(path: Path, limit: int | None = None, skip: int = 0) -> list[dict[str, Any]]:
    """The records of ``path`` after the first ``skip``, at most ``limit`` of them."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                records.append(json.loads(line))
    records = records[skip:]
    return records[:limit] if limit else records


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


def score(path: Path, limit: int | None = None, max_score: float | None = None,
          skip: int = 0) -> dict[str, Any]:
    from tocsin.mentions.event_place import LOCATE_MAX_SCORE, locate_event
    from tocsin.places import find_places_in_text
    from tocsin.resources import shared_resources

    records = read_records(path, limit, skip)
    resources = shared_resources()
    threshold = LOCATE_MAX_SCORE if max_score is None else max_score
    right = with_gold = with_gold_right = covered = linked_n = linked_right = 0
    by_source: Counter[str] = Counter()
    by_source_right: Counter[str] = Counter()
    texts = [r["text"] for r in records]
    for record, parsed in zip(records, resources.nlp.pipe(texts, batch_size=64), strict=True):
        spans = record.get("spans", [])
        verbs = [s for s in spans if s["label"] == "VERB" and s.get("start") is not None]
        gold = gold_locations(record)
        source = str(record.get("source") or "unknown")
        by_source[source] += 1
        if gold:
            with_gold += 1
        if not verbs:
            continue
        places = find_places_in_text(record["text"], parsed, resources)
        pick, candidates = locate_event(parsed, (verbs[0]["start"], verbs[0]["end"]), places,
                                        max_score=threshold, gazetteer=resources.gazetteer)
        ok = (pick is None and not gold) or (
            pick is not None and any(_overlaps((pick.start, pick.end), g) for g in gold))
        right += int(ok)
        by_source_right[source] += int(ok)
        with_gold_right += int(ok and bool(gold))
        found_all = all(any(_overlaps((c.start, c.end), g) for c in candidates) for g in gold)
        if gold and found_all:
            covered += 1
        if found_all:
            linked_n += 1
            linked_right += int(ok)
    n = len(records) or 1
    return {
        "accuracy": round(right / n, 4),
        "records": len(records),
        "skipped": skip,
        "accuracy_when_located": round(with_gold_right / with_gold, 4) if with_gold else None,
        "recall_of_candidates": round(covered / with_gold, 4) if with_gold else None,
        "linking_accuracy": round(linked_right / linked_n, 4) if linked_n else None,
        "linking_records": linked_n,
        "max_score": threshold,
        "by_source": {k: {"records": v, "accuracy": round(by_source_right[k] / v, 4)}
                      for k, v in sorted(by_source.items())},
    }


def command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Event-location JSONL."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Score the first N records."),
    skip: int = typer.Option(0, "--skip", min=0, help="Leave out the first N records."),
    max_score: float | None = typer.Option(
        None, "--max-score", help="Farthest a chosen place may be (default: the shipped one)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Event-place linking: accuracy of choosing the event's toponym (or none)."""
    result = score(file, limit, max_score, skip)
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))
