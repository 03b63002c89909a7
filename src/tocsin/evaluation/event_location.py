"""``tocsin eval event-location``: choosing the place where a given event verb happened.

Each record holds a sentence, its event verb and the toponym(s) where that event happened (none
when the sentence does not say). Tocsin recognises the sentence's toponyms itself (geoparser, or
the parser's place entities), then picks one with ``event_place.choose_place`` or none. A record
is right when the pick overlaps a gold location, or when both are empty.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(path: Path, limit: int | None = None, max_score: float = 99.0) -> dict[str, Any]:
    from tocsin.events.event_place import choose_place
    from tocsin.events.triggers import find_triggers
    from tocsin.records import Place
    from tocsin.resources import shared_resources

    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                records.append(json.loads(line))
    records = records[:limit] if limit else records
    nlp = shared_resources().nlp
    right = with_gold = with_gold_right = 0
    for record, parsed in zip(records, nlp.pipe([r["text"] for r in records], batch_size=64),
                              strict=True):
        spans = record.get("spans", [])
        verbs = [s for s in spans if s["label"] == "VERB" and s.get("start") is not None]
        gold = [(s["start"], s["end"]) for s in spans if s["label"] == "LOCATION"
                and s.get("start") is not None]
        if not verbs:
            continue
        verb = parsed.char_span(verbs[0]["start"], verbs[0]["end"], alignment_mode="expand")
        if verb is None:
            continue
        anchor = verb.root
        places = [Place(text=e.text, start=e.start_char, end=e.end_char, sentence=0)
                  for e in parsed.ents if e.label_ in {"GPE", "LOC", "FAC"}]
        others = [t.anchor for s in parsed.sents for t in find_triggers(s)]
        pick = choose_place(anchor, anchor.sent, places, others, max_score=max_score)
        if gold:
            with_gold += 1
        ok = (pick is None and not gold) or (
            pick is not None and any(_overlaps((pick.start, pick.end), g) for g in gold))
        right += int(ok)
        with_gold_right += int(ok and bool(gold))
    n = len(records) or 1
    return {"accuracy": round(right / n, 4), "records": len(records),
            "accuracy_when_located": round(with_gold_right / with_gold, 4) if with_gold else None}


def command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Event-location JSONL."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Score the first N records."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Event-place linking: accuracy of choosing the event's toponym (or none)."""
    result = score(file, limit)
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))
