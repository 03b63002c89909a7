"""Grouping compatible mentions into events: constrained, order-independent greedy linkage.

1. Analysts' must-link corrections join their mentions first (unless a later split forbids it).
2. Candidate pairs are scored and merged best first (ties broken by the mentions' canonical
   indexes, never by input order). Two clusters merge only when no pair of their distinct
   member signatures contradicts (complete linkage over hard constraints: a vague place, or two
   places across a border, needs strong evidence only for the linking pair), so chains of loose
   matches cannot glue distinct events together, and when no cannot-link correction separates
   them.
"""

from __future__ import annotations

from collections.abc import Callable

from tocsin.fusion.corrections import Constraints
from tocsin.fusion.profiles import Profile


class _Clusters:
    def __init__(self, profiles: list[Profile]) -> None:
        self.parent = list(range(len(profiles)))
        self.members: dict[int, set[int]] = {p.index: {p.index} for p in profiles}
        self.signatures: dict[int, dict[tuple[object, ...], int]] = {
            p.index: {p.signature(): p.index} for p in profiles
        }

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        keep, gone = (a, b) if a < b else (b, a)
        self.parent[gone] = keep
        self.members[keep] |= self.members.pop(gone)
        for signature, index in self.signatures.pop(gone).items():
            self.signatures[keep].setdefault(signature, index)


def cluster(
    profiles: list[Profile],
    scored_pairs: list[tuple[float, int, int]],
    compatible: Callable[[int, int], bool],
    constraints: Constraints,
) -> list[list[int]]:
    """Clusters of profile indexes (each sorted), in order of their lowest index."""
    clusters = _Clusters(profiles)
    for i, j in constraints.together:
        a, b = clusters.find(i), clusters.find(j)
        if a != b and constraints.allows(clusters.members[a], clusters.members[b]):
            clusters.union(a, b)
    for _score, i, j in sorted(scored_pairs, key=lambda t: (-t[0], t[1], t[2])):
        a, b = clusters.find(i), clusters.find(j)
        if a == b or not constraints.allows(clusters.members[a], clusters.members[b]):
            continue
        left = list(clusters.signatures[a].values())
        right = list(clusters.signatures[b].values())
        if all(compatible(x, y) for x in left for y in right):
            clusters.union(a, b)
    return sorted(sorted(m) for m in clusters.members.values())
