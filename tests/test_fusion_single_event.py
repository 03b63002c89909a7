"""A cluster of one mention takes a shortcut in assembly; its Event equals the general rules'
(``assemble_many``) field for field, over varied mentions: no place, metonymic places, acled
codes, figures and upper claims, confidences outside 0..1, displacement (a family that crosses
borders), every shape of date, undated ones."""

from __future__ import annotations

import random

import pytest
from test_fusion_candidates import RULES, random_mention

from tocsin.fusion.assembly import assemble_event, assemble_many
from tocsin.fusion.profiles import build_profile
from tocsin.records import Counts


@pytest.mark.parametrize("seed", [1, 2])
def test_one_mention_event_equals_the_general_rules(seed: int) -> None:
    rng = random.Random(seed)
    for n in range(600):
        item = random_mention(rng, n)
        mention = item.mention
        if rng.random() < 0.2 and mention.location is not None:
            mention.location.metonym = True
        if rng.random() < 0.3:
            mention.acled = rng.choice([["Battles", "Armed clash"], ["Protests"], []])
        if rng.random() < 0.2:
            mention.event, mention.mode = "DISPLACEMENT", rng.choice([None, "flight"])
        if rng.random() < 0.2:
            mention.confidence = rng.choice([-0.2, 0.0, 1.0, 1.3, 0.95])
        if rng.random() < 0.3:
            mention.counts = Counts(killed=rng.choice([None, 5]), injured=rng.choice([None, 2]),
                                    upper={"killed": 40} if rng.random() < 0.5 else {})  # fmt: skip
        if rng.random() < 0.1:
            mention.date = None
        if rng.random() < 0.1:
            item.published = None
        profile = build_profile(0, item, RULES)
        fast = assemble_event([item], [profile], RULES)
        assert fast == assemble_many([item], [profile], RULES), item
