"""ACLED notes: each row's ``notes`` goes through ``tocsin.extract(kind="note")``, and the
document's top asserted mention (``top_mention``) answers the row.

From that one event record come every figure: its ACLED type and sub-type ("no event" when the
note yields no asserted mention; macro/weighted F1), its place (right within 50 km of the row's
coordinates), its date (exact against ``event_date``, on the rows whose extracted date is stated
in the note: any precision but ``published``), its fatalities (``killed``, none read as 0, exact
against ``fatalities``) and its actor1's country (against the country the row's actor1 name
states). Units are notes; ``train.csv`` is all ``fit``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from tocsin.evaluation.common import choose, split_info
from tocsin.evaluation.top_mention import acled_label, rate, top_mention
from tocsin.evaluation.typing_scores import f1_scores
from tocsin.exports.acled_csv import unnamed_actor1
from tocsin.extraction import extract
from tocsin.geodesy import distance_km
from tocsin.resources import Resources

csv.field_size_limit(10_000_000)

DATASET = "acled"
PLACE_KM = 50.0
TRAIN_FILE = "train.csv"  # ACLED's training export: every row is fit


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if (r.get("notes") or "").strip()]


def unit_key(row: dict[str, str]) -> str:
    return row.get("event_id_cnty") or row["notes"]


def split_rows(rows: Iterable[dict[str, str]], split: str, path: Path | None = None,
               limit: int | None = None) -> list[dict[str, str]]:
    """The rows of ``split``; every row of ``train.csv`` is ``fit``."""
    if path is not None and path.name == TRAIN_FILE:
        chosen = list(rows) if split in ("fit", "all") else []
        return chosen[:limit] if limit else chosen
    return choose(rows, DATASET, unit_key, split, limit)


# ACLED spellings of countries that pycountry names otherwise.
_ALIASES = {
    "democratic republic of congo": "COD", "republic of congo": "COG", "ivory coast": "CIV",
    "turkey": "TUR", "vietnam": "VNM", "laos": "LAO", "south korea": "KOR",
    "north korea": "PRK", "czech republic": "CZE", "cape verde": "CPV", "kosovo": "XKX",
    "eswatini": "SWZ", "swaziland": "SWZ", "east timor": "TLS", "micronesia": "FSM",
    "united states": "USA", "russia": "RUS", "syria": "SYR", "iran": "IRN",
    "palestine": "PSE", "bolivia": "BOL", "venezuela": "VEN", "tanzania": "TZA",
    "moldova": "MDA", "brunei": "BRN",
}


@cache
def _country_index() -> dict[str, str]:
    import pycountry

    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index[value.lower()] = country.alpha_3
    index.update(_ALIASES)
    return index


def country_code(name: str) -> str | None:
    """ISO 3166 alpha-3 code of a country name as ACLED writes it, or None."""
    return _country_index().get(name.strip().lower())


def gold_actor_country(name: str) -> str | None:
    """The country an ACLED actor name states ("Protesters (Kenya)", "Military Forces of
    Yemen (2016-)")."""
    inside = re.findall(r"\(([^()]+)\)", name)
    for part in inside + re.findall(r"of ([A-Z][\w' -]+?)(?: \(|$)", name):
        code = country_code(part)
        if code:
            return code
    return None


def predict_row(row: dict[str, str], resources: Resources | None = None,
                kind: str = "note") -> dict[str, Any]:
    """The answer the product gives for one ACLED row: the fields of its note's top mention
    (the note read as ``kind``: a note, or as an article to measure what note handling adds)."""
    record = extract(row["notes"], resources=resources, kind=kind)
    top = top_mention(record["events"])
    location = (top or {}).get("location") or {}
    date = (top or {}).get("date") or {}
    counts = (top or {}).get("counts") or {}
    actor1 = (top or {}).get("actor1") or {}
    # ACLED's convention, as the product's ACLED export writes it: an acting side the note
    # does not name is the unidentified armed group, rioters or protesters of the event's country
    unnamed = None if actor1 else unnamed_actor1(acled_label(top, 0), location.get("country"))
    actor_country = unnamed.country if unnamed else actor1.get("country")
    return {
        "id": unit_key(row),
        "event": top.get("event") if top else None,
        "event_type": acled_label(top, 0),
        "sub_event_type": acled_label(top, 1),
        "place": location.get("text"),
        "lat": location.get("lat"),
        "lon": location.get("lon"),
        "date_start": date.get("start"),
        "date_end": date.get("end"),
        "date_precision": date.get("precision"),
        "killed": counts.get("killed"),
        "actor1_country": actor_country,
    }


def _date_stated(answer: dict[str, Any]) -> bool:
    return answer["date_precision"] not in (None, "published") and bool(answer["date_start"])


def score_rows(rows: list[dict[str, str]], answers: list[dict[str, Any]]) -> dict[str, Any]:
    """Every figure of the rows from the product's answers to them."""
    types = f1_scores([r["event_type"] for r in rows], [a["event_type"] for a in answers])
    with_sub = [(r, a) for r, a in zip(rows, answers, strict=True) if r.get("sub_event_type")]
    subs = f1_scores([r["sub_event_type"] for r, _ in with_sub],
                     [a["sub_event_type"] for _, a in with_sub])
    fatal_ok = date_ok = date_n = loc_ok = loc_n = actor_ok = actor_n = 0
    for row, answer in zip(rows, answers, strict=True):
        fatal_ok += int((answer["killed"] or 0) == int(row.get("fatalities") or 0))
        if row.get("event_date") and _date_stated(answer):
            date_n += 1
            gold = dt.date.fromisoformat(row["event_date"]).isoformat()
            date_ok += int(str(answer["date_start"]) == gold == str(answer["date_end"]))
        if row.get("latitude") and row.get("longitude"):
            loc_n += 1
            if answer["lat"] is not None and answer["lon"] is not None and distance_km(
                    answer["lat"], answer["lon"], float(row["latitude"]),
                    float(row["longitude"])) <= PLACE_KM:
                loc_ok += 1
        gold_country = gold_actor_country(row.get("actor1", ""))
        if gold_country:
            actor_n += 1
            actor_ok += int(answer["actor1_country"] == gold_country)
    return {
        "event_type_macro_f1": types["macro_f1"],
        "event_type_accuracy": types["accuracy"],
        "sub_event_type_macro_f1": subs["macro_f1"],
        "sub_event_type_weighted_f1": subs["weighted_f1"],
        "no_event_rows": sum(1 for a in answers if a["event"] is None),
        "fatalities_exact": rate(fatal_ok, len(rows)),
        "date_exact_when_stated": rate(date_ok, date_n),
        "date_rows": date_n,
        "location_within_50km": rate(loc_ok, loc_n),
        "location_rows": loc_n,
        "actor1_country": rate(actor_ok, actor_n),
        "actor1_rows": actor_n,
    }


def evaluate(path: Path, resources: Resources | None = None, *, split: str = "check",
             limit: int | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The report and the per-row answers for the ``split`` rows of an ACLED export."""
    rows = split_rows(read_rows(path), split, path, limit)
    answers = [predict_row(row, resources) for row in rows]
    report = {**split_info(DATASET, split, len(rows)), "rows": len(rows)}
    report.update(score_rows(rows, answers) if rows else {})
    return report, answers
