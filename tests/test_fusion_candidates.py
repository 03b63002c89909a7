"""Candidate pairs of fusion: every pair ``compare`` accepts is a candidate (checked against
comparing every pair of a varied random set), candidates come once each, and the blocking
still leaves out pairs that cannot fuse (far apart, other mode group, disjoint dates)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from tocsin.fusion import MentionInput, fuse, load_rules
from tocsin.fusion.candidates import candidate_pairs
from tocsin.fusion.compatibility import compare
from tocsin.fusion.fingerprint import packed, similarity
from tocsin.fusion.profiles import Profile, build_profile, canonical_key
from tocsin.records import Actor, Counts, DateSpan, EventMention, Evidence, Place

RULES = load_rules()
# (country, latitude, longitude, admin1): two neighbours near one border, a town near the
# antimeridian and one near the pole, so that cells wrap and widen.
SPOTS = [
    ("SYR", 36.2, 37.1, "SY02"), ("SYR", 36.9, 38.6, "SY09"), ("TUR", 36.6, 37.4, "TR83"),
    ("TUR", 37.0, 35.3, "TR81"), ("FJI", -16.5, 179.95, "FJ03"), ("FJI", -16.6, -179.9, "FJ03"),
    ("NOR", 88.5, 20.0, "NO21"), ("NOR", 88.9, -160.0, "NO21"),
]  # fmt: skip
KINDS = [
    ("ASSAULT", "aerial"), ("ASSAULT", "shelling"), ("ASSAULT", "explosive"), ("ASSAULT", "clash"),
    ("ASSAULT", None), ("ASSAULT", "attack"), ("DISPLACEMENT", "flight"), ("PROTEST", None),
    ("ACCUSE", None),
]  # fmt: skip
PRECISIONS = ["point", "town", "admin2", "region", "admin1", "country"]


def random_mention(rng: random.Random, n: int) -> MentionInput:
    country, lat, lon, admin1 = rng.choice(SPOTS)
    lat, lon = lat + rng.uniform(-0.5, 0.5), lon + rng.uniform(-0.5, 0.5)
    lon = (lon + 180.0) % 360.0 - 180.0
    roll = rng.random()
    place: Place | None = Place("somewhere", 0, 9, 0, f"P{rng.randrange(12)}", None, country,
                                admin1, lat, lon, rng.choice(PRECISIONS))  # fmt: skip
    if roll < 0.08:
        place = None
    elif roll < 0.16:
        place = Place("somewhere", 0, 9, 0, "Nowhere", None, None, None, lat, lon, "town")
    elif roll < 0.24:
        place = Place("somewhere", 0, 9, 0, f"P{rng.randrange(4)}", None, country, admin1,
                      None, None, rng.choice(PRECISIONS))  # fmt: skip
    day = dt.date(2025, 5, 1) + dt.timedelta(days=rng.randrange(20))
    shape = rng.random()
    if shape < 0.6:
        date = DateSpan(day, day, "day")
    elif shape < 0.75:
        date = DateSpan(day, day + dt.timedelta(days=rng.randrange(1, 6)), "range")
    elif shape < 0.9:
        date = DateSpan(day, day, "published")
    else:
        date = DateSpan(day, day + dt.timedelta(days=rng.choice([3, 9])), "week")
    event, mode = rng.choice(KINDS)

    def actor() -> Actor | None:
        if rng.random() < 0.3:
            return None
        country = rng.choice([None, "SYR", "TUR", "RUS"])
        sector = rng.choice([None, "MIL", "REB", "CVL"])
        return Actor("x", country, sector, rng.choice([None, "g1"]))

    document = f"d{n // 2}"
    mention = EventMention(
        event=event,
        mode=mode,
        acled=None,
        evidence=Evidence(document, "a sentence", 0, 10),
        actor1=actor(),
        actor2=actor(),
        location=place,
        date=date,
        counts=Counts(killed=rng.choice([None, 3, 4])),
        confidence=0.6,
    )
    return MentionInput(
        id=f"{document}:{n % 2}",
        mention=mention,
        document_id=document,
        text_fingerprint=tuple(rng.randrange(4) for _ in range(8)),
        source=f"outlet{rng.randrange(5)}",
        url=None,
        published=day + dt.timedelta(days=rng.randrange(3)),
    )


def profiles_of(items: list[MentionInput]) -> list[Profile]:
    ordered = sorted(items, key=canonical_key)
    return [build_profile(i, item, RULES) for i, item in enumerate(ordered)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_pair_compare_accepts_is_a_candidate_once(seed: int) -> None:
    rng = random.Random(seed)
    profiles = profiles_of([random_mention(rng, n) for n in range(700)])
    found = list(candidate_pairs(profiles, RULES))
    assert len(found) == len(set(found))
    assert all(i < j for i, j in found)
    accepted = {
        (p.index, q.index)
        for p, q in itertools.combinations(profiles, 2)
        if compare(p, q, RULES) is not None
    }
    assert len(accepted) > 300  # the random set does exercise fusion
    assert accepted <= set(found)


def one(
    lat: float,
    lon: float,
    day: int,
    mode: str | None = "aerial",
    n: int = 0,
    precision: str = "town",
    event: str = "ASSAULT",
) -> MentionInput:
    when = dt.date(2025, 3, day)
    place = Place("t", 0, 1, 0, f"T{n}", None, "SYR", "SY02", lat, lon, precision)
    mention = EventMention(event=event, evidence=Evidence(f"doc{n}", "s", 0, 1), mode=mode,
                           location=place, date=DateSpan(when, when, "day"))  # fmt: skip
    return MentionInput(f"doc{n}:0", mention, f"doc{n}", None, f"o{n}", None, when)


def test_blocking_leaves_out_pairs_that_cannot_fuse() -> None:
    items = [
        one(36.20, 37.10, 10, n=0),
        one(36.25, 37.12, 10, n=1),  # a few km away, same day: a candidate
        one(38.90, 37.10, 10, n=2),  # 300 km north: too far for towns
        one(36.21, 37.11, 20, n=3),  # ten days later: windows disjoint
        one(36.22, 37.10, 10, mode="explosive", n=4),  # an IED is not an air strike
        one(36.22, 37.13, 10, mode=None, n=5),  # no mode: compatible with any
        one(38.90, 37.10, 11, n=6, precision="admin1"),  # same admin1: contains the towns
    ]
    profiles = profiles_of(items)
    index = {p.id: p.index for p in profiles}
    found = set(candidate_pairs(profiles, RULES))

    def pair(a: int, b: int) -> tuple[int, int]:
        x, y = index[f"doc{a}:0"], index[f"doc{b}:0"]
        return (x, y) if x < y else (y, x)

    assert pair(0, 1) in found
    assert pair(0, 5) in found and pair(4, 5) in found
    assert pair(0, 6) in found and pair(2, 6) in found
    assert pair(0, 2) not in found
    assert pair(0, 3) not in found
    assert pair(0, 4) not in found
    assert len(fuse(items)) < len(items)


def test_packed_fingerprints_compare_like_the_signatures() -> None:
    rng = random.Random(5)
    for _ in range(300):
        first = tuple(rng.randrange(2**32) for _ in range(16))
        second = tuple(v if rng.random() < 0.5 else rng.randrange(2**32) for v in first)
        expected = sum(a == b for a, b in zip(first, second, strict=True)) / 16
        assert similarity(packed(first), packed(second)) == expected
        assert similarity(packed(first), second) == expected
    assert similarity(packed((1, 2)), packed((1, 2, 3))) == 0.0
    assert packed((2**40, 1)) == (2**40, 1)  # too wide to pack: kept as it is
    assert packed(()) is None



def test_merged_runs_equal_sorting_them_together() -> None:
    """Filed entries kept in key order across chunks: merging the kept run with a later chunk's
    (whose windows start no earlier) is the order of sorting both together."""
    import numpy as np

    from tocsin.fusion.candidates import Entries, in_key_order, merged
    from tocsin.fusion.columns import Codes, columns_of

    rng = random.Random(3)
    profiles = profiles_of([random_mention(rng, n) for n in range(400)])
    profiles.sort(key=lambda p: p.start if p.start is not None else -1)
    c = columns_of(profiles, RULES, Codes())
    draw = np.random.default_rng(3)
    for cut in (0, 1, 150, 399, 400):
        rows = np.repeat(np.arange(len(profiles)), draw.integers(1, 4, len(profiles)))
        keys = draw.integers(0, 30, len(rows)) * (2**40)
        first = Entries(keys[rows < cut], rows[rows < cut])
        second = Entries(keys[rows >= cut], rows[rows >= cut])
        found = merged(c, in_key_order(c, first), in_key_order(c, second))
        expected = in_key_order(c, Entries(keys, rows))
        assert found.keys.tolist() == expected.keys.tolist()
        assert found.rows.tolist() == expected.rows.tolist()
