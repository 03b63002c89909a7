"""The quality table: every evaluation run on one split, one row per figure (``tocsin eval all``).

``run_all`` runs each evaluation whose data it finds under the data folder (the layout of
``../shared/data``) and returns the reports; ``figures`` turns them into table rows;
``render`` writes the markdown of ``docs/quality.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tocsin.resources import Resources

# data set -> path under the data folder
DATA_FILES: dict[str, str] = {
    "acled": "acled-notes/eval.csv",
    "case2021": "case2021-task2/eval.tsv",
    "event-location": "event-location/eval.jsonl",
    "geoparse GeoWebNews": "geoparsing/GWN.xml",
    "geoparse LGL": "geoparsing/lgl.xml",
    "geoparse GeoVirus": "geoparsing/GeoVirus.xml",
    "idetect": "idetect/eval.csv",
    "plover": "plover-gsr",
    "glocon": "glocon-protest",
    "news": ".",
    "example": "../examples/latakia-2015.gold.json",
}

# data set -> (figure label, report key, key of the count it is scored over or None for
# "units", unit noun)
FIGURES: dict[str, list[tuple[str, str, str | None, str]]] = {
    "acled": [
        ("event type macro-F1", "event_type_macro_f1", None, "notes"),
        ("event type accuracy", "event_type_accuracy", None, "notes"),
        ("sub-event type macro-F1", "sub_event_type_macro_f1", None, "notes"),
        ("sub-event type weighted F1", "sub_event_type_weighted_f1", None, "notes"),
        ("location within 50 km", "location_within_50km", "location_rows", "notes"),
        ("date exact (date stated)", "date_exact_when_stated", "date_rows", "notes"),
        ("fatalities exact", "fatalities_exact", None, "notes"),
        ("actor1 country", "actor1_country", "actor1_rows", "notes"),
    ],
    "case2021": [
        ("sub-type weighted F1", "weighted_f1", "rows", "snippets"),
        ("sub-type macro F1", "macro_f1", "rows", "snippets"),
        ("sub-type accuracy", "accuracy", "rows", "snippets"),
    ],
    "event-location": [
        ("place of the gold verb's event", "accuracy", None, "records"),
        ("gold verbs detected", "detected_verbs", None, "records"),
    ],
    "geoparse": [
        ("Acc@161 given gold toponyms", "acc161", "n", "toponyms"),
        ("median error km (gold toponyms)", "median_km", "n", "toponyms"),
        ("mean error km (gold toponyms)", "mean_km", "n", "toponyms"),
        ("Acc@161 end to end", "raw_acc161", "n", "toponyms"),
        ("recognition precision", "recognition.precision", None, "articles"),
        ("recognition recall", "recognition.recall", None, "articles"),
        ("recognition F1", "recognition.f1", None, "articles"),
    ],
    "idetect": [
        ("displacement figure exact", "quantity_exact", None, "excerpts"),
        ("displacement unit", "unit_accuracy", None, "excerpts"),
    ],
    "plover": [
        ("event category (top mention)", "category_accuracy", None, "sentences"),
        ("source country", "source_country_accuracy", "source_country_rows", "sentences"),
        ("source sector", "source_sector_accuracy", "source_sector_rows", "sentences"),
        ("target country", "target_country_accuracy", "target_country_rows", "sentences"),
        ("target sector", "target_sector_accuracy", "target_sector_rows", "sentences"),
    ],
    "glocon": [
        ("protest documents F1", "f1", None, "articles"),
        ("protest documents precision", "precision", None, "articles"),
        ("protest documents recall", "recall", None, "articles"),
    ],
    "news": [
        ("incident recall", "recall", "incidents", "incidents"),
        ("salient incident recall", "salient_recall", "salient_incidents", "incidents"),
        ("precision of asserted mentions", "precision", "asserted_mentions", "mentions"),
        ("non-event statements asserted", "non_events_asserted", "non_events", "statements"),
        ("modality accuracy", "modality_accuracy", "modality_scored", "statements"),
    ],
    "example": [
        ("gold events found", "events_found", "events_expected", "events"),
        ("every rule passes", "passed", None, "examples"),
    ],
}


@dataclass(frozen=True)
class Figure:
    dataset: str
    figure: str
    value: Any
    units: str


def _run_one(name: str, path: Path, resources: Resources | None, split: str,
             limit: int | None) -> dict[str, Any]:
    from tocsin.evaluation import (
        acled,
        case2021,
        event_location,
        example,
        geoparse,
        glocon,
        idetect,
        news,
        plover,
    )

    if name == "acled":
        return acled.evaluate(path, resources, split=split, limit=limit)[0]
    if name == "case2021":
        return case2021.evaluate(path, resources, split=split, limit=limit)
    if name == "event-location":
        return event_location.evaluate(path, resources, split=split, limit=limit)[0]
    if name.startswith("geoparse"):
        return geoparse.evaluate_geoparse(path, resources, limit=limit, split=split)
    if name == "idetect":
        return idetect.evaluate(path, resources, split=split, limit=limit)
    if name == "plover":
        return plover.evaluate(path, resources, split=split, limit=limit)
    if name == "glocon":
        return glocon.evaluate(path, resources, split=split, limit=limit)
    if name == "news":  # the data folder itself: the annotated articles point into its corpora
        try:
            return news.evaluate(path, resources, split=split, limit=limit)
        except FileNotFoundError as error:
            return {"missing": str(error)}
    if name == "example":
        text = path.with_name(path.name.replace(".gold.json", ".txt"))
        report = example.run_example(path, text).to_dict()
        return {**report, "split": "all", "units": 1}
    raise ValueError(f"unknown data set {name!r}")


# The data sets a model from ``tocsin train`` is scored on again, as "<name> (trained)".
TRAINED = ("acled", "case2021")


def run_all(data: Path, resources: Resources | None = None, *, split: str = "check",
            limit: int | None = None, only: list[str] | None = None,
            progress: Callable[[str], None] | None = None,
            trained: Resources | None = None) -> dict[str, dict[str, Any]]:
    """Each evaluation's report (or ``{"missing": path}`` when its data is not there); with
    ``trained`` (Resources whose settings carry a model from ``tocsin train``), the data sets
    of ``TRAINED`` are scored again with it, under "<name> (trained)"."""
    reports: dict[str, dict[str, Any]] = {}
    for name, relative in DATA_FILES.items():
        if only and not any(name.startswith(o) for o in only):
            continue
        path = (data / relative).resolve()
        if not path.exists():
            reports[name] = {"missing": str(data / relative)}
            continue
        if progress:
            progress(name)
        reports[name] = _run_one(name, path, resources, split, limit)
        if trained is not None and name in TRAINED:
            if progress:
                progress(f"{name} (trained)")
            reports[f"{name} (trained)"] = _run_one(name, path, trained, split, limit)
    return reports


def _get(report: dict[str, Any], key: str) -> Any:
    value: Any = report
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def figures(reports: dict[str, dict[str, Any]]) -> list[Figure]:
    rows = []
    for name, report in reports.items():
        if "missing" in report:
            rows.append(Figure(name, "(data not found)", None, report["missing"]))
            continue
        for label, key, count_key, noun in FIGURES[name.split()[0]]:
            count = report.get(count_key) if count_key else report.get("units")
            units = f"{count} {noun}"
            if name == "news":  # counts found in the articles scored
                units = f"{count} {noun} in {report.get('units')} articles"
            elif count_key and noun != "toponyms" and name != "example":
                units = f"{count} of {report.get('units')} {noun}"
            rows.append(Figure(name, label, _get(report, key), units))
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) <= 1 else f"{value:.1f}"
    return str(value)


def render(rows: list[Figure], *, split: str, commit: str | None, date: str, command: str,
           limit: int | None = None) -> str:
    """The markdown of the quality table."""
    lines = [
        "# Quality",
        "",
        "Every figure below is measured through `tocsin.extract`, the function users run, on the "
        f"`{split}` split of each data set (docs in `src/tocsin/evaluation/`; splits in "
        "`evaluation/splits.py`). Written by the command below; do not edit by hand.",
        "",
        f"- commit: `{commit or 'unknown'}`",
        f"- date: {date}",
        f"- command: `{command}`",
        f"- split: `{split}`" + (f" (first {limit} units of each data set only)" if limit else ""),
        "",
        "| data set | figure | value | units scored |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r.dataset} | {r.figure} | {_cell(r.value)} | {r.units} |" for r in rows]
    return "\n".join(lines) + "\n"
