"""The worked example: check ``tocsin.extract`` on a text against a hand-annotated gold file.

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

from tocsin.evaluation.common import resources_for
from tocsin.extraction import extract
from tocsin.geodesy import distance_km

Record = dict[str, Any]


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


def _actor_problems(name: str, gold: dict[str, Any], actor: Record | None) -> list[str]:
    problems = []
    for key, value in gold.items():
        got = actor.get(key) if actor else None
        if got != value:
            problems.append(f"{name}.{key} {got!r} != {value!r}")
    return problems


def _place_near(place: Record | None, near: str, gold_places: dict[str, dict[str, Any]]) -> bool:
    if not place:
        return False
    if _norm(near) in _norm(place["text"]) or (place.get("name") and _norm(near) in _norm(
            place["name"])):
        return True
    ref = gold_places.get(near)
    if ref and "lat" in ref and place.get("lat") is not None and place.get("lon") is not None:
        tolerance = float(ref.get("tolerance_km", 30))
        return distance_km(place["lat"], place["lon"], ref["lat"], ref["lon"]) <= tolerance
    return False


def event_problems(gold: dict[str, Any], mention: Record,
                   gold_places: dict[str, dict[str, Any]]) -> list[str]:
    """Why ``mention`` (an event of an extraction record) does not satisfy the gold event
    (empty: it does)."""
    problems: list[str] = []
    allowed = [gold["event"], *gold.get("alternatives", [])]
    if mention["event"] not in allowed:
        problems.append(f"event {mention['event']} not in {allowed}")
    modality = gold.get("modality", "asserted")
    if mention["modality"] != modality:
        problems.append(f"modality {mention['modality']} != {modality}")
    if "mode" in gold and mention.get("mode") != gold["mode"]:
        problems.append(f"mode {mention.get('mode')} != {gold['mode']}")
    if "acled" in gold and mention.get("acled") != gold["acled"]:
        problems.append(f"acled {mention.get('acled')} != {gold['acled']}")
    for role in ("actor1", "actor2"):
        if role in gold:
            problems += _actor_problems(role, gold[role], mention.get(role))
    loc = mention.get("location")
    if "location" in gold:
        want = gold["location"]
        if "country" in want and (not loc or loc.get("country") != want["country"]):
            problems.append(f"location.country {loc and loc.get('country')!r} != "
                            f"{want['country']!r}")
        if "near" in want and not _place_near(loc, want["near"], gold_places):
            problems.append(f"location {loc and loc.get('text')!r} not near {want['near']}")
    date = mention.get("date") or {}
    if "date" in gold and str(date.get("start")) != gold["date"]:
        problems.append(f"date {date.get('start')} != {gold['date']}")
    if "date_range" in gold:
        got = [str(date.get("start")), str(date.get("end"))]
        if got != gold["date_range"]:
            problems.append(f"date range {got} != {gold['date_range']}")
    counts = mention.get("counts") or {}
    for key, value in gold.get("counts", {}).items():
        if counts.get(key) != value:
            problems.append(f"counts.{key} {counts.get(key)!r} != {value!r}")
    if "destination" in gold:
        # Event records have no destination field: a movement's place is where people went.
        if not loc or loc.get("country") != gold["destination"].get("country"):
            problems.append(f"destination {loc and loc.get('country')!r} != "
                            f"{gold['destination']}")
    return problems


def _in_sentence(evidence: str, mention: Record) -> bool:
    return _norm(evidence) in _norm(mention["evidence"]["sentence"])


def check(gold: dict[str, Any], text: str, events: list[Record], places: list[Record]
          ) -> ExampleReport:
    """Check every rule of ``gold`` against an extraction record's cleaned text, events and
    places."""
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
        here = [m for m in events
                if _in_sentence(item["evidence"], m) and m["event"] == item["event"]]
        if any(m["modality"] == "asserted" for m in here):
            report.qualified_ok = False
            report.failures.append(f"qualified {item['id']}: produced as asserted")
        if not item.get("optional") and not any(m["modality"] == item["modality"] for m in here):
            report.qualified_ok = False
            got = sorted({m["modality"] for m in here}) or "nothing"
            report.failures.append(f"qualified {item['id']}: wanted {item['modality']}, got {got}")
    for item in gold.get("places", []):
        found = [p for p in places if _norm(p["text"]) == _norm(item["text"])]
        if not found:
            report.places_ok = False
            report.failures.append(f"place {item['text']}: not found")
            continue
        if item.get("metonym"):
            if not any(p.get("metonym") for p in found):
                report.places_ok = False
                report.failures.append(f"place {item['text']}: not marked as a metonym")
            used = [m for m in events if m.get("location") and _norm(
                m["location"]["text"]) == _norm(item["text"])]
            if used:
                report.places_ok = False
                report.failures.append(f"place {item['text']}: metonym used as an event location")
            continue
        ok = [p for p in found if p.get("country") == item["country"] and (
            "lat" not in item or (p.get("lat") is not None and p.get("lon") is not None
                                  and distance_km(p["lat"], p["lon"], item["lat"], item["lon"])
                                  <= item.get("tolerance_km", 30)))]
        if not ok:
            report.places_ok = False
            p = found[0]
            report.failures.append(
                f"place {item['text']}: resolved to {p.get('country')} ({p.get('lat')}, "
                f"{p.get('lon')})"
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
            hits = [m for m in events if cap in _norm(m["evidence"]["sentence"])]
            if hits or start >= 0:
                report.boilerplate_ok = False
                report.failures.append(f"caption remains: {caption!r}")
    return report


def run_example(gold_path: Path, text_path: Path, model: Path | None = None) -> ExampleReport:
    """Run ``tocsin.extract`` on the text (with the gold's publication date) and check the
    record it returns against the gold."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    raw = text_path.read_text(encoding="utf-8")
    published = dt.date.fromisoformat(gold["published"]) if gold.get("published") else None
    record = extract(raw, published, resources_for(model))
    return check(gold, record["document"]["text"], record["events"], record["places"])
