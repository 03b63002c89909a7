"""The early-warning rules (``data/alerts.toml``) as typed settings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Concern:
    """A kind of escalation that gets its own series: which events belong and whose people count."""

    name: str
    label: str
    events: frozenset[str]
    acled_types: frozenset[str]
    people: str  # "killed" or "displaced"


@dataclass(frozen=True)
class AlertRules:
    levels: tuple[str, ...]
    count_modalities: frozenset[str]
    max_span_days: int
    baseline_days: int
    guard_days: int
    min_event_rate: float
    min_people_rate: float
    window_days: int
    max_size: float
    min_event_size: float
    min_people_size: float
    open_score: float
    keep_score: float
    max_score: float
    min_events: int
    people_min: dict[str, int]
    quiet_days: int
    escalate_factor: float
    signal_modalities: frozenset[str]
    signal_events: frozenset[str]
    signal_lookback_days: int
    displacement_origin: bool
    violent_events: frozenset[str]
    concerns: dict[str, Concern]
    ucdp_concerns: dict[int, str]

    def concern(self, name: str) -> Concern:
        return self.concerns[name]


def _rules(raw: dict[str, Any]) -> AlertRules:
    series, baseline, test = raw["series"], raw["baseline"], raw["test"]
    concerns = {
        name: Concern(
            name=name,
            label=entry.get("label", name),
            events=frozenset(entry.get("events", [])),
            acled_types=frozenset(entry.get("acled_types", [])),
            people=entry.get("people", "killed"),
        )
        for name, entry in raw["concerns"].items()
    }
    ucdp = {int(k): v for k, v in raw.get("ucdp", {}).get("type_of_violence", {}).items()}
    unknown = [c for c in ucdp.values() if c not in concerns]
    if unknown:
        raise ValueError(f"alerts rules: UCDP mapping names unknown concerns {unknown}")
    return AlertRules(
        levels=tuple(series["levels"]),
        count_modalities=frozenset(series["count_modalities"]),
        max_span_days=int(series["max_span_days"]),
        baseline_days=int(baseline["days"]),
        guard_days=int(baseline["guard_days"]),
        min_event_rate=float(baseline["min_event_rate"]),
        min_people_rate=float(baseline["min_people_rate"]),
        window_days=int(test["window_days"]),
        max_size=float(test["max_size"]),
        min_event_size=float(test["min_event_size"]),
        min_people_size=float(test["min_people_size"]),
        open_score=float(test["open_score"]),
        keep_score=float(test["keep_score"]),
        max_score=float(test["max_score"]),
        min_events=int(test["min_events"]),
        people_min={
            "killed": int(raw["people"]["killed_min"]),
            "displaced": int(raw["people"]["displaced_min"]),
        },
        quiet_days=int(raw["lifecycle"]["quiet_days"]),
        escalate_factor=float(raw["lifecycle"].get("escalate_factor", 0.0)),
        signal_modalities=frozenset(raw["signals"]["modalities"]),
        signal_events=frozenset(raw["signals"]["events"]),
        signal_lookback_days=int(raw["signals"]["lookback_days"]),
        displacement_origin=bool(raw["attribution"]["displacement_origin"]),
        violent_events=frozenset(raw["attribution"]["violent_events"]),
        concerns=concerns,
        ucdp_concerns=ucdp,
    )


def load_rules(path: str | Path) -> AlertRules:
    """Read alert rules from a TOML file shaped like ``data/alerts.toml``."""
    with open(path, "rb") as handle:
        return _rules(tomllib.load(handle))


@lru_cache(maxsize=1)
def default_rules() -> AlertRules:
    """The rules shipped in ``tocsin/data/alerts.toml``."""
    text = (files("tocsin") / "data" / "alerts.toml").read_text(encoding="utf-8")
    return _rules(tomllib.loads(text))
