"""Counts: figures tied to what they count through the parse, qualifiers, units, conventions."""

from __future__ import annotations

import pytest

from tocsin.mentions.counts import CountRules, merge_counts
from tocsin.records import Counts
from tocsin.resources import shared_resources

RULES = CountRules.load()
extract_counts = RULES.extract_counts
parse_quantity = RULES.parse_quantity


@pytest.fixture(scope="session")
def nlp():
    return shared_resources().nlp


def counts_of(nlp, text: str, **kwargs) -> Counts:
    return extract_counts(next(nlp(text).sents), **kwargs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("more than 1,500", (1500, "more than")),
        ("at least 31", (31, "at least")),
        ("twenty-five", (25, None)),
        ("a dozen", (12, None)),
        ("three", (3, None)),
        ("nine hundred and twenty-one", (921, None)),
        ("2.3 million", (2300000, None)),
        ("10 to 15", (10, "at least")),
        ("between 10 and 15", (10, "at least")),
        ("8-10", (8, "at least")),
        ("dozens", (24, "at least")),
        ("around 400", (400, "around")),
        ("nearly 60", (60, "nearly")),
        ("up to 90", (90, "up to")),
        ("a number of", (None, None)),
        ("nothing here", (None, None)),
    ],
)
def test_parse_quantity(text: str, expected: tuple[int | None, str | None]) -> None:
    assert parse_quantity(text) == expected


def test_parse_quantity_acled_conventions() -> None:
    assert parse_quantity("dozens", acled_conventions=True) == (12, None)
    assert parse_quantity("hundreds", acled_conventions=True) == (100, None)
    assert parse_quantity("several", acled_conventions=True) == (10, None)


def test_displacement_figure_with_qualifier(nlp) -> None:
    counts = counts_of(nlp, "More than 2,300 villagers have fled to the hills in the last 4 days.")
    assert counts.displaced == 2300
    assert counts.qualifier == "more than"
    assert counts.unit == "people"
    assert counts.killed is None


def test_forecast_figure_is_still_read(nlp) -> None:
    counts = counts_of(nlp, "The offensive may cause 20,000 residents to flee to the coast.")
    assert counts.displaced == 20000


def test_residents_living_somewhere_are_not_displaced(nlp) -> None:
    counts = counts_of(
        nlp, "The valley has around 40 small villages and around 80,000 people living there."
    )
    assert counts == Counts()


def test_passive_and_active_killing(nlp) -> None:
    assert counts_of(nlp, "Seven farmers were killed in the raid.").killed == 7
    assert counts_of(nlp, "Gunmen attacked the market, killing 12 traders.").killed == 12


def test_two_figures_of_one_type_add_up(nlp) -> None:
    counts = counts_of(
        nlp, "4 soldiers were killed by a mine and 2 were killed by sniper fire, and 5 others "
        "were injured."
    )
    assert counts.killed == 6
    assert counts.injured == 5


def test_death_toll_and_state_words(nlp) -> None:
    assert counts_of(nlp, "The death toll rose to 17.").killed == 17
    assert counts_of(nlp, "The explosion left 8 dead.").killed == 8


def test_singular_victim_counts_one(nlp) -> None:
    assert counts_of(nlp, "Unknown gunmen shot dead a teacher near the school.").killed == 1


def test_years_and_ages_are_not_counts(nlp) -> None:
    counts = counts_of(nlp, "In 2019 a 45-year-old trader was arrested by police.")
    assert counts.arrested == 1
    assert counts.killed is None


def test_households_stay_households(nlp) -> None:
    counts = counts_of(nlp, "About 650 families were displaced by the floods.")
    assert counts.displaced == 650
    assert counts.unit == "households"


def test_arrest_range_is_conservative(nlp) -> None:
    counts = counts_of(nlp, "Police arrested between 20 and 30 protesters.")
    assert counts.arrested == 20
    assert counts.qualifier == "at least"


def test_vague_figures_follow_the_convention(nlp) -> None:
    text = "Fighters clashed in the hills, wounding dozens."
    assert counts_of(nlp, text).injured == 24
    assert counts_of(nlp, text, acled_conventions=True).injured == 12


def test_coded_statement_in_an_acled_style_note(nlp) -> None:
    text = "Troops shelled the positions and killed 12 fighters; fatalities coded as 10."
    assert counts_of(nlp, text, acled_conventions=True).killed == 10
    assert counts_of(nlp, text).killed == 12


def test_merge_takes_the_largest_figure() -> None:
    merged = merge_counts([Counts(killed=4), Counts(killed=2, injured=3)])
    assert (merged.killed, merged.injured) == (4, 3)
