"""The engine's assembly of an Event (``assemble_event``) equals the reference it was made faster
from (``fusion_assembly_reference``, the rules as first written), field for field, on random
clusters of varied mentions: several mentions of one document, outlets shared and not, wire
copies (equal or near fingerprints, packed and not), figures of several kinds, units,
qualifiers and upper claims, metonymic and missing places, places of every precision, actors
that differ only in case, displacement (its place taken from where people fled), acled codes,
confidences outside 0..1, dates of every shape and none."""

from __future__ import annotations

import random

import fusion_assembly_reference as reference
import pytest
from test_fusion_candidates import RULES, random_mention

from tocsin.fusion.assembly import assemble_event
from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.profiles import build_profile, canonical_key
from tocsin.records import Actor, Counts


def _varied(rng: random.Random, n: int, wire: tuple[int, ...]) -> MentionInput:
    item = random_mention(rng, n)
    mention = item.mention
    item.document_id = f"d{rng.randrange(12)}"
    item.id = f"{item.document_id}:{n}"
    item.source = rng.choice([None, "Outlet A", "outlet  a", "B", "C", None])
    item.url = rng.choice([None, "https://www.a.example/x", "https://b.example/y"])
    roll = rng.random()
    if roll < 0.3:
        item.text_fingerprint = wire
    elif roll < 0.45:
        item.text_fingerprint = (*wire[:-1], rng.randrange(9))  # near: 7 lanes of 8 agree
    elif roll < 0.5:
        item.text_fingerprint = (2**40, *wire[1:])  # too wide to pack
    elif roll < 0.55:
        item.text_fingerprint = None
    if rng.random() < 0.15 and mention.location is not None:
        mention.location.metonym = True
    if rng.random() < 0.3:
        mention.acled = rng.choice([["Battles", "Armed clash"], ["Protests"], []])
    if rng.random() < 0.25:
        mention.event, mention.mode = "DISPLACEMENT", rng.choice([None, "flight"])
        if rng.random() < 0.7:
            mention.actor2 = Actor("people", rng.choice(["SYR", "TUR", None]), "CVL")
    if rng.random() < 0.2 and mention.actor1 is not None:
        mention.actor1 = Actor(rng.choice(["Army", "army", "ARMY"]), mention.actor1.country,
                               mention.actor1.sector, mention.actor1.group)  # fmt: skip
    if rng.random() < 0.2:
        mention.confidence = rng.choice([-0.2, 0.0, 1.0, 1.3, 0.95, 0.33])
    if rng.random() < 0.4:
        mention.counts = Counts(
            killed=rng.choice([None, 5, 6, 40]), injured=rng.choice([None, 2, 30]),
            displaced=rng.choice([None, 100, 3000]), qualifier=rng.choice([None, "at least"]),
            unit=rng.choice([None, None, "households", "people"]),
            upper={"killed": 60} if rng.random() < 0.3 else {},
        )  # fmt: skip
    if rng.random() < 0.08:
        mention.date = None
    if rng.random() < 0.08:
        item.published = None
    return item


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_assembly_equals_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    checked = 0
    for cluster in range(400):
        wire = tuple(rng.randrange(5) for _ in range(8))
        size = rng.choice([1, 1, 2, 2, 3, 4, 6, 9])
        items = sorted(
            (_varied(rng, cluster * 10 + k, wire) for k in range(size)), key=canonical_key
        )
        if len({item.id for item in items}) < size:
            continue
        profiles = [build_profile(k, item, RULES) for k, item in enumerate(items)]
        expected = reference.assemble_event(items, profiles, RULES)
        assert assemble_event(items, profiles, RULES) == expected
        checked += size > 1
    assert checked > 200


def test_source_groups_equal_the_reference() -> None:
    from tocsin.fusion.fingerprint import packed
    from tocsin.fusion.independence import source_groups

    rng = random.Random(4)
    for n in range(3000):
        wire = tuple(rng.randrange(3) for _ in range(8))
        documents = []
        for _ in range(rng.randrange(1, 9)):
            print_ = tuple(x if rng.random() < 0.9 else 7 for x in wire)
            choices = [packed(print_)] if n % 2 else [None, print_, packed(print_),
                                                      packed(print_[:4]), (2**40, *print_[1:])]
            documents.append((
                f"d{rng.randrange(10)}", rng.choice([None, None, "s:a", "s:b", "h:c"]),
                rng.choice(choices),
            ))  # fmt: skip
        threshold = rng.choice([0.5, 0.8, 1.0])
        assert source_groups(documents, threshold) == reference.source_groups(documents, threshold)
