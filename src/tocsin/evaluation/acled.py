"""``tocsin eval acled``: event fields read from ACLED notes, scored against the row's coding.

Only each row's ``notes`` is input. Type figures come from the typing models (the shipped default,
the cue rules alone for reference, and a model from ``tocsin train`` given with ``--model``); the
other fields from the pipeline: the
fatalities (counts with ACLED conventions), the first stated date, the event's place (within
50 km of the row's coordinates) and actor1's country.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import typer

from tocsin.evaluation.typing_scores import f1_scores
from tocsin.geodesy import distance_km

csv.field_size_limit(10_000_000)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if (r.get("notes") or "").strip()]


def type_scores(rows: list[dict[str, str]], classifier: Any) -> dict[str, float]:
    predicted = classifier.predict([r["notes"] for r in rows])
    types = f1_scores([r["event_type"] for r in rows], [p[0] for p in predicted])
    with_sub = [(r, p) for r, p in zip(rows, predicted, strict=True) if r.get("sub_event_type")]
    subs = f1_scores([r["sub_event_type"] for r, _ in with_sub], [p[1] for _, p in with_sub])
    return {
        "event_type_macro_f1": types["macro_f1"],
        "event_type_accuracy": types["accuracy"],
        "sub_event_type_macro_f1": subs["macro_f1"],
        "sub_event_type_weighted_f1": subs["weighted_f1"],
    }


def _gold_actor_country(name: str) -> str | None:
    """The country an ACLED actor name states ("Protesters (Kenya)", "Military Forces of Yemen")."""
    from tocsin.mentions.actors import country_of_word

    inside = re.findall(r"\(([^()]+)\)", name)
    for part in inside + re.findall(r"of ([A-Z][\w' -]+?)(?: \(|$)", name):
        country = country_of_word(part.strip())
        if country:
            return country
    return None


def field_scores(rows: list[dict[str, str]], limit: int | None = None) -> dict[str, Any]:
    """Fatalities, stated date, location and actor1 country through the full pipeline."""
    from tocsin.mentions import find_events
    from tocsin.mentions.counts import extract_counts, merge_counts
    from tocsin.mentions.dates import stated_date_matches
    from tocsin.mentions.note_location import note_location
    from tocsin.places import find_places
    from tocsin.records import Document
    from tocsin.resources import shared_resources

    resources = shared_resources()
    rows = rows[:limit] if limit else rows
    fatal_ok = date_ok = date_n = loc_ok = loc_n = actor_ok = actor_n = 0
    texts = [r["notes"] for r in rows]
    for row, parsed in zip(rows, resources.nlp.pipe(texts, batch_size=64), strict=True):
        # One note describes one event: sentences restate its toll, so take the counts
        # module's rule for combining sentences (the largest figure), not their sum.
        merged = merge_counts(
            extract_counts(sentence, None, acled_conventions=True) for sentence in parsed.sents
        )
        killed = merged.killed or 0
        fatal_ok += int(killed == int(row.get("fatalities") or 0))
        gold_date = dt.date.fromisoformat(row["event_date"]) if row.get("event_date") else None
        if gold_date is not None:
            match = stated_date_matches(row["notes"], gold_date)
            if match is not None:
                date_n += 1
                date_ok += int(match)
        document = Document(id=row.get("event_id_cnty", ""), text=row["notes"],
                            locator="acled", format="text")
        places = find_places(document, parsed, resources)
        events = find_events(document, parsed, places, resources)
        located = [p for p in [note_location(parsed, places, events, resources.gazetteer)] if p]
        if row.get("latitude") and row.get("longitude"):
            loc_n += 1
            if located and distance_km(located[0].lat, located[0].lon, float(row["latitude"]),
                               float(row["longitude"])) <= 50:
                loc_ok += 1
        gold_country = _gold_actor_country(row.get("actor1", ""))
        if gold_country:
            actor_n += 1
            found = next((e.actor1.country for e in events if e.actor1 and e.actor1.country),
                         None)
            actor_ok += int(found == gold_country)
    n = len(rows) or 1
    return {
        "fatalities_exact": round(fatal_ok / n, 4),
        "date_exact_when_stated": round(date_ok / date_n, 4) if date_n else None,
        "date_rows": date_n,
        "location_within_50km": round(loc_ok / loc_n, 4) if loc_n else None,
        "actor1_country": round(actor_ok / actor_n, 4) if actor_n else None,
        "actor1_rows": actor_n,
    }


def _load(model: Path) -> Any:
    from tocsin.mentions.classifier import TrainedClassifier

    try:
        return TrainedClassifier.load(model)
    except (OSError, ValueError, EOFError) as error:
        typer.echo(f"error: {model}: {error}", err=True)
        raise typer.Exit(2) from None


def command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="ACLED export CSV."),
    model: Path | None = typer.Option(None, "--model", help="A model from `tocsin train`."),
    types_only: bool = typer.Option(False, "--types-only", help="Score event types only."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Fields on the first N rows."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """ACLED notes: event type/sub-type F1, fatalities, dates, location, actor1 country."""
    from tocsin.mentions.classifier import DefaultClassifier, RuleClassifier

    rows = read_rows(file)
    if not rows:
        typer.echo(f"error: {file} has no rows with notes", err=True)
        raise typer.Exit(2)
    report: dict[str, Any] = {"rows": len(rows), "default": type_scores(rows, DefaultClassifier()),
                              "rules": type_scores(rows, RuleClassifier())}
    if model is not None:
        report["trained"] = type_scores(rows, _load(model))
    primary = report.get("trained", report["default"])
    out: dict[str, Any] = {**primary, "model": "trained" if model else "default"}
    if not types_only:
        out.update(field_scores(rows, limit))
    out.update(report)
    typer.echo(json.dumps(out) if as_json else json.dumps(out, indent=2))
