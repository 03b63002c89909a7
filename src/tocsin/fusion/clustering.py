"""Grouping compatible mentions into events: constrained, order-independent greedy linkage.

1. Analysts' must-link corrections join their mentions first (unless a later split forbids it).
2. Compatible pairs are merged best first (ties broken by the mentions' canonical
   indexes, never by input order). Two clusters merge only when no pair of their distinct
   member signatures contradicts (complete linkage over hard constraints: a vague place, or two
   places across a border, needs strong evidence only for the linking pair), so chains of loose
   matches cannot glue distinct events together, and when no cannot-link correction separates
   them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from tocsin.fusion.corrections import Constraints
from tocsin.fusion.distinct import distinct
from tocsin.fusion.profiles import Profile


class _Clusters:
    """Union-find over profile indexes; members and distinct signatures are kept only for
    clusters of more than one mention (a singleton's are its own). A signature is kept as the
    number of its first profile (equal signatures, equal numbers), so sets of them hash ints."""

    def __init__(self, profiles: list[Profile]) -> None:
        self.profiles = profiles
        self.parent = list(range(len(profiles)))
        self._members: dict[int, set[int]] = {}
        self._signatures: dict[int, dict[int, int]] = {}
        self._numbers: dict[tuple[object, ...], int] = {}
        self._number_of: dict[int, int] = {}

    def _number(self, i: int) -> int:
        found = self._number_of.get(i)
        if found is None:
            signature = self.profiles[i].signature()
            found = self._number_of[i] = self._numbers.setdefault(signature, i)
        return found

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def members(self, root: int) -> set[int]:
        found = self._members.get(root)
        return {root} if found is None else found

    def signatures(self, root: int) -> dict[int, int]:
        """The cluster's distinct signatures (by number), each with its first member."""
        found = self._signatures.get(root)
        return {self._number(root): root} if found is None else found

    def union(self, a: int, b: int) -> None:
        keep, gone = (a, b) if a < b else (b, a)
        self.parent[gone] = keep
        members = self.members(keep)
        members |= self.members(gone)
        self._members[keep] = members
        self._members.pop(gone, None)
        signatures = self.signatures(keep)
        for signature, index in self.signatures(gone).items():
            signatures.setdefault(signature, index)
        self._signatures[keep] = signatures
        self._signatures.pop(gone, None)

    def groups(self) -> list[list[int]]:
        """Every cluster's sorted members, in order of their lowest index."""
        grouped: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            grouped.setdefault(self.find(i), []).append(i)
        return sorted(grouped.values())


def cluster(
    profiles: list[Profile],
    ordered_pairs: Iterable[tuple[int, int]],
    compatible: Callable[[int, int], bool],
    constraints: Constraints,
    components: Iterable[tuple[int, Iterable[tuple[int, int]]]] = (),
) -> list[list[int]]:
    """Clusters of profile indexes (each sorted), in order of their lowest index.

    ``ordered_pairs`` are the compatible pairs, best first (higher score, ties by indexes).
    ``components`` gives more of them component by component, as (the component's number of
    members, its pairs best first): no merge joins two components, so each can be clustered on
    its own, and once it is one cluster its remaining pairs are left unread (they would all
    find both mentions in that cluster). It is the same result either way.
    """
    clusters = _Clusters(profiles)
    separated = bool(constraints.apart)
    for i, j in constraints.together:
        a, b = clusters.find(i), clusters.find(j)
        if a != b and constraints.allows(clusters.members(a), clusters.members(b)):
            clusters.union(a, b)
    # Pairs of roots found incompatible, as low * size + high. A root's cluster only grows
    # while it stays the root, and a merge refused stays refused for larger clusters
    # (complete linkage), so the same two roots need not be checked again.
    refused: set[int] = set()
    _link(clusters, ordered_pairs, 0, compatible, constraints if separated else None, refused)
    for members, pairs in components:
        _link(clusters, pairs, members, compatible, constraints if separated else None, refused)
    return clusters.groups()


def _link(
    clusters: _Clusters,
    ordered_pairs: Iterable[tuple[int, int]],
    members: int,
    compatible: Callable[[int, int], bool],
    constraints: Constraints | None,
    refused: set[int],
) -> None:
    """Merge along ``ordered_pairs`` (see ``cluster``); with ``members`` > 1, stop once that
    many clusters have become one."""
    parent = clusters.parent
    size = len(parent)
    left = members
    for i, j in ordered_pairs:
        # ``clusters.find`` inlined (most pairs end here: already in one cluster).
        a = i
        while parent[a] != a:
            a = parent[a]
        while parent[i] != a:
            parent[i], i = a, parent[i]
        b = j
        while parent[b] != b:
            b = parent[b]
        while parent[j] != b:
            parent[j], j = b, parent[j]
        if a == b:
            continue
        key = a * size + b if a < b else b * size + a
        if key in refused or (
            constraints is not None
            and not constraints.allows(clusters.members(a), clusters.members(b))
        ):
            continue
        first = list(clusters.signatures(a).values())
        second = list(clusters.signatures(b).values())
        if all(compatible(x, y) for x in first for y in second):
            clusters.union(a, b)
            left -= 1
            if left == 1:
                return
        else:
            refused.add(key)


def components_of(size: int, firsts: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """The component label of each of ``size`` indexes under the pairs (firsts[k], seconds[k])."""
    # Imported here: scipy costs start-up time to every process that imports fusion.
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(firsts), dtype=np.int8), (firsts, seconds)), shape=(size, size))
    return connected_components(graph, directed=False)[1]


def whole_cliques(
    size: int, firsts: np.ndarray, seconds: np.ndarray, part: np.ndarray | None = None
) -> tuple[np.ndarray, list[list[int]]]:
    """Components of the compatible pairs (``firsts[k]``, ``seconds[k]``, distinct pairs of
    distinct indexes below ``size``) in which every two members are compatible: (which pairs
    lie in one, their sorted members). Without corrections ``cluster`` makes each of them one
    cluster, whatever the order of its pairs: every merge finds every pair of members
    compatible. So their pairs need not go through the loop. ``part``: the components' labels
    when already known (``components_of``)."""
    if len(firsts) == 0:
        return np.zeros(0, dtype=bool), []
    low, high = np.minimum(firsts, seconds), np.maximum(firsts, seconds)
    if len(distinct(low * size + high)) != len(low):
        raise ValueError("whole_cliques: pairs must be distinct")
    if part is None:
        part = components_of(size, low, high)
    members = np.bincount(part)
    edges = np.bincount(part[low], minlength=len(members))
    whole = (members > 1) & (edges == members * (members - 1) // 2)
    inside = whole[part[low]]
    rows = np.flatnonzero(whole[part])  # ascending
    order = np.argsort(part[rows], kind="stable")
    rows, parts = rows[order], part[rows][order]
    cuts = np.flatnonzero(np.diff(parts)) + 1
    groups = [group.tolist() for group in np.split(rows, cuts)] if len(rows) else []
    return inside, groups
