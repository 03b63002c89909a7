"""Incident boundaries in fusion (issue 16): dates by precision, provinces, no chaining.

Unit tests of the pairwise test (``compare``) and of ``fuse`` on hand-made mentions; the
reports of the issue, rewritten, go through the product in ``test_fusion_boundaries_product.py``.
"""

from __future__ import annotations

import datetime as dt
import random
from itertools import combinations

import pytest

from tocsin.fusion import MentionInput, fuse
from tocsin.fusion.compatibility import compare
from tocsin.fusion.profiles import build_profile
from tocsin.fusion.rules import default_rules
from tocsin.records import Actor, DateSpan, EventMention, Evidence, Place

RULES = default_rules()

KHARKIV = Place("Kharkiv", 0, 7, 0, "Kharkiv", 706483, "UKR", "Kharkiv", 49.98, 36.25, "town")
ODESA = Place("Odesa", 0, 5, 0, "Odesa", 698740, "UKR", "Odessa", 46.48, 30.73, "town")
UKRAINE = Place("Ukraine", 0, 7, 0, "Ukraine", 690791, "UKR", None, 49.0, 32.0, "country")
KREMENCHUK = Place("Kremenchuk", 0, 10, 0, "Kremenchuk", 704147, "UKR", "Poltava", 49.07,
                   33.42, "town")  # fmt: skip
DNIPRO_REGION = Place("Dnipropetrovsk region", 0, 14, 0, "Dnipropetrovsk", 709929, "UKR",
                      "Dnipropetrovsk", 48.5, 34.0, "admin1")  # fmt: skip
POLTAVA_REGION = Place("Poltava region", 0, 14, 0, "Poltava", 696634, "UKR", "Poltava", 49.6,
                       34.3, "admin1")  # fmt: skip
RUSSIA = Actor("Russian drones", "RUS", "MIL")


def _day(day: int, month: int = 6) -> DateSpan:
    return DateSpan(dt.date(2025, month, day), dt.date(2025, month, day), "day")


def _mention(place: Place | None, date: DateSpan | None, actor1: Actor | None = RUSSIA,
             mode: str = "aerial", event: str = "ASSAULT") -> EventMention:  # fmt: skip
    return EventMention(event=event, mode=mode, evidence=Evidence("doc", "s", 0, 1),
                        actor1=actor1, location=place, date=date)  # fmt: skip


def _input(mid: str, mention: EventMention, published: dt.date | None = None) -> MentionInput:
    return MentionInput(id=mid, mention=mention, document_id=mid.split(":")[0],
                        published=published or dt.date(2025, 6, 30))  # fmt: skip


def _compatible(a: MentionInput, b: MentionInput) -> bool:
    return compare(build_profile(0, a, RULES), build_profile(1, b, RULES), RULES) is not None


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (_day(5), _day(5), True),
        (_day(5), _day(6), True),  # a day within one day
        (_day(5), _day(7), False),  # two days apart: two incidents
        (DateSpan(dt.date(2025, 6, 5), dt.date(2025, 6, 6), "range"), _day(7), True),
        (DateSpan(dt.date(2025, 6, 5), dt.date(2025, 6, 6), "range"),
         DateSpan(dt.date(2025, 6, 6), dt.date(2025, 6, 9), "range"), True),  # overlapping
        (DateSpan(dt.date(2025, 6, 1), dt.date(2025, 6, 3), "range"),
         DateSpan(dt.date(2025, 6, 4), dt.date(2025, 6, 9), "range"), False),  # not overlapping
        (DateSpan(dt.date(2025, 6, 2), dt.date(2025, 6, 8), "week"), _day(8), True),
        (DateSpan(dt.date(2025, 6, 2), dt.date(2025, 6, 8), "week"), _day(11), False),
        (DateSpan(dt.date(2025, 6, 1), dt.date(2025, 6, 30), "month"), _day(29), True),
        (DateSpan(dt.date(2025, 6, 1), dt.date(2025, 6, 30), "month"), _day(2, month=7), False),
    ],
)  # fmt: skip
def test_dates_compatible_by_precision(first: DateSpan, second: DateSpan, expected: bool) -> None:
    a = _input("a:0", _mention(KHARKIV, first))
    b = _input("b:0", _mention(KHARKIV, second))
    assert _compatible(a, b) is expected


def test_a_date_known_from_publication_covers_the_publication_day_and_three_before() -> None:
    published = dt.date(2025, 6, 10)
    undated = _input("a:0", _mention(KHARKIV, DateSpan(published, published, "published")),
                     published)  # fmt: skip
    assert _compatible(undated, _input("b:0", _mention(KHARKIV, _day(10))))
    assert _compatible(undated, _input("b:0", _mention(KHARKIV, _day(6))))  # 3 days + 1 day
    assert not _compatible(undated, _input("b:0", _mention(KHARKIV, _day(5))))
    no_date = _input("c:0", _mention(KHARKIV, None), published)
    assert _compatible(no_date, _input("b:0", _mention(KHARKIV, _day(8))))
    assert not _compatible(no_date, _input("b:0", _mention(KHARKIV, _day(2))))


def test_a_province_holds_its_own_towns_only_however_close_another_lies() -> None:
    # Kremenchuk (Poltava region) lies within 150 km of the Dnipropetrovsk region's centre.
    town = _input("a:0", _mention(KREMENCHUK, _day(5)))
    assert not _compatible(town, _input("b:0", _mention(DNIPRO_REGION, _day(5))))
    assert _compatible(town, _input("b:0", _mention(POLTAVA_REGION, _day(5))))


def test_far_towns_of_one_document_never_fuse_even_with_every_signal() -> None:
    a = _input("doc:0", _mention(KHARKIV, _day(12, 8)))
    b = _input("doc:1", _mention(ODESA, _day(12, 8)))
    assert not _compatible(a, b)
    assert len(fuse([a, b])) == 2


def test_country_level_mention_does_not_glue_two_towns() -> None:
    """The country-level sentence is compatible with both towns (same day, actor, mode,
    document); it may join one of them, never both."""
    items = [
        _input("doc:0", _mention(KHARKIV, _day(12, 8))),
        _input("doc:1", _mention(UKRAINE, _day(12, 8))),
        _input("doc:2", _mention(ODESA, _day(12, 8))),
    ]
    assert _compatible(items[0], items[1]) and _compatible(items[1], items[2])
    events = fuse(items)
    assert len(events) == 2
    where = {r.mention: e.location.name for e in events for r in e.mentions if e.location}
    assert where["doc:0"] != where["doc:2"]


def test_dates_do_not_chain_through_a_vaguer_report() -> None:
    """Day 5 ~ publication window (6..9) ~ day 9, but days 5 and 9 are two incidents."""
    published = dt.date(2025, 6, 9)
    early = _input("a:0", _mention(KHARKIV, _day(5)))
    vague = _input("b:0", _mention(KHARKIV, DateSpan(published, published, "published")),
                   published)  # fmt: skip
    late = _input("c:0", _mention(KHARKIV, _day(9)))
    assert _compatible(early, vague) and _compatible(vague, late)
    assert not _compatible(early, late)
    events = fuse([early, vague, late])
    assert len(events) == 2
    assert not any({"a:0", "c:0"} <= {r.mention for r in e.mentions} for e in events)


def _random_mention(rng: random.Random) -> EventMention:
    place = rng.choice([KHARKIV, ODESA, UKRAINE, KREMENCHUK, DNIPRO_REGION, POLTAVA_REGION, None])
    start = dt.date(2025, 6, 1) + dt.timedelta(days=rng.randrange(20))
    precision = rng.choice(["day", "day", "day", "range", "week", "published", "month"])
    if precision == "range":
        date = DateSpan(start, start + dt.timedelta(days=rng.randrange(1, 4)), "range")
    elif precision == "week":
        monday = start - dt.timedelta(days=start.weekday())
        date = DateSpan(monday, monday + dt.timedelta(days=6), "week")
    elif precision == "month":
        date = DateSpan(dt.date(2025, 6, 1), dt.date(2025, 6, 30), "month")
    else:
        date = DateSpan(start, start, precision)
    actor = rng.choice([RUSSIA, None])
    return _mention(place, date, actor, mode=rng.choice(["aerial", "shelling"]))


def test_no_event_holds_two_incompatible_mentions() -> None:
    """Whatever the mix, every two mentions of one Event pass the pairwise test's hard part."""
    rng = random.Random(16)
    for _ in range(20):
        items = [
            _input(f"d{rng.randrange(6)}:{n}", _random_mention(rng),
                   dt.date(2025, 6, 1) + dt.timedelta(days=rng.randrange(25)))
            for n in range(40)
        ]  # fmt: skip
        by_id = {item.id: item for item in items}
        for event in fuse(items):
            for a, b in combinations([r.mention for r in event.mentions], 2):
                p = build_profile(0, by_id[a], RULES)
                q = build_profile(1, by_id[b], RULES)
                assert compare(p, q, RULES, hard_only=True) is not None, (a, b)
