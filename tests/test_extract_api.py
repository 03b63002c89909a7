"""The public extraction API: document kinds, and gold spans run through the product's stages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tocsin
from tocsin.cli import app
from tocsin.records import Document, Failure
from tocsin.sources import ReadOptions, read_inputs

TEXT = "Gunmen attacked a police post in Kidal on Monday. Officials met in Bamako."


def _span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def test_given_toponyms_are_the_places_in_text_order() -> None:
    record = tocsin.extract(TEXT, published="2024-03-06",
                            toponyms=[_span(TEXT, "Bamako"), _span(TEXT, "Kidal")])
    places = record["places"]
    assert [p["text"] for p in places] == ["Kidal", "Bamako"]
    assert [p["country"] for p in places] == ["MLI", "MLI"]
    assert (places[0]["start"], places[0]["end"]) == _span(TEXT, "Kidal")


def test_no_given_toponyms_means_no_resolved_places() -> None:
    record = tocsin.extract(TEXT, published="2024-03-06", toponyms=[])
    assert record["places"] == []
    # The syntax may still mark "in Kidal" as the event's place, but nothing resolves it.
    assert record["events"]
    assert all(e["location"] is None or e["location"]["lat"] is None for e in record["events"])


def test_a_given_verb_makes_its_mention_with_the_usual_fields() -> None:
    plain = tocsin.extract(TEXT, published="2024-03-06")
    given = tocsin.extract(TEXT, published="2024-03-06", verbs=[_span(TEXT, "attacked")])
    assert len(given["events"]) == 1
    [event] = given["events"]
    same = next(e for e in plain["events"] if e["event"] == event["event"])
    assert event["event"] == "ASSAULT"
    assert event["location"]["name"] == same["location"]["name"] == "Kidal"
    assert event["date"] == same["date"]
    assert event["evidence"]["sentence"].startswith("Gunmen attacked")


def test_spans_outside_the_text_are_refused() -> None:
    with pytest.raises(ValueError, match="outside the text"):
        tocsin.extract(TEXT, verbs=[(5, 500)])
    with pytest.raises(ValueError, match="outside the text"):
        tocsin.extract(TEXT, toponyms=[(10, 3)])


def test_kind_reaches_the_document() -> None:
    assert tocsin.extract(TEXT)["document"]["kind"] == "article"
    assert tocsin.extract(TEXT, kind="note")["document"]["kind"] == "note"
    with pytest.raises(ValueError, match="unknown document kind"):
        tocsin.extract(TEXT, kind="tweet")


def test_jsonl_kind_field_and_option(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    lines = [{"text": "Protesters gathered in Nairobi.", "kind": "note"},
             {"text": "Police arrested two men in Mombasa."},
             {"text": "Shelling hit Gao.", "kind": "memo"}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    results = list(read_inputs([str(path)], ReadOptions()))
    first, second, third = results
    assert isinstance(first, Document) and first.kind == "note"
    assert isinstance(second, Document) and second.kind == "article"
    assert isinstance(third, Failure) and "unknown kind 'memo'" in third.reason
    as_notes = list(read_inputs([str(path)], ReadOptions(kind="note")))
    assert [d.kind for d in as_notes if isinstance(d, Document)] == ["note", "note"]


def test_cli_kind_option(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("On 4 March 2024, gunmen killed 3 civilians in Kidal.\n")
    runner = CliRunner()
    bad = runner.invoke(app, ["extract", str(path), "--kind", "memo"])
    assert bad.exit_code == 2
    assert "--kind must be one of article, note" in bad.output
    good = runner.invoke(app, ["extract", str(path), "--kind", "note", "--json"])
    assert good.exit_code == 0, good.output
    assert json.loads(good.output)["document"]["kind"] == "note"


def _unplaced_mention(document: Document, text: str, name: str) -> tuple[object, list]:
    from tocsin.records import EventMention, Evidence, Place

    start = text.index(name)
    place = Place(text=name, start=start, end=start + len(name), sentence=0)
    mention = EventMention(event="ASSAULT", evidence=Evidence(document.id, text, 0, len(text)),
                           location=place)
    return place, [mention]


def test_an_event_place_the_geoparser_left_unresolved_is_resolved_by_name() -> None:
    from tocsin.pipeline import resolve_event_places
    from tocsin.resources import shared_resources
    from tocsin.sources.documents import build_document

    resources = shared_resources()
    text = "Gunmen attacked Dikwa overnight, officials in Maiduguri said."
    document = build_document(text, locator="<t>", format="text", options=ReadOptions())
    parsed = resources.nlp(text)
    _, events = _unplaced_mention(document, text, "Dikwa")
    resolve_event_places(document, parsed, [], events, resources)
    where = events[0].location
    assert where.name == "Dikwa" and where.country == "NGA" and where.lat is not None


def test_a_name_resolved_only_by_guessing_from_the_document_stays_unplaced() -> None:
    from tocsin.pipeline import resolve_event_places
    from tocsin.resources import shared_resources
    from tocsin.sources.documents import build_document

    resources = shared_resources()
    text = "Families fled towards the Qwertzuiop frontier. Shells fell on Latakia and Latakia."
    document = build_document(text, locator="<t>", format="text", options=ReadOptions())
    parsed = resources.nlp(text)
    from tocsin.places import find_places

    places = find_places(document, parsed, resources)
    assert places  # the document names Latakia, which a guess would fall back on
    _, events = _unplaced_mention(document, text, "Qwertzuiop frontier")
    resolve_event_places(document, parsed, places, events, resources)
    assert events[0].location.lat is None


LONG_EVENT = "Gunmen attacked a police post in Kidal on Monday, killing three officers."
LONG_PROSE = "Residents said the roads were quiet and the shops stayed open through the week."


def test_a_text_over_a_million_characters_is_parsed_in_pieces_with_offsets_kept() -> None:
    # Long filler words keep the parse cheap: the text is 1.2 million characters, not tokens.
    filler = " ".join(["Documentationreferencecatalogue" * 4] * 100)
    paragraphs = [LONG_PROSE * 3]
    while sum(len(p) + 2 for p in paragraphs) < 1_200_000:
        paragraphs.append(LONG_EVENT if len(paragraphs) % 12 == 1 else filler)
    paragraphs.append(LONG_EVENT)  # the last paragraph, past the millionth character
    text = "\n\n".join(paragraphs)
    assert len(text) > 1_200_000

    record = tocsin.extract(text, published="2015-11-23")

    evidence = [event["evidence"] for event in record["events"]]
    assert len(evidence) >= 2
    assert evidence[-1]["start"] > 1_000_000
    for item in evidence:
        assert text[item["start"] : item["end"]] == item["sentence"] == LONG_EVENT
    for event in record["events"]:
        where = event["location"]
        assert where is not None and text[where["start"] : where["end"]] == "Kidal"
