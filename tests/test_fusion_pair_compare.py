"""The vectorised pair test equals the pure-Python ``compare``: on every pair of varied random
mention sets (places near borders, the antimeridian and a pole, vague places, unplaced mentions,
dates of every precision, symmetric modes, figures, fingerprints packed, short and too wide) the
verdicts and the scores are the same to the last bit, and so is the record of contradictions."""

from __future__ import annotations

import dataclasses
import itertools
import random

import numpy as np
import pytest
from test_fusion_candidates import RULES, profiles_of, random_mention

from tocsin.fusion.columns import Codes, columns_of
from tocsin.fusion.compatibility import compare, crosses_border
from tocsin.fusion.fingerprint import packed
from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.pair_compare import compare_pairs
from tocsin.fusion.profiles import Profile
from tocsin.fusion.rules import FusionRules
from tocsin.records import Actor, Counts


def _varied(rng: random.Random, n: int) -> MentionInput:
    item = random_mention(rng, n)
    roll = rng.random()
    if roll < 0.5:  # a full signature, with values shared now and then
        item.text_fingerprint = tuple(rng.randrange(3) for _ in range(RULES.minhash_permutations))
    elif roll < 0.55:
        item.text_fingerprint = (2**40,) * RULES.minhash_permutations  # too wide to pack
    elif roll < 0.6:
        item.text_fingerprint = None
    mention = item.mention
    if rng.random() < 0.3:
        mention.counts = Counts(killed=rng.choice([None, 3, 4, 30]),
                                injured=rng.choice([None, 10, 11, 60]))  # fmt: skip
    if rng.random() < 0.1:
        mention.actor1 = Actor("y", "", rng.choice([None, "", "MIL"]), "")
    if rng.random() < 0.05 and mention.location is not None:
        mention.location.country = ""
    return item


def _check(profiles: list[Profile], rules: FusionRules) -> int:
    codes = Codes()
    columns = columns_of(profiles, rules, codes)
    pairs = np.array(list(itertools.combinations(range(len(profiles)), 2)), dtype=np.int64)
    first, second = pairs[:, 0], pairs[:, 1]
    documents = [p.document for p in profiles]
    prints = [p.fingerprint for p in profiles]
    ok, scores, contradicting = compare_pairs(
        columns, first, second, rules, codes, documents, prints
    )
    accepted = 0
    for k, (x, y) in enumerate(pairs.tolist()):
        p, q = profiles[x], profiles[y]
        expected = compare(p, q, rules)
        assert bool(ok[k]) == (expected is not None), (p, q)
        if expected is not None:
            accepted += 1
            assert float(scores[k]) == expected, (p, q)
        else:
            recorded = not (p.weak or q.weak or crosses_border(p, q))
            assert bool(contradicting[k]) == recorded
    return accepted


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_vectorised_verdicts_and_scores_equal_compare(seed: int) -> None:
    rng = random.Random(seed)
    profiles = profiles_of([_varied(rng, n) for n in range(500)])
    assert _check(profiles, RULES) > 400


def test_equal_under_other_rules() -> None:
    """Rules that reach other branches: one signal is enough, no text weight, no sector term,
    every family required to name its actors."""
    rules = dataclasses.replace(
        RULES,
        min_signals=1,
        score_weights={**RULES.score_weights, "text": 0.0, "sector": 0.0},
        required_signals={"violence": frozenset({"actor1"})},
        contradict_on=("country",),
    )
    rng = random.Random(11)
    profiles = profiles_of([_varied(rng, n) for n in range(300)])
    assert _check(profiles, rules) > 100


def test_packed_lanes_compare_like_similarity() -> None:
    rng = random.Random(3)
    profiles = profiles_of([_varied(rng, n) for n in range(60)])
    width = RULES.minhash_permutations
    for p in profiles:
        p.fingerprint = packed(tuple(rng.randrange(2) for _ in range(width)))
    assert _check(profiles, RULES) >= 0


def test_equal_without_kinds_of_count() -> None:
    """No kinds of count at all: no pair shares or contradicts a figure."""
    rules = dataclasses.replace(RULES, count_kinds=())
    rng = random.Random(12)
    profiles = [
        dataclasses.replace(p, counts=())
        for p in profiles_of([_varied(rng, n) for n in range(200)])
    ]
    assert _check(profiles, rules) > 50


def test_rows_any_equals_numpy_any() -> None:
    from tocsin.fusion.pair_compare import _any

    draw = np.random.default_rng(5)
    for columns in (0, 1, 3, 5):
        rows = draw.random((300, columns)) < 0.2
        assert _any(rows).tolist() == rows.any(axis=1).tolist()
