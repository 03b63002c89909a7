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
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from tocsin.records import Actor, EventMention

GOLD_FILE = "PLOVER_GSR_CAMEO.json"


@dataclass(frozen=True)
class PloverMapping:
    categories: dict[str, str]
    sectors: dict[str, str]
    codes: dict[str, str]


@cache
def mapping() -> PloverMapping:
    """The v0.5 -> Tocsin mapping table, read once per process."""
    from tocsin.mentions.ontology import read_table

    tables: dict[str, dict[str, str]] = {"category": {}, "sector": {}, "code": {}}
    for row in read_table("tocsin.data.events", "plover_v05_mapping.tsv"):
        tables[row["kind"]][row["v05"]] = row["tocsin"]
    return PloverMapping(tables["category"], tables["sector"], tables["code"])


@cache
def _iso3_codes() -> frozenset[str]:
    from tocsin.mentions.actors import lexicon

    return frozenset(code for code, _ in lexicon().countries.values())


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


def _trigger_depth(parsed: Doc, mention: EventMention) -> tuple[int, int]:
    """(depth in the parse, position) of the mention's trigger word, for picking the main one."""
    words = (mention.trigger or "").split()
    start, end = mention.evidence.start, mention.evidence.end
    best = (99, end)
    for tok in parsed:
        if start <= tok.idx < end and words and tok.text in words:
            best = min(best, (sum(1 for _ in tok.ancestors), tok.idx))
    return best


def main_event(parsed: Doc, mentions: list[EventMention]) -> EventMention | None:
    if not mentions:
        return None
    return min(mentions, key=lambda m: _trigger_depth(parsed, m))


class _Tally:
    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()

    def add(self, key: str, ok: bool) -> None:
        self.total[key] += 1
        self.right[key] += int(ok)

    def rate(self, key: str) -> float | None:
        return round(self.right[key] / self.total[key], 4) if self.total[key] else None


def _score_actor(tally: _Tally, side: str, gold: Any, actor: Actor | None, found: bool) -> None:
    """Score one side; ``found`` also counts it among records where an event was found."""
    for field, wanted in (("country", gold_countries(gold)), ("sector", gold_sectors(gold))):
        if not wanted:
            continue
        value = getattr(actor, field) if actor is not None else None
        tally.add(f"{side}_{field}", value in wanted)
        if found:
            tally.add(f"{side}_{field}_found", value in wanted)


def score(path: Path, limit: int | None = None) -> dict[str, Any]:
    from tocsin.mentions import find_events
    from tocsin.records import Document
    from tocsin.resources import shared_resources

    records = read_records(path)
    records = records[:limit] if limit else records
    resources = shared_resources()
    tally = _Tally()
    per_category = _Tally()
    confusion: Counter[tuple[str, str]] = Counter()
    texts = [r["text"] for r in records]
    for record, parsed in zip(records, resources.nlp.pipe(texts, batch_size=32), strict=True):
        gold = mapping().categories.get(record["event"], record["event"])
        document = Document(id=str(record.get("id", "")), text=record["text"],
                            locator="plover", format="text")
        mentions = find_events(document, parsed, _places(document, parsed, resources), resources)
        main = main_event(parsed, mentions)
        predicted = main.event if main else "NONE"
        tally.add("category", predicted == gold)
        tally.add("category_found", any(m.event == gold for m in mentions))
        per_category.add(gold, predicted == gold)
        if predicted != gold:
            confusion[(gold, predicted)] += 1
        _score_actor(tally, "source", record.get("source"), main.actor1 if main else None,
                     main is not None)
        _score_actor(tally, "target", record.get("target"), main.actor2 if main else None,
                     main is not None)
    return {
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


def _places(document: Any, parsed: Doc, resources: Any) -> list[Any]:
    """The geoparser's places, or none when no gazetteer is installed."""
    from tocsin.places import find_places

    try:
        return find_places(document, parsed, resources)
    except Exception:  # noqa: BLE001 - actors and events still run without a gazetteer
        return []


def command(
    path: Path = typer.Argument(..., exists=True, help="PLOVER gold folder (or its JSON file)."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Score the first N records."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """PLOVER gold records: event category, source/target country and sector accuracy."""
    file = gold_file(path)
    if not file.is_file():
        typer.echo(f"error: {file} not found", err=True)
        raise typer.Exit(2)
    result = score(path, limit)
    typer.echo(json.dumps(result) if as_json else json.dumps(result, indent=2))
