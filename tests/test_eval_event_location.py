"""Gold locations of event-location records (own made-up records)."""

from __future__ import annotations

from tocsin.evaluation.event_location import gold_locations


def _record(spans: list[dict]) -> dict:
    return {"text": "Militiamen raided a farm near Quenby at dawn.", "spans": spans}


def test_offsets_are_taken_as_given() -> None:
    record = _record([{"start": 30, "end": 36, "label": "LOCATION", "text": "Quenby"},
                      {"start": 11, "end": 17, "label": "VERB", "text": "raided"}])
    assert gold_locations(record) == [(30, 36)]


def test_a_label_without_offsets_is_found_by_its_text() -> None:
    record = _record([{"start": None, "end": None, "label": "LOCATION", "text": "Quenby"}])
    assert gold_locations(record) == [(30, 36)]


def test_an_empty_or_absent_label_text_is_no_gold_place() -> None:
    record = _record([{"start": None, "end": None, "label": "LOCATION", "text": ""},
                      {"start": None, "end": None, "label": "LOCATION", "text": "Varnoth"}])
    assert gold_locations(record) == []
