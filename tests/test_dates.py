"""Dates: absolute and relative expressions, resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from tocsin.mentions.dates import DateReader
from tocsin.records import DateSpan
from tocsin.resources import shared_resources

READER = DateReader.load()
parse_date_expression = READER.parse_date_expression
resolve_date = READER.resolve_date

PUBLISHED = dt.date(2015, 11, 21)  # a Saturday


@pytest.fixture(scope="session")
def nlp():
    return shared_resources().nlp


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("on 12 March 2015", "2015-03-12", "2015-03-12", "day"),
        ("on March 12, 2014", "2014-03-12", "2014-03-12", "day"),
        ("12/03/2015", "2015-03-12", "2015-03-12", "day"),
        ("03/25/2015", "2015-03-25", "2015-03-25", "day"),
        ("2015-03-12", "2015-03-12", "2015-03-12", "day"),
        ("March 12", "2015-03-12", "2015-03-12", "day"),
        ("on 3 December", "2014-12-03", "2014-12-03", "day"),
        ("on Friday", "2015-11-20", "2015-11-20", "day"),
        ("on Sunday night", "2015-11-15", "2015-11-15", "day"),
        ("last Saturday", "2015-11-14", "2015-11-14", "day"),
        ("yesterday", "2015-11-20", "2015-11-20", "day"),
        ("today", "2015-11-21", "2015-11-21", "day"),
        ("overnight", "2015-11-20", "2015-11-21", "range"),
        ("in the last 3 days", "2015-11-18", "2015-11-21", "range"),
        ("For the last three days", "2015-11-18", "2015-11-21", "range"),
        ("this week", "2015-11-16", "2015-11-21", "week"),
        ("last week", "2015-11-09", "2015-11-15", "week"),
        ("earlier this month", "2015-11-01", "2015-11-21", "month"),
        ("last month", "2015-10-01", "2015-10-31", "month"),
        ("in March", "2015-03-01", "2015-03-31", "month"),
        ("in December", "2014-12-01", "2014-12-31", "month"),
        ("between 19 February and 23 March", "2015-02-19", "2015-03-23", "range"),
        ("in 2013", "2013-01-01", "2013-12-31", "year"),
    ],
)
def test_parse_date_expression(text: str, start: str, end: str, precision: str) -> None:
    assert parse_date_expression(text, PUBLISHED) == DateSpan(d(start), d(end), precision)


def test_may_the_verb_is_not_a_month() -> None:
    assert parse_date_expression("the fighting may spread to the coast", PUBLISHED) is None


def test_relative_dates_need_a_publication_date() -> None:
    assert parse_date_expression("on Friday", None) is None
    assert parse_date_expression("On 4 May 2020, a protest", None) == DateSpan(
        d("2020-05-04"), d("2020-05-04"), "day"
    )


def test_sentence_date_and_fallback(nlp) -> None:
    doc = nlp("The spokesman said on Friday that the shelling had stopped. Aid reached the town.")
    first, second = doc.sents
    assert resolve_date(first, PUBLISHED) == DateSpan(d("2015-11-20"), d("2015-11-20"), "day")
    assert resolve_date(second, PUBLISHED) == DateSpan(PUBLISHED, PUBLISHED, "published")
    assert resolve_date(second, None) == DateSpan()


def test_first_date_of_the_sentence_wins(nlp) -> None:
    sent = next(nlp("On 2 May 2020, villagers who had fled on 28 April returned.").sents)
    assert resolve_date(sent, None).start == d("2020-05-02")
