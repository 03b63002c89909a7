"""Which word lists of the event-place rules generalise? Cross-validation inside ``fit``.

Each ablation empties one word list (or one group of weights) of ``[sentence_rules]`` in
``data/events/event_place.toml`` for this process only; every fit record of the event-location
data goes through ``tocsin.extract(text, verbs=[gold verb])`` as in ``tocsin eval
event-location``; the fit records are cut into folds by ``splits.fit_fold`` and accuracy is
reported per fold, with the folds in which the full rules beat the ablation. A list is kept
when the full rules win in most folds; lists that win in none are candidates for removal.

    .venv/bin/python bench/event_place_ablation.py ../shared/data/event-location/eval.jsonl \
        --ablations full no_prize no_showing
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from tocsin.evaluation import event_location
from tocsin.evaluation.splits import fit_fold
from tocsin.evaluation.top_mention import overlaps
from tocsin.resources import shared_resources

EMPTY = frozenset[str]()


def _ablated(words: Any, name: str) -> Any:
    base = {k: v for k, v in words.event_weights.items()}
    if name == "full":
        return words
    if name == "no_prize":
        return dataclasses.replace(words, prize_objects=EMPTY,
                                   event_weights={**base, "prize": 0.0})
    if name == "no_sentence_weights":
        return dataclasses.replace(words, event_weights=dict(words.weights))
    if name == "no_sense_particles":
        return dataclasses.replace(words, sense_particles={})
    field = name.removeprefix("no_")
    if field in {f.name for f in dataclasses.fields(words)}:
        return dataclasses.replace(words, **{field: EMPTY if isinstance(
            getattr(words, field), frozenset) else ()})
    raise SystemExit(f"unknown ablation {name!r}")


def _right(record: dict[str, Any], resources: Any) -> bool:
    """The event-location rule of ``tocsin eval event-location`` for one record."""
    answer = event_location.predict_record(record, resources, detect=False)
    gold = event_location.gold_locations(record)
    pick = answer["place_span"]
    return (pick is None and not gold) or (
        pick is not None and any(overlaps(tuple(pick), g) for g in gold))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--ablations", nargs="+", default=["full"])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    resources = shared_resources()
    lexicons = resources.lexicons
    original = lexicons.places
    records = event_location.read_records(args.data)
    fit = event_location.choose(records, event_location.DATASET, event_location.unit_key, "fit")
    folds = [fit_fold(event_location.DATASET, event_location.unit_key(r), args.folds)
             for r in fit]
    for name in args.ablations:
        places = dataclasses.replace(original, words=_ablated(original.words, name))
        object.__setattr__(lexicons, "places", places)
        right = [_right(r, resources) for r in fit]
        per_fold = []
        for fold in range(args.folds):
            picked = [ok for ok, f in zip(right, folds, strict=True) if f == fold]
            per_fold.append(round(sum(picked) / len(picked), 4))
        print(json.dumps({"ablation": name, "records": len(fit),
                          "accuracy": round(sum(right) / len(right), 4),
                          "folds": per_fold}), flush=True)
    object.__setattr__(lexicons, "places", original)


if __name__ == "__main__":
    main()
