"""``tocsin eval example``: check a run of the whole pipeline against a hand-annotated gold file.

The gold file (like ``latakia-2015.gold.json``) lists events that must be produced as asserted,
qualified statements that must not be, places with coordinates and tolerances, and boilerplate
that cleaning must remove. Every rule is checked and each violation becomes one failure line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from tocsin.geodesy import distance_km
from tocsin.records import EventMention, Place


@dataclass
class ExampleReport:
    events_expected: int = 0
    events_found: int = 0
    qualified_ok: bool = True
    places_ok: bool = True
    boilerplate_ok: bool = True
    failures: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "events_expected": self.events_expected,
            "events_found": self.events_found,
            "qualified_ok": self.qualified_ok,
            "places_ok": self.places_ok,
            "boilerplate_ok": self.boilerplate_ok,
            "passed": not self.failures,
            "failures": self.failures,
        }


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _actor_problems(name: str, gold: dict[str, Any], actor: Any) -> list[str]:
    problems = []
    for key, value in gold.items():
        got = getattr(actor, key, None) if actor is not None else None
        if got != value:
            problems.append(f"{name}.{key} {got!r} != {value!r}")
    return problems


def _place_near(place: Place | None, near: str, gold_places: dict[str, dict[str, Any]]) -> bool:
    if place is None:
        return False
    if _norm(near) in _norm(place.text) or (place.name and _norm(near) in _norm(place.name)):
        return True
    ref = gold_places.get(near)
    if ref and "lat" in ref and place.lat is not None and place.lon is not None:
        return distance_km(place.lat, place.lon, ref["lat"], ref["lon"]) <= ref.get(
            "tolerance_km", 30)
    return False


def event_problems(gold: dict[str, Any], mention: EventMention,
                   gold_places: dict[str, dict[str, Any]]) -> list[str]:
    """Why ``mention`` does not satisfy the gold event (empty: it does)."""
    problems: list[str] = []
    allowed = [gold["event"], *gold.get("alternatives", [])]
    if mention.event not in allowed:
        problems.append(f"event {mention.event} not in {allowed}")
    if mention.modality != gold.get("modality", "asserted"):
        problems.append(f"modality {mention.modality} != {gold.get('modality', 'asserted')}")
    if "mode" in gold and mention.mode != gold["mode"]:
        problems.append(f"mode {mention.mode} != {gold['mode']}")
    if "acled" in gold and mention.acled != gold["acled"]:
        problems.append(f"acled {mention.acled} != {gold['acled']}")
    for role in ("actor1", "actor2"):
        if role in gold:
            problems += _actor_problems(role, gold[role], getattr(mention, role))
    if "location" in gold:
        loc = mention.location
        if "country" in gold["location"] and (loc is None or loc.country != gold["location"][
                "country"]):
            problems.append(f"location.country {loc and loc.country!r} != "
                            f"{gold['location']['country']!r}")
        if "near" in gold["location"] and not _place_near(loc, gold["location"]["near"],
                                                          gold_places):
            problems.append(f"location {loc and loc.text!r} not near {gold['location']['near']}")
    date = mention.date
    if "date" in gold and (date is None or str(date.start) != gold["date"]):
        problems.append(f"date {date and date.start} != {gold['date']}")
    if "date_range" in gold:
        want = gold["date_range"]
        if date is None or [str(date.start), str(date.end)] != want:
            problems.append(f"date range {date and [str(date.start), str(date.end)]} != {want}")
    for key, value in gold.get("counts", {}).items():
        got = getattr(mention.counts, key, None)
        if got != value:
            problems.append(f"counts.{key} {got!r} != {value!r}")
    if "destination" in gold:
        # EventMention has no destination field: a movement's place is where people went.
        loc = mention.location
        if loc is None or loc.country != gold["destination"].get("country"):
            problems.append(f"destination {loc and loc.country!r} != {gold['destination']}")
    return problems


def _in_sentence(evidence: str, mention: EventMention) -> bool:
    return _norm(evidence) in _norm(mention.evidence.sentence)


def check(gold: dict[str, Any], text: str, events: list[EventMention], places: list[Place]
          ) -> ExampleReport:
    """Check every rule of ``gold`` against a run's cleaned text, events and places."""
    report = ExampleReport(events_expected=len(gold.get("events", [])))
    gold_places = {p["text"]: p for p in gold.get("places", [])}
    for item in gold.get("events", []):
        here = [m for m in events if _in_sentence(item["evidence"], m)]
        good = [m for m in here if not event_problems(item, m, gold_places)]
        if len(good) == 1:
            report.events_found += 1
        elif len(good) > 1:
            report.failures.append(f"event {item['id']}: produced {len(good)} times")
        elif not here:
            report.failures.append(f"event {item['id']}: no event in its sentence")
        else:
            best = min(here, key=lambda m: len(event_problems(item, m, gold_places)))
            report.failures.append(
                f"event {item['id']}: " + "; ".join(event_problems(item, best, gold_places))
            )
    for item in gold.get("qualified", []):
        here = [m for m in events if _in_sentence(item["evidence"], m) and m.event == item["event"]]
        if any(m.modality == "asserted" for m in here):
            report.qualified_ok = False
            report.failures.append(f"qualified {item['id']}: produced as asserted")
        if not item.get("optional") and not any(m.modality == item["modality"] for m in here):
            report.qualified_ok = False
            got = sorted({m.modality for m in here}) or "nothing"
            report.failures.append(f"qualified {item['id']}: wanted {item['modality']}, got {got}")
    for item in gold.get("places", []):
        found = [p for p in places if _norm(p.text) == _norm(item["text"])]
        if not found:
            report.places_ok = False
            report.failures.append(f"place {item['text']}: not found")
            continue
        if item.get("metonym"):
            if not any(p.metonym for p in found):
                report.places_ok = False
                report.failures.append(f"place {item['text']}: not marked as a metonym")
            used = [m for m in events if m.location and _norm(m.location.text) == _norm(
                item["text"])]
            if used:
                report.places_ok = False
                report.failures.append(f"place {item['text']}: metonym used as an event location")
            continue
        ok = [p for p in found if p.country == item["country"] and (
            "lat" not in item or (p.lat is not None and p.lon is not None and distance_km(
                p.lat, p.lon, item["lat"], item["lon"]) <= item.get("tolerance_km", 30)))]
        if not ok:
            report.places_ok = False
            p = found[0]
            report.failures.append(
                f"place {item['text']}: resolved to {p.country} ({p.lat}, {p.lon})"
            )
    boiler = gold.get("boilerplate", {})
    for phrase in boiler.get("must_not_remain", []):
        if phrase in text:
            report.boilerplate_ok = False
            report.failures.append(f"boilerplate remains: {phrase!r}")
    for caption in boiler.get("captions", []):
        cap = _norm(caption.replace("\\\\", "\\"))
        if cap in _norm(text):
            start = _norm(text).find(cap)
            hits = [m for m in events if cap in _norm(m.evidence.sentence)]
            if hits or start >= 0:
                report.boilerplate_ok = False
                report.failures.append(f"caption remains: {caption!r}")
    return report


def run_example(gold_path: Path, text_path: Path, model: Path | None = None) -> ExampleReport:
    """Clean, parse, geoparse and extract events from the text; check them against the gold."""
    from tocsin.mentions import find_events
    from tocsin.places import find_places
    from tocsin.records import Document
    from tocsin.resources import shared_resources
    from tocsin.settings import Settings

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    raw = text_path.read_text(encoding="utf-8")
    published = dt.date.fromisoformat(gold["published"]) if gold.get("published") else None
    settings = Settings()
    if model is not None:
        settings.event_model_path = model
    resources = shared_resources(settings)
    try:
        from tocsin.sources import read_text
        from tocsin.sources.options import ReadOptions

        document = read_text(raw, ReadOptions(published=published), locator=str(text_path))
    except ImportError:
        from tocsin.document_id import document_id

        document = Document(id=document_id(raw), text=raw, locator=str(text_path),
                            format="text", published=published)
    parsed = resources.nlp(document.text)
    places = find_places(document, parsed, resources)
    events = find_events(document, parsed, places, resources)
    return check(gold, document.text, events, places)


def command(
    gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="Gold annotation JSON."),
    text: Path = typer.Option(..., "--text", exists=True, dir_okay=False, help="The text file."),
    model: Path | None = typer.Option(None, "--model", help="A trained event model to use."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Worked example: check every rule of a gold file against the full pipeline."""
    report = run_example(gold, text, model)
    result = report.to_dict()
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    for key in ("events_expected", "events_found", "qualified_ok", "places_ok", "boilerplate_ok"):
        typer.echo(f"{key}: {result[key]}")
    for failure in report.failures:
        typer.echo(f"FAIL {failure}")
