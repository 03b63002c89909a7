"""The fusion rules: ``data/fusion.toml`` read into one typed, immutable object.

Everything an analyst may tune (type families, distances by place precision, date tolerances, actor
sector groups, count rules, near-duplicate threshold) is in the TOML file; this module only reads
it and answers small questions about it (which family is this category, which mode group).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class FusionRules:
    families: dict[str, str]  # "CATEGORY" or "CATEGORY/mode" -> family name
    mode_groups: dict[str, dict[str, int]]  # family -> mode -> group number
    distance_km: dict[str, float]
    containing: frozenset[str]
    weak_precisions: frozenset[str]
    cross_border_families: frozenset[str]
    cross_border_km: float
    tolerance_days: dict[str, int]  # date precision -> days two spans may lie apart
    family_tolerance_days: dict[str, int]  # family -> least tolerance of its mentions
    published_lookback_days: int
    max_window_days: int
    bucket_days: int
    grid_degrees: float
    sector_groups: dict[str, int]
    family_sector_groups: dict[str, dict[str, int]]  # family -> sector -> group number
    contradict_on: tuple[str, ...]
    contradict_on_actor2: tuple[str, ...]
    family_contradict_on: dict[str, tuple[str, ...]]  # family -> parts, for both actors
    specificity: tuple[str, ...]
    symmetric_modes: frozenset[str]
    min_signals: int
    signals: frozenset[str]
    required_signals: dict[str, frozenset[str]]  # family -> signals that must be among them
    score_weights: dict[str, float]
    count_kinds: tuple[str, ...]
    within_source: str
    across_sources: str
    preferred_unit: str
    conflict_ratio: float
    conflict_min_difference: int
    near_duplicate_jaccard: float
    shingle_words: int
    minhash_permutations: int
    confidence_cap: float

    def family(self, event: str, mode: str | None) -> str:
        """The type family of a (category, mode); a category in no family is its own family."""
        if mode is not None:
            specific = self.families.get(f"{event}/{mode}")
            if specific is not None:
                return specific
        return self.families.get(event, event)

    def mode_group(self, family: str, mode: str | None) -> int | None:
        """The mode's group within its family, or None when the mode fits every group."""
        if mode is None:
            return None
        return self.mode_groups.get(family, {}).get(mode)

    def sector_group(self, sector: str | None, family: str | None = None) -> str | None:
        """The sector's group name: sectors of one group never contradict each other (within
        ``family``, its own groups come first)."""
        if sector is None:
            return None
        special = self.family_sector_groups.get(family or "", {}).get(sector)
        if special is not None:
            return f"#{family}{special}"
        group = self.sector_groups.get(sector)
        return sector if group is None else f"#{group}"


def _parse(data: dict[str, Any]) -> FusionRules:
    families: dict[str, str] = {}
    for family, members in data["families"].items():
        for member in members:
            families[member] = family
    mode_groups = {
        family: {mode: number for number, group in enumerate(groups) for mode in group}
        for family, groups in data.get("mode_groups", {}).items()
    }
    place, date, actors = data["place"], data["date"], data["actors"]
    counts, sources = data["counts"], data["sources"]
    sector_groups = {
        sector: number for number, group in enumerate(actors["sector_groups"]) for sector in group
    }
    for key in ("within_source", "across_sources"):
        if counts[key] not in ("min", "max"):
            raise ValueError(f"fusion.toml: counts.{key} must be 'min' or 'max'")
    return FusionRules(
        families=families,
        mode_groups=mode_groups,
        distance_km={k: float(v) for k, v in place["distance_km"].items()},
        containing=frozenset(place["containing"]),
        weak_precisions=frozenset(place["weak"]),
        cross_border_families=frozenset(place.get("cross_border_families", [])),
        cross_border_km=float(place.get("cross_border_km", 0)),
        tolerance_days={k: int(v) for k, v in date["tolerance_days"].items()},
        family_tolerance_days={
            k: int(v) for k, v in date.get("family_tolerance_days", {}).items()
        },
        published_lookback_days=int(date["published_lookback_days"]),
        max_window_days=int(date["max_window_days"]),
        bucket_days=int(date["bucket_days"]),
        grid_degrees=float(date["grid_degrees"]),
        sector_groups=sector_groups,
        family_sector_groups={
            family: {sector: number for number, group in enumerate(groups) for sector in group}
            for family, groups in actors.get("family_sector_groups", {}).items()
        },
        contradict_on=tuple(actors["contradict_on"]),
        contradict_on_actor2=tuple(actors.get("contradict_on_actor2", actors["contradict_on"])),
        family_contradict_on={
            family: tuple(parts) for family, parts in actors.get("family_contradict_on", {}).items()
        },
        specificity=tuple(place["specificity"]),
        symmetric_modes=frozenset(actors["symmetric_modes"]),
        min_signals=int(data["evidence"]["min_signals"]),
        signals=frozenset(data["evidence"]["signals"]),
        required_signals={family: frozenset(names) for family, names in
                          data["evidence"].get("required_signals", {}).items()},
        score_weights={k: float(v) for k, v in data["score"].items()},
        count_kinds=tuple(counts["kinds"]),
        within_source=counts["within_source"],
        across_sources=counts["across_sources"],
        preferred_unit=counts["preferred_unit"],
        conflict_ratio=float(counts["conflict_ratio"]),
        conflict_min_difference=int(counts["conflict_min_difference"]),
        near_duplicate_jaccard=float(sources["near_duplicate_jaccard"]),
        shingle_words=int(sources["shingle_words"]),
        minhash_permutations=int(sources["minhash_permutations"]),
        confidence_cap=float(data["confidence"]["cap"]),
    )


def load_rules(path: str | Path | None = None) -> FusionRules:
    """Read fusion rules from ``path``, or the packaged ``data/fusion.toml`` when None."""
    if path is None:
        return default_rules()
    return _parse(tomllib.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_rules() -> FusionRules:
    text = resources.files("tocsin").joinpath("data", "fusion.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(text))
