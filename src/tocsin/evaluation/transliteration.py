"""Romanised town names: does a news spelling of a real town resolve to that town?

The list (a TSV of variant spelling, country, GeoNames id, name, lat, lon; the project's own,
in ``tests/fixtures/transliterations.tsv``) holds spellings English-language news uses for towns
of Syria, Iraq, Yemen, Libya, Sudan and Afghanistan. Each spelling is put in one sentence that
names the country ("Shelling hit Maarat al-Numan, Syria, ..."), and ``extract`` resolves the
two names as given toponym spans; a spelling counts as
resolved when the place it gets lies within 30 km of the town. Units are towns (all spellings of
one town fall in the same split).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry

from tocsin.evaluation.common import choose, split_info
from tocsin.extraction import extract
from tocsin.geodesy import distance_km
from tocsin.resources import Resources

WITHIN_KM = 30.0
_SENTENCE = "Shelling hit {name}, {country}, on Monday, residents said."


@dataclass(frozen=True)
class Spelling:
    variant: str
    country2: str
    geonameid: int
    geonames_name: str
    lat: float
    lon: float


def read_spellings(path: str | Path) -> list[Spelling]:
    """The rows of a transliteration list (``#`` lines are comments)."""
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return [
        Spelling(row["variant"], row["country"], int(row["geonameid"]), row["geonames_name"],
                 float(row["lat"]), float(row["lon"]))
        for row in csv.DictReader(lines, delimiter="\t")
    ]


def _country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name if country else code


def resolve_spelling(spelling: Spelling, resources: Resources | None = None) -> dict[str, Any]:
    """Where ``extract`` puts one spelling, and whether that is within 30 km of its town."""
    country = _country_name(spelling.country2)
    text = _SENTENCE.format(name=spelling.variant, country=country)
    start = text.index(spelling.variant)
    at = text.index(country, start + len(spelling.variant))
    spans = [(start, start + len(spelling.variant)), (at, at + len(country))]
    found = extract(text, "2024-01-01", resources, toponyms=spans)
    place = next((p for p in found["places"] if p["start"] == start), None)
    km = None
    if place and place.get("lat") is not None:
        km = distance_km(spelling.lat, spelling.lon, place["lat"], place["lon"])
    return {
        "variant": spelling.variant,
        "country": spelling.country2,
        "expected": spelling.geonames_name,
        "resolved_to": place.get("name") if place else None,
        "km": None if km is None else round(km, 1),
        "ok": km is not None and km <= WITHIN_KM,
    }


def evaluate_transliteration(
    path: str | Path, resources: Resources | None = None, split: str = "check",
    limit: int | None = None,
) -> dict[str, Any]:
    """Share of spellings resolved within 30 km, with the misses listed."""
    spellings = choose(read_spellings(path), "transliteration", lambda s: str(s.geonameid),
                       split, limit)
    rows = [resolve_spelling(s, resources) for s in spellings]
    resolved = sum(r["ok"] for r in rows)
    return {
        **split_info("transliteration", split, len({s.geonameid for s in spellings})),
        "spellings": len(rows),
        "resolved_within_30km": resolved,
        "share": round(resolved / len(rows), 4) if rows else None,
        "misses": [r for r in rows if not r["ok"]],
    }
