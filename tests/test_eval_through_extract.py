"""``tocsin eval acled`` and ``tocsin eval event-location`` answer with what ``tocsin.extract``
gives on the same text (issue 13: one path). Own made-up rows and records."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tocsin
from tocsin.cli import app
from tocsin.evaluation.top_mention import acled_label, overlaps, top_mention, trigger_spans

NOTES = [
    {"event_id_cnty": "TST1", "event_date": "2021-03-04", "event_type": "Battles",
     "sub_event_type": "Armed clash", "actor1": "Military Forces of Kenya (2013-)",
     "notes": "On 4 March 2021, soldiers clashed with militants near Garissa (Garissa), "
              "killing 2 militants.", "fatalities": "2", "latitude": "-0.45", "longitude": "39.65"},
    {"event_id_cnty": "TST2", "event_date": "2021-03-06", "event_type": "Protests",
     "sub_event_type": "Peaceful protest", "actor1": "Protesters (Kenya)",
     "notes": "On 6 March 2021, traders held a peaceful protest in Nakuru town (Nakuru) over "
              "market fees. [size=no report]", "fatalities": "0", "latitude": "-0.28",
     "longitude": "36.07"},
]

RECORDS = [
    {"id": "r1", "source": "test", "text": "Militants attacked a police post in Garissa on Monday.",
     "spans": [{"start": 10, "end": 18, "label": "VERB", "text": "attacked"},
               {"start": 36, "end": 43, "label": "LOCATION", "text": "Garissa"}]},
    {"id": "r2", "source": "test",
     "text": "Officials in Nairobi said gunmen kidnapped two traders.",
     "spans": [{"start": 33, "end": 42, "label": "VERB", "text": "kidnapped"}]},
]


def _write_notes(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(NOTES[0]))
        writer.writeheader()
        writer.writerows(NOTES)
    return path


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_eval_acled_answers_are_the_extract_top_mention(tmp_path: Path) -> None:
    rows_out = tmp_path / "rows.jsonl"
    result = CliRunner().invoke(app, ["eval", "acled", str(_write_notes(tmp_path / "n.csv")),
                                      "--split", "all", "--json", "--rows-out", str(rows_out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["split"] == "all" and report["units"] == 2
    answers = _lines(rows_out)
    assert [a["id"] for a in answers] == ["TST1", "TST2"]
    for row, answer in zip(NOTES, answers, strict=True):
        top = top_mention(tocsin.extract(row["notes"], kind="note")["events"])
        assert answer["event"] == (top and top["event"])
        assert answer["event_type"] == acled_label(top, 0)
        assert answer["sub_event_type"] == acled_label(top, 1)
        location = (top or {}).get("location") or {}
        assert (answer["place"], answer["lat"], answer["lon"]) == (
            location.get("text"), location.get("lat"), location.get("lon"))
        date = (top or {}).get("date") or {}
        assert (answer["date_start"], answer["date_end"], answer["date_precision"]) == (
            date.get("start"), date.get("end"), date.get("precision"))
        assert answer["killed"] == ((top or {}).get("counts") or {}).get("killed")


@pytest.mark.slow
def test_eval_event_location_answers_are_the_extract_places(tmp_path: Path) -> None:
    data = tmp_path / "records.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    rows_out = tmp_path / "rows.jsonl"
    result = CliRunner().invoke(app, ["eval", "event-location", str(data), "--split", "all",
                                      "--json", "--rows-out", str(rows_out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["records"] == report["units"] == 2 and report["split"] == "all"
    for record, answer in zip(RECORDS, _lines(rows_out), strict=True):
        verb = next(s for s in record["spans"] if s["label"] == "VERB")
        span = (verb["start"], verb["end"])
        events = tocsin.extract(record["text"], verbs=[span])["events"]
        assert len(events) == 1
        location = events[0]["location"]
        assert answer["place"] == (location and location["text"])
        assert answer["date"] == events[0]["date"]
        bare = tocsin.extract(record["text"])["events"]
        assert answer["detected"] == any(overlaps(s, span) for e in bare
                                         for s in trigger_spans(e))
