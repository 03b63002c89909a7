"""The learned event-place ranker: a conditional logit over ``event_place_features.FEATURES``.

Each candidate place of an event mention, and the "no place stated" option, gets the dot
product of its feature row with the model's weights; the highest wins, and the softmax of the
scores is the model's probability for each. The weights ship as JSON
(``data/events/event_place_ranker.json``, trained by ``tocsin train-event-places``, described in
``data/events/EVENT_PLACE_RANKER.md``); scoring needs only the standard library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path
from typing import Any

from tocsin.conditional_logit import read_weights, weights_json
from tocsin.mentions.place.event_place_features import FEATURES
from tocsin.mentions.place.event_place_setting import ENV, RULES, ranker_setting

__all__ = ["ENV", "RULES", "EventPlaceRanker", "configured_event_place_ranker",
           "read_event_place_ranker"]


@dataclass(frozen=True)
class EventPlaceRanker:
    weights: tuple[float, ...]
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES):
            raise ValueError(f"event-place ranker has {len(self.weights)} weights for "
                             f"{len(FEATURES)} features")

    def scores(self, rows: tuple[tuple[float, ...], ...]) -> list[float]:
        return [sum(w * x for w, x in zip(self.weights, row, strict=True)) for row in rows]

    def probabilities(self, rows: tuple[tuple[float, ...], ...]) -> list[float]:
        """The softmax of the rows' scores."""
        scores = self.scores(rows)
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return [e / total for e in exp]

    def best(self, rows: tuple[tuple[float, ...], ...]) -> int:
        """The index of the best row (the last row is "no place")."""
        scores = self.scores(rows)
        return max(range(len(scores)), key=lambda k: (scores[k], -k))

    def to_json(self) -> str:
        return weights_json(FEATURES, self.weights, self.meta)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")


def read_event_place_ranker(text: str) -> EventPlaceRanker:
    """A ranker from its JSON; the feature names must be exactly the code's."""
    weights, meta = read_weights(text, FEATURES, "event-place ranker")
    return EventPlaceRanker(weights, meta)


@lru_cache(maxsize=4)
def _load(path: str | None) -> EventPlaceRanker:
    if path is None:
        source = package_files.files("tocsin").joinpath("data", "events",
                                                        "event_place_ranker.json")
        return read_event_place_ranker(source.read_text(encoding="utf-8"))
    return read_event_place_ranker(Path(path).read_text(encoding="utf-8"))


def configured_event_place_ranker() -> EventPlaceRanker | None:
    """The ranker the product uses: TOCSIN_EVENT_PLACE_RANKER's file, none for "rules" (the
    hand weights), else the shipped model."""
    setting = ranker_setting()
    if setting == RULES:
        return None
    return _load(setting or None)
