"""``tocsin eval plover``: event category and actors against the PLOVER gold-standard records.

The records (PLOVER v0.5, 2016) code one event per sentence with its source and target actors
(country code and sector). v0.5 categories and sector codes are mapped to Tocsin's ontology by
``tocsin/data/events/plover_v05_mapping.tsv``. Each sentence goes through the full pipeline
(places, ``find_events``); the sentence's main event is the mention whose trigger stands highest
in the parse. Scores: ``category_accuracy`` (the main event's category), ``category_found`` (the
gold category among all the sentence's events), and the country and sector accuracy of actor1
against the gold source and of actor2 against the gold target, on the records whose gold states
them (a compound gold actor is matched by any of its members); ``when_event_found`` gives the
same actor figures on the records where the pipeline found an event at all.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from tocsin.evaluation.common import choose, package_table, split_info
from tocsin.evaluation.top_mention import top_mention
from tocsin.extraction import extract
from tocsin.resources import Resources

DATASET = "plover"
GOLD_FILE = "PLOVER_GSR_CAMEO.json"


@dataclass(frozen=True)
class PloverMapping:
    categories: dict[str, str]
    sectors: dict[str, str]
    codes: dict[str, str]


@cache
def mapping() -> PloverMapping:
    """The v0.5 -> Tocsin mapping table, read once per process."""
    tables: dict[str, dict[str, str]] = {"category": {}, "sector": {}, "code": {}}
    for row in package_table("plover_v05_mapping.tsv"):
        tables[row["kind"]][row["v05"]] = row["tocsin"]
    return PloverMapping(tables["category"], tables["sector"], tables["code"])


@cache
def _iso3_codes() -> frozenset[str]:
    import pycountry

    return frozenset(country.alpha_3 for country in pycountry.countries) | {"XKX"}


def gold_file(path: Path) -> Path:
    return path / GOLD_FILE if path.is_dir() else path


def read_records(path: Path) -> list[dict[str, Any]]:
    """The coded sentences of the gold file (the DOCUMENT header record is skipped)."""
    data = json.loads(gold_file(path).read_text(encoding="utf-8"))
    return [r for r in data if r.get("event") and r.get("event") != "DOCUMENT" and r.get("text")]


def _actors(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [a for a in value if isinstance(a, dict)]
    return []


def gold_countries(value: Any) -> set[str]:
    """ISO3 countries of a gold source/target (codes mapped; sector-like codes dropped)."""
    table = mapping()
    out: set[str] = set()
    for actor in _actors(value):
        code = str(actor.get("code") or "").upper()[:3]
        code = table.codes.get(code, code)
        if code in _iso3_codes():
            out.add(code)
    return out


def gold_sectors(value: Any) -> set[str]:
    """Tocsin sectors of a gold source/target, from its sector or a sector-like code."""
    table = mapping()
    out: set[str] = set()
    for actor in _actors(value):
        sector = str(actor.get("sector") or "").upper()[:3]
        if sector in table.sectors:
            out.add(table.sectors[sector])
        code = str(actor.get("code") or "").upper()[:3]
        if table.codes.get(code, "XXX") not in _iso3_codes() | {"XXX"}:
            out.add(table.codes[code])
    return out


class _Tally:
    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()

    def add(self, key: str, ok: bool) -> None:
        self.total[key] += 1
        self.right[key] += int(ok)

    def rate(self, key: str) -> float | None:
        return round(self.right[key] / self.total[key], 4) if self.total[key] else None


def _score_actor(tally: _Tally, side: str, gold: Any, actor: dict[str, Any] | None,
                 found: bool) -> None:
    """Score one side; ``found`` also counts it among records where an event was found."""
    for field, wanted in (("country", gold_countries(gold)), ("sector", gold_sectors(gold))):
        if not wanted:
            continue
        value = actor.get(field) if actor else None
        tally.add(f"{side}_{field}", value in wanted)
        if found:
            tally.add(f"{side}_{field}_found", value in wanted)


def unit_key(record: dict[str, Any]) -> str:
    return str(record.get("id") or record["text"])


def evaluate(path: Path, resources: Resources | None = None, *, split: str = "check",
             limit: int | None = None) -> dict[str, Any]:
    records = choose(read_records(path), DATASET, unit_key, split, limit)
    tally = _Tally()
    per_category = _Tally()
    confusion: Counter[tuple[str, str]] = Counter()
    for record in records:
        gold = mapping().categories.get(record["event"], record["event"])
        events = extract(record["text"], resources=resources)["events"]
        main = top_mention(events)
        predicted = main["event"] if main else "NONE"
        tally.add("category", predicted == gold)
        tally.add("category_found", any(e["event"] == gold for e in events))
        per_category.add(gold, predicted == gold)
        if predicted != gold:
            confusion[(gold, predicted)] += 1
        _score_actor(tally, "source", record.get("source"), main.get("actor1") if main else None,
                     main is not None)
        _score_actor(tally, "target", record.get("target"), main.get("actor2") if main else None,
                     main is not None)
    return {
        **split_info(DATASET, split, len(records)),
        "records": len(records),
        "category_accuracy": tally.rate("category"),
        "category_found": tally.rate("category_found"),
        "source_country_accuracy": tally.rate("source_country"),
        "source_country_rows": tally.total["source_country"],
        "source_sector_accuracy": tally.rate("source_sector"),
        "source_sector_rows": tally.total["source_sector"],
        "target_country_accuracy": tally.rate("target_country"),
        "target_country_rows": tally.total["target_country"],
        "target_sector_accuracy": tally.rate("target_sector"),
        "target_sector_rows": tally.total["target_sector"],
        "when_event_found": {key: tally.rate(f"{key}_found") for key in (
            "source_country", "source_sector", "target_country", "target_sector")},
        "per_category": {k: {"records": per_category.total[k], "accuracy": per_category.rate(k)}
                         for k in sorted(per_category.total)},
        "top_confusions": [{"gold": g, "predicted": p, "count": n}
                           for (g, p), n in confusion.most_common(10)],
        "mapping": "tocsin/data/events/plover_v05_mapping.tsv",
    }
