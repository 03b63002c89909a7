"""ACLED export settings: ``data/acled_export.toml`` read into one immutable object."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from tocsin.exports.event_columns import COLUMN_TYPES


@dataclass(frozen=True)
class AcledExportRules:
    columns: tuple[str, ...]
    hxl: tuple[str, ...]
    types: tuple[str, ...]
    codable: dict[str, str]
    inter: dict[str, Any]
    disorder: dict[str, Any]
    time_precision: dict[str, int]
    geo_precision: dict[str, int]
    sector_words: dict[str, str]
    region_of: dict[str, str]
    country_names: dict[str, str]


@lru_cache(maxsize=1)
def acled_rules() -> AcledExportRules:
    """The packaged rules (read once)."""
    text = resources.files("tocsin").joinpath("data", "acled_export.toml").read_text("utf-8")
    data = tomllib.loads(text)
    unknown = sorted({c["type"] for c in data["columns"].values()} - set(COLUMN_TYPES))
    if unknown:
        raise ValueError(f"data/acled_export.toml: unknown column type(s) {', '.join(unknown)}")
    return AcledExportRules(
        columns=tuple(data["columns"]),
        hxl=tuple(column["hxl"] for column in data["columns"].values()),
        types=tuple(column["type"] for column in data["columns"].values()),
        codable=dict(data["codable"]),
        inter=data["inter"],
        disorder=data["disorder"],
        time_precision=dict(data["time_precision"]),
        geo_precision=dict(data["geo_precision"]),
        sector_words=dict(data["notes"]["sectors"]),
        country_names=dict(data.get("country_names", {})),
        region_of={code: region for region, codes in data["regions"].items() for code in codes},
    )
