"""News-like views of coder's notes (mentions/note_views.py) and their use by `tocsin train`."""

from __future__ import annotations

import pytest

from tocsin.mentions.lexicons import Lexicons
from tocsin.mentions.typing.classifier import with_news_views

VIEWS = Lexicons.load().typing.views
note_like, news_view = VIEWS.note_like, VIEWS.news_view


@pytest.mark.parametrize(("note", "view"), [
    ("On 14 June 2022, herders burned two granaries in Kanto (Beru, Lomas). [size=no report]",
     "Herders burned two granaries in Kanto."),
    ("On April 9th, teachers marched to the district office in Garo to demand back pay. "
     "Fatalities unknown.", "Teachers marched to the district office in Garo to demand back pay."),
    ("Around 2 March 2021, a gang robbed a bus near Ifaro. Geo-precision 2 as the exact spot is "
     "not known.", "A gang robbed a bus near Ifaro."),
    ("Over 200 nurses rallied at the ministry.", "Over 200 nurses rallied at the ministry."),
    ("On Friday, police detained six traders.", "On Friday, police detained six traders."),
])
def test_news_view_cuts_coding_conventions_only(note: str, view: str) -> None:
    assert news_view(note) == view


def test_a_view_no_longer_reads_like_a_note() -> None:
    note = "On 2 May 2021, rebels shelled the camp at Oruz (Mabel, Tessin). Fatalities coded as 3."
    assert note_like(note) and not note_like(news_view(note))


def test_a_note_made_only_of_boilerplate_keeps_its_text() -> None:
    assert news_view("[size=no report]") == "[size=no report]"


def test_training_texts_add_each_differing_view_once() -> None:
    riot = "Violent demonstration"
    texts, labels = with_news_views([
        ("On 5 May 2020, youths stoned a police van in Garo (Beru, Lomas).", riot),
        ("Students marched peacefully in Kanto.", "Peaceful protest"),
    ], VIEWS)
    assert texts == ["On 5 May 2020, youths stoned a police van in Garo (Beru, Lomas).",
                     "Students marched peacefully in Kanto.",
                     "Youths stoned a police van in Garo."]
    assert labels == [riot, "Peaceful protest", riot]


def test_a_notes_one_event_outranks_its_side_mentions() -> None:
    import tocsin
    from tocsin.evaluation.top_mention import top_mention

    note = ("On 3 June 2023, members of a student union staged a protest in front of the "
            "university gate in Sylhet city, demanding the release of two detained leaders.")
    top = top_mention(tocsin.extract(note, kind="note")["events"])
    assert top is not None and top["event"] == "PROTEST"
    assert top["acled"][0] == "Protests"
