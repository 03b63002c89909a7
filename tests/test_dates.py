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
    ("published", "text", "start", "end", "precision"),
    [
        # read against a Saturday's publication
        ("2015-11-21", "on 12 March 2015", "2015-03-12", "2015-03-12", "day"),
        ("2015-11-21", "on March 12, 2014", "2014-03-12", "2014-03-12", "day"),
        ("2015-11-21", "12/03/2015", "2015-03-12", "2015-03-12", "day"),
        ("2015-11-21", "03/25/2015", "2015-03-25", "2015-03-25", "day"),
        ("2015-11-21", "2015-03-12", "2015-03-12", "2015-03-12", "day"),
        ("2015-11-21", "March 12", "2015-03-12", "2015-03-12", "day"),
        ("2015-11-21", "on 3 December", "2014-12-03", "2014-12-03", "day"),
        ("2015-11-21", "on Friday", "2015-11-20", "2015-11-20", "day"),
        ("2015-11-21", "on Sunday night", "2015-11-15", "2015-11-15", "day"),
        ("2015-11-21", "last Saturday", "2015-11-14", "2015-11-14", "day"),
        ("2015-11-21", "yesterday", "2015-11-20", "2015-11-20", "day"),
        ("2015-11-21", "today", "2015-11-21", "2015-11-21", "day"),
        ("2015-11-21", "overnight", "2015-11-20", "2015-11-21", "range"),
        ("2015-11-21", "in the last 3 days", "2015-11-18", "2015-11-21", "range"),
        ("2015-11-21", "For the last three days", "2015-11-18", "2015-11-21", "range"),
        ("2015-11-21", "this week", "2015-11-16", "2015-11-21", "week"),
        ("2015-11-21", "last week", "2015-11-09", "2015-11-15", "week"),
        ("2015-11-21", "earlier this month", "2015-11-01", "2015-11-21", "month"),
        ("2015-11-21", "last month", "2015-10-01", "2015-10-31", "month"),
        ("2015-11-21", "in March", "2015-03-01", "2015-03-31", "month"),
        ("2015-11-21", "in December", "2014-12-01", "2014-12-31", "month"),
        ("2015-11-21", "between 19 February and 23 March", "2015-02-19", "2015-03-23", "range"),
        ("2015-11-21", "in 2013", "2013-01-01", "2013-12-31", "year"),
        # expressions of the event-date work (issue 16), against a Wednesday's publication
        ("2024-06-12", "Last Wednesday", "2024-06-05", "2024-06-05", "day"),
        ("2024-06-12", "Since March", "2024-03-01", "2024-03-31", "month"),
        ("2024-06-12", "Between 3 and 5 May", "2024-05-03", "2024-05-05", "range"),
        ("2024-06-12", "on the night of 3 to 4 May", "2024-05-03", "2024-05-04", "range"),
        ("2024-06-12", "on the night of Friday to Saturday", "2024-06-07", "2024-06-08", "range"),
        ("2024-06-12", "earlier in the week", "2024-06-10", "2024-06-12", "week"),
        ("2024-06-12", "the day before.", "2024-06-11", "2024-06-11", "day"),
        ("2024-06-12", "two days later", "2024-06-14", "2024-06-14", "day"),
        ("2024-06-12", "since then", "2024-06-12", "2024-06-12", "range"),
    ],
)
def test_parse_date_expression(published: str, text: str, start: str, end: str,
                               precision: str) -> None:
    assert parse_date_expression(text, d(published)) == DateSpan(d(start), d(end), precision)


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


def test_relative_days_count_from_an_anchor_when_given() -> None:
    anchor = DateSpan(d("2024-01-10"), d("2024-01-10"), "day")
    (match,) = READER.find_dates("A day earlier, the convoy left.", d("2024-06-12"),
                                 anchor=anchor)
    assert match.span == DateSpan(d("2024-01-09"), d("2024-01-09"), "day")
    (since,) = READER.find_dates("Since then, 800 died.", d("2024-06-12"), anchor=anchor)
    assert since.span == DateSpan(d("2024-01-10"), d("2024-06-12"), "range")


def test_the_future_reads_a_day_without_a_year_forward() -> None:
    published = d("2018-02-20")
    (past,) = READER.find_dates("on 3 March", published)
    (ahead,) = READER.find_dates("on 3 March", published, future=True)
    assert past.span is not None and past.span.start == d("2017-03-03")
    assert ahead.span is not None and ahead.span.start == d("2018-03-03")


def test_a_place_named_may_is_no_month() -> None:
    assert READER.find_dates("Militants burned houses in May Kadra.", d("2020-11-14")) == []


def test_a_date_span_records_its_expression_without_changing_equality() -> None:
    (match,) = READER.find_dates("on Sunday night", d("2015-11-21"))
    assert match.span is not None and match.span.text == "on Sunday night"
    assert match.span == DateSpan(d("2015-11-15"), d("2015-11-15"), "day")
