"""The scoring weights of ``data/places/resolution.toml`` and ``metonymy.toml``, read once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as package_files
from typing import Any


def _load(name: str) -> dict[str, Any]:
    path = package_files.files("tocsin").joinpath("data", "places", name)
    return tomllib.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ResolutionRules:
    population_weight: float
    feature_codes: dict[str, float]
    feature_classes: dict[str, float]
    context: dict[str, float]
    trailing_generic: tuple[str, ...]
    area_words: frozenset[str] = frozenset()

    def prior(self, feature_class: str, feature_code: str) -> float:
        if feature_code in self.feature_codes:
            return self.feature_codes[feature_code]
        return self.feature_classes.get(feature_class, 0.0)


@dataclass(frozen=True)
class MetonymyRules:
    subject_verbs: frozenset[str]
    possessed_nouns: frozenset[str]
    modified_nouns: frozenset[str]
    actor_precisions: frozenset[str]
    actor_codes: frozenset[str]


@lru_cache(maxsize=1)
def resolution_rules() -> ResolutionRules:
    data = _load("resolution.toml")
    return ResolutionRules(
        population_weight=float(data["population"]["weight"]),
        feature_codes={k: float(v) for k, v in data["feature_codes"].items()},
        feature_classes={k: float(v) for k, v in data["feature_classes"].items()},
        context={k: float(v) for k, v in data["context"].items()},
        # longest first, so "border gate" goes before "border"
        trailing_generic=tuple(sorted(data["generic_words"]["trailing"], key=len, reverse=True)),
        area_words=frozenset(data["generic_words"].get("areas", ())),
    )


@lru_cache(maxsize=1)
def metonymy_rules() -> MetonymyRules:
    data = _load("metonymy.toml")
    return MetonymyRules(
        subject_verbs=frozenset(data["subject_verbs"]),
        possessed_nouns=frozenset(data["possessed_nouns"]),
        modified_nouns=frozenset(data["modified_nouns"]),
        actor_precisions=frozenset(data["actor_precisions"]),
        actor_codes=frozenset(data["actor_codes"]),
    )
