"""Gold corpus readers and scoring arithmetic for ``tocsin eval geoparse`` (no spaCy needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tocsin.evaluation.geoparse import distance_km, recognition_gold
from tocsin.evaluation.geoparse_corpora import CorpusFormatError, read_corpus
from tocsin.places.context import qualifier_links
from tocsin.places.page_furniture import furniture_ranges, is_furniture_line

FIXTURES = Path(__file__).parent / "fixtures" / "geoparse"


def test_geowebnews_is_detected_and_offsets_slice_the_names(format_fixtures: Path) -> None:
    kind, articles = read_corpus(format_fixtures / "gwn_tiny.xml")
    assert kind == "geowebnews"
    (article,) = articles
    assert [t.text for t in article.toponyms] == ["Nairobi", "Mombasa", "Kenya", "traffic"]
    assert [t.text for t in recognition_gold(kind, article)] == ["Nairobi", "Mombasa", "Kenya"]
    assert article.toponyms[0].geonameid == 184745


def test_lgl_format_is_detected_with_repeated_names() -> None:
    kind, articles = read_corpus(FIXTURES / "lgl_tiny.xml")
    assert kind == "lgl"
    toponyms = articles[0].toponyms
    assert [t.text for t in toponyms] == ["Paris", "Texas", "Dallas", "Paris", "France"]
    assert toponyms[0].lat == pytest.approx(33.66094)
    assert toponyms[3].lon == pytest.approx(2.3488)


def test_geovirus_offsets_are_read_as_one_based() -> None:
    kind, articles = read_corpus(FIXTURES / "geovirus_tiny.xml")
    assert kind == "geovirus"
    assert [t.text for t in articles[0].toponyms] == ["Douala", "Cameroon", "Yaounde"]


def test_an_unknown_xml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text("<rss><channel/></rss>", encoding="utf-8")
    with pytest.raises(CorpusFormatError):
        read_corpus(path)


def test_distance_between_two_known_cities() -> None:
    # Nairobi to Mombasa is about 440 km as the crow flies.
    assert 420 < distance_km(-1.2833, 36.8167, -4.0547, 39.6636) < 460
    assert distance_km(10.0, 10.0, 10.0, 10.0) == 0.0


def test_qualifiers_link_a_place_to_the_area_written_after_or_before_it() -> None:
    class Span:
        def __init__(self, text: str, word: str, nth: int = 0) -> None:
            at = -1
            for _ in range(nth + 1):
                at = text.index(word, at + 1)
            self.start, self.end = at, at + len(word)

    text = "Shelling hit Salma, Latakia and then Turkey's Yayladağ. Homs was quiet."
    spans = [Span(text, w) for w in ("Salma", "Latakia", "Turkey", "Yayladağ", "Homs")]
    links = qualifier_links(text, spans)
    assert links[0] == [1]  # Salma <- Latakia
    assert links[3] == [2]  # Yayladağ <- Turkey
    assert 4 not in links and 1 not in links


def test_captions_and_comment_forms_are_page_furniture() -> None:
    assert is_furniture_line("Fighters in the hills near Kessab \\ Some Agency ")
    assert is_furniture_line("You are commenting using your Twitter account. Log Out /  Change )")
    assert not is_furniture_line("Shelling hit the hills near Kessab on Monday, residents said.")
    text = "A real sentence about Homs.\nPeople at a march \\ Photo Desk\nMore text."
    ((start, end),) = furniture_ranges(text)
    assert text[start:end] == "People at a march \\ Photo Desk"


def test_offsets_of_cleaned_text_map_back_onto_the_original() -> None:
    from tocsin.evaluation.geoparse import offset_map

    original = "Share this\n\nTroops entered Quenby on Monday."
    cleaned = "Troops entered Quenby on Monday."
    to_original = offset_map(cleaned, original)
    start = cleaned.index("Quenby")
    mapped = to_original(start, start + 6)
    assert mapped is not None and original[mapped[0]:mapped[1]] == "Quenby"
    assert offset_map(original, original)(3, 7) == (3, 7)


def test_trigger_spans_locate_the_trigger_in_its_sentence() -> None:
    from tocsin.evaluation.top_mention import top_mention, trigger_spans

    event = {"trigger": "shelled", "modality": "asserted", "confidence": 0.6,
             "evidence": {"sentence": "Troops shelled the town.", "start": 10, "end": 34}}
    assert trigger_spans(event) == [(17, 24)]
    weaker = {**event, "confidence": 0.4}
    claimed = {**event, "confidence": 0.9, "modality": "claimed"}
    assert top_mention([weaker, event, claimed]) is event
    assert top_mention([claimed]) is None
