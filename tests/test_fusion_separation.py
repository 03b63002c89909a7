"""Groups fusion can fuse apart (``tocsin.fusion.separation``): every pair ``compare`` accepts
lies within one group (checked against comparing every pair of a varied random set, with
unplaced mentions, empty countries and a family that crosses borders), corrections keep their
mentions together, and fusing group by group gives the Events of fusing everything at once."""

from __future__ import annotations

import itertools
import random

import pytest
from test_fusion_candidates import RULES, profiles_of, random_mention

from tocsin.fusion import Corrections, MentionInput, fuse, fuse_linked
from tocsin.fusion.compatibility import compare
from tocsin.fusion.separation import separate_groups
from tocsin.incremental_fusion import linked_components


def _names_a_country(item: MentionInput) -> bool:
    m = item.mention
    actors = [a for a in (m.actor1, m.actor2) if a is not None and a.country]
    return bool((m.location is not None and m.location.country) or actors)


@pytest.mark.parametrize(("seed", "every_mention"), [(1, True), (2, True), (3, False), (4, False)])
def test_every_pair_compare_accepts_lies_in_one_group(seed: int, every_mention: bool) -> None:
    rng = random.Random(seed)
    items = [random_mention(rng, n) for n in range(700)]
    if not every_mention:  # an unplaced mention naming no country joins its whole family
        items = [i for i in items if _names_a_country(i)]
    groups = separate_groups({i.id: i for i in items}, RULES, size=1)
    group_of = {m: n for n, group in enumerate(groups) for m in group}
    assert sorted(group_of) == sorted(i.id for i in items)
    assert len(groups) >= (4 if every_mention else 8)  # the set really is split
    accepted = [
        (p.id, q.id)
        for p, q in itertools.combinations(profiles_of(items), 2)
        if compare(p, q, RULES) is not None
    ]
    assert len(accepted) > 300
    assert all(group_of[a] == group_of[b] for a, b in accepted)


def test_groups_are_packed_and_keep_corrections_together() -> None:
    rng = random.Random(4)
    items = {i.id: i for i in (random_mention(rng, n) for n in range(400))}
    apart = separate_groups(items, RULES, size=1)
    a, b = apart[0][0], apart[-1][0]
    tied = separate_groups(items, RULES, [[a, b]], size=1)
    assert len(tied) < len(apart)
    assert any(a in g and b in g for g in tied)
    packed = separate_groups(items, RULES, size=150)
    assert all(len(g) >= 150 for g in packed[:-1]) and len(packed) < len(apart)


def test_fusing_group_by_group_gives_the_events_and_components_of_fusing_all() -> None:
    rng = random.Random(5)
    items = [random_mention(rng, n) for n in range(600)]
    whole, links = fuse_linked(items)
    assert [e.to_dict() for e in whole] == [e.to_dict() for e in fuse(items)]
    by_id = {i.id: i for i in items}
    parts = []
    components: dict[str, str] = {}
    for group in separate_groups(by_id, RULES, size=50):
        events, found = fuse_linked([by_id[m] for m in group])
        parts.extend(events)
        components.update(linked_components(group, found, Corrections([])))
    key = lambda e: e["id"]  # noqa: E731
    assert sorted((e.to_dict() for e in parts), key=key) == sorted(
        (e.to_dict() for e in whole), key=key
    )
    assert components == linked_components(by_id, links, Corrections([]))
    assert len(set(components.values())) < len(items)
