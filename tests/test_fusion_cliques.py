"""Components of compatible pairs in which every two members are compatible skip the greedy
loop: ``whole_cliques`` finds exactly them, and clustering them through the loop gives each one
cluster (so the shortcut changes no Event)."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from tocsin.fusion.clustering import cluster, whole_cliques
from tocsin.fusion.corrections import Constraints


def test_whole_cliques_are_complete_components_of_two_or_more() -> None:
    pairs = [(0, 1), (0, 2), (1, 2), (3, 4), (5, 6), (6, 7), (9, 10), (9, 11), (10, 11), (11, 12)]
    firsts = np.array([a for a, _ in pairs])
    seconds = np.array([b for _, b in pairs])
    inside, groups = whole_cliques(14, firsts, seconds)
    assert groups == [[0, 1, 2], [3, 4]]
    assert inside.tolist() == [True, True, True, True] + [False] * 6


def test_repeated_pairs_are_refused() -> None:
    with pytest.raises(ValueError):
        whole_cliques(3, np.array([0, 1, 0]), np.array([1, 0, 2]))


class _Distinct:
    """A profile whose signature is its own (so every pair of members is checked)."""

    def __init__(self, index: int) -> None:
        self.index = index

    def signature(self) -> tuple[object, ...]:
        return (self.index,)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_loop_makes_each_whole_clique_one_cluster(seed: int) -> None:
    rng = random.Random(seed)
    size = 100
    pairs = [(i, j) for i, j in itertools.combinations(range(80), 2) if rng.random() < 0.03]
    for planted in ([80, 81, 82], [83, 84], [85, 86, 87, 88]):  # whole cliques
        pairs += list(itertools.combinations(planted, 2))
    pairs += [(89, 90), (90, 91), (92, 93), (92, 94), (93, 94), (94, 95)]  # not whole
    firsts, seconds = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    allowed = set(pairs)
    rng.shuffle(pairs)
    groups = cluster(
        [_Distinct(i) for i in range(size)],  # type: ignore[misc]
        pairs,
        lambda x, y: x == y or (min(x, y), max(x, y)) in allowed,
        Constraints(together=[], apart={}),
    )
    inside, cliques = whole_cliques(size, firsts, seconds)
    assert {82, 84, 88} <= {clique[-1] for clique in cliques}
    assert all(clique in groups for clique in cliques)
    members = {i for clique in cliques for i in clique}
    assert members.isdisjoint(range(89, 96))
    assert all((a in members) == bool(k) for a, k in zip(firsts, inside, strict=True))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_clustering_component_by_component_equals_all_at_once(seed: int) -> None:
    """Pairs given component by component (each left once it is one cluster) give the clusters
    of all the pairs best first: on random graphs, scores with ties, and a compatibility that
    refuses some merges (so components end as one cluster or as several)."""
    from tocsin.fusion.clustering import components_of
    from tocsin.fusion.streaming import _best_first, _by_component

    rng = random.Random(seed)
    size = 140
    pairs = [(i, j) for i, j in itertools.combinations(range(100), 2) if rng.random() < 0.02]
    for planted in (range(100, 106), range(110, 114)):  # dense groups
        pairs += [p for p in itertools.combinations(planted, 2) if p not in pairs]
    # Chains that become one cluster (every two members compatible, not whole cliques).
    chains = [(120, 121), (121, 122), (130, 131), (131, 132), (132, 133), (130, 132)]
    pairs += chains
    firsts = np.array([a for a, _ in pairs], dtype=np.int64)
    seconds = np.array([b for _, b in pairs], dtype=np.int64)
    scores = np.array([rng.choice([0.5, 0.75, 1.0, rng.random()]) for _ in pairs])
    allowed = set(pairs) | {p for p in itertools.combinations(range(size), 2) if rng.random() < 0.3}
    allowed |= {(120, 122), (130, 133), (131, 133)}
    refused = {p for p in allowed if rng.random() < 0.15 and p[0] < 120}

    def compatible(x: int, y: int) -> bool:
        low, high = min(x, y), max(x, y)
        return x == y or ((low, high) in allowed and (low, high) not in refused)

    profiles = [_Distinct(i) for i in range(size)]
    none = Constraints(together=[], apart={})
    expected = cluster(profiles, _best_first(scores, firsts, seconds), compatible, none)  # type: ignore[arg-type]
    part = components_of(size, firsts, seconds)
    found = cluster(profiles, (), compatible, none, _by_component(part, scores, firsts, seconds))  # type: ignore[arg-type]
    assert found == expected
    assert [120, 121, 122] in expected and [130, 131, 132, 133] in expected
