"""A merge that complete linkage refuses stays refused while the two clusters keep their roots
(they only grow): the greedy loop asks no compatibility twice for the same two clusters, and
clusters as before."""

from __future__ import annotations

from tocsin.fusion.clustering import cluster
from tocsin.fusion.corrections import Constraints


class _Distinct:
    """A profile whose signature is its own (so every pair of members is checked)."""

    def __init__(self, index: int) -> None:
        self.index = index

    def signature(self) -> tuple[object, ...]:
        return (self.index,)


def test_a_refused_merge_is_not_checked_again() -> None:
    asked: list[tuple[int, int]] = []
    apart = {(0, 3)}

    def compatible(x: int, y: int) -> bool:
        asked.append((x, y))
        return (min(x, y), max(x, y)) not in apart

    pairs = [(0, 1), (2, 3), (0, 2), (1, 2), (1, 3), (2, 4)]
    groups = cluster(
        [_Distinct(i) for i in range(5)],  # type: ignore[misc]
        pairs,
        compatible,
        Constraints(together=[], apart={}),
    )
    assert groups == [[0, 1], [2, 3, 4]]
    # (0, 1), (2, 3), then {0, 1} x {2, 3} up to the refusal, then {2, 3} x {4}
    assert asked == [(0, 1), (2, 3), (0, 2), (0, 3), (2, 4), (3, 4)]
