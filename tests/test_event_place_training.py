"""``tocsin train-event-places`` on records of our own: it cross-validates inside ``fit``, writes
a model that the product then uses (TOCSIN_EVENT_PLACE_RANKER), and that model holds numbers
only."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import tocsin
from tocsin.cli import app
from tocsin.mentions.place.event_place_features import FEATURES
from tocsin.mentions.place.event_place_model import ENV, read_event_place_ranker

TOWNS = ["Dorvale", "Quenby", "Sarnoth", "Velmor", "Karsk", "Ostrel", "Brannoch", "Tiverd",
         "Hallum", "Pellin", "Corvath", "Zemlo", "Arbast", "Mirrow", "Dunvey", "Selkar",
         "Raddon", "Vashti", "Orlund", "Fenwick", "Gallat", "Ibrey", "Jorvik", "Lanmor"]
SEATS = ["Ostrava", "Kestrel", "Wendholm"]


def _record(text: str, verb: str, place: str | None) -> dict:
    spans = [{"start": text.index(verb), "end": text.index(verb) + len(verb), "label": "VERB",
              "text": verb}]
    if place is not None:
        spans.append({"start": text.index(place), "end": text.index(place) + len(place),
                      "label": "LOCATION", "text": place})
    return {"text": text, "spans": spans, "source": "own"}


def _records() -> list[dict]:
    out = []
    for k, town in enumerate(TOWNS):
        seat = SEATS[k % len(SEATS)]
        out.append(_record(f"Gunmen attacked a bus near {town} on Monday, the governor of the "
                           f"province said in {seat}.", "attacked", town))
        out.append(_record(f"The minister in {seat} said the talks about {town} would resume "
                           "next week.", "resume", None))
        out.append(_record(f"Soldiers were killed when a mine exploded in the village of {town}.",
                           "killed", town))
    return out


def test_train_event_places_cross_validates_and_writes_a_model_the_product_uses(
    tmp_path: Path, monkeypatch
) -> None:
    data = tmp_path / "event-location"
    data.mkdir()
    with (data / "eval.jsonl").open("w", encoding="utf-8") as handle:
        for record in _records():
            handle.write(json.dumps(record) + "\n")
    out = tmp_path / "model.json"
    result = CliRunner().invoke(app, ["train-event-places", "--data", str(data), "--folds", "2",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert 0 < report["records"] < len(_records())  # the fit split only
    assert len(report["cross_validation"]) == 2
    assert 0.0 <= report["accuracy_learned"] <= 1.0 and 0.0 <= report["accuracy_rules"] <= 1.0
    text = out.read_text(encoding="utf-8")
    ranker = read_event_place_ranker(text)
    assert len(ranker.weights) == len(FEATURES) and ranker.meta["split"] == "fit"
    assert not any(town in text for town in TOWNS + SEATS)  # numbers, no words of the data
    monkeypatch.setenv(ENV, str(out))
    found = tocsin.extract("Gunmen attacked a bus near Dorvale on Monday, the governor said in "
                           "Ostrava.", verbs=[(7, 15)])
    event = next(e for e in found["events"] if e.get("trigger") == "attacked")
    assert (event.get("location") or {}).get("text") == "Dorvale"


def test_train_event_places_refuses_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train-event-places", "--data", str(tmp_path / "none")])
    assert result.exit_code == 2
