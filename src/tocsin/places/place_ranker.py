"""The learned place ranker: a conditional logit over ``ranking_features.FEATURES``.

A candidate's score is the dot product of its features with the model's weights; among one
mention's candidates, the softmax of the scores is the model's probability that each is the
place meant. The weights ship as JSON (``data/places/place_ranker.json``, trained by
``tocsin train places``, described in ``data/places/PLACE_RANKER.md``); scoring needs nothing but
the standard library, so it costs nothing at start-up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as package_files
from pathlib import Path
from typing import Any

from tocsin.conditional_logit import read_weights, weights_json
from tocsin.places.ranking_features import FEATURES

# TOCSIN_PLACE_RANKER: a model file to use instead of the shipped one, or "rules" for the
# hand weights of data/places/resolution.toml (kept for comparison).
ENV = "TOCSIN_PLACE_RANKER"
RULES = "rules"


@dataclass(frozen=True)
class PlaceRanker:
    weights: tuple[float, ...]
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES):
            raise ValueError(
                f"place ranker has {len(self.weights)} weights for {len(FEATURES)} features"
            )

    def score(self, features: list[float]) -> float:
        return sum(w * x for w, x in zip(self.weights, features, strict=True))

    def to_json(self) -> str:
        return weights_json(FEATURES, self.weights, self.meta)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")


def read_place_ranker(text: str) -> PlaceRanker:
    """A ranker from its JSON; the feature names must be exactly the code's."""
    weights, meta = read_weights(text, FEATURES, "place ranker")
    return PlaceRanker(weights, meta)


@lru_cache(maxsize=4)
def _load(path: str | None) -> PlaceRanker:
    if path is None:
        source = package_files.files("tocsin").joinpath("data", "places", "place_ranker.json")
        return read_place_ranker(source.read_text(encoding="utf-8"))
    return read_place_ranker(Path(path).read_text(encoding="utf-8"))


def configured_place_ranker() -> PlaceRanker | None:
    """The ranker the product uses: TOCSIN_PLACE_RANKER's file, none for "rules" (the hand
    weights), else the shipped model."""
    setting = os.environ.get(ENV, "").strip()
    if setting == RULES:
        return None
    return _load(setting or None)
