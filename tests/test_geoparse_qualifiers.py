"""Parenthesised admin qualifiers and country cue words, without a gazetteer or spaCy."""

from __future__ import annotations

from tocsin.places.admin_qualifiers import qualified_spans
from tocsin.places.country_cues import cue_countries

AREA_WORDS = frozenset({"district", "area"})


def _read(text: str) -> list[tuple[str | None, list[str]]]:
    return [
        (text[q.head[0] : q.head[1]] if q.head else None, [text[a:b] for a, b in q.parts])
        for q in qualified_spans(text, AREA_WORDS)
    ]


def test_village_with_district_and_province() -> None:
    text = "Herders clashed near Tindou (Banikoara, Alibori) on Monday."
    assert _read(text) == [("Tindou", ["Banikoara", "Alibori"])]


def test_head_keeps_area_word_and_inner_particles() -> None:
    assert _read("a checkpoint in Ras el Wadi district (Lahij), injuring") == [
        ("Ras el Wadi district", ["Lahij"])
    ]


def test_coded_as_lead_in_is_skipped() -> None:
    assert _read("a rally in Sadar town (coded as Feni, Chittagong).") == [
        (None, ["Feni", "Chittagong"])
    ]


def test_brackets_that_list_no_areas_are_ignored() -> None:
    assert _read("Protesters gathered. [size=no report] (size=dozens) (2012-)") == []


def test_head_needs_a_capital() -> None:
    assert _read("shelling of the area (Hays, Al Hudaydah)") == [(None, ["Hays", "Al Hudaydah"])]


def test_cue_words_point_to_their_country() -> None:
    assert cue_countries("pro-Houthi forces shelled positions") == {"YE"}
    assert cue_countries("Hezbollah and Awami League supporters") == {"LB", "BD"}


def test_cue_words_match_whole_words_only() -> None:
    assert cue_countries("The Ambassador met Houthiland officials") == set()
