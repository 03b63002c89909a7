"""Fusion as a stream: mentions in order of their date window in, Events out as soon as they are
final, with the pairs of many mentions tested at once.

Two mentions can fuse only when their date windows overlap, and clusters never leave the
*component* of the compatible pairs that holds them (nor the mentions a correction ties to them):
components never interact. So the mentions are read in order of window start, in chunks; each
chunk's candidate pairs with the mentions still open (``tocsin.fusion.candidates``) are tested
and scored in numpy (``tocsin.fusion.pair_compare``); and once every window of a component has
closed before the next window to come opens, no later mention can join it: the component is
clustered and assembled (the same steps and order as fusing everything at once) and let go.
Memory holds the open mentions, not the run. A component that a correction touches waits for the
end of the input, so that every mention of the correction is there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from tocsin.fusion.assembly import assemble_event
from tocsin.fusion.candidates import Entries, distinct_pairs, keys_of, meetings
from tocsin.fusion.clustering import cluster
from tocsin.fusion.columns import Codes, Columns, columns_of
from tocsin.fusion.compatibility import compare
from tocsin.fusion.corrections import Corrections, constraints
from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.pair_compare import compare_pairs
from tocsin.fusion.profiles import Profile, build_profile, canonical_key
from tocsin.fusion.rules import FusionRules
from tocsin.fusion.verdicts import PairVerdicts
from tocsin.records import Event

CHUNK = 20_000  # mentions read and tested together
_UNDATED = dt.date.min.toordinal() - 1
_NEVER = dt.date.max.toordinal() + 1

Fused = tuple[tuple[int, str], Event]  # (canonical key of the first mention, Event)


def window_start(profile: Profile) -> int:
    """The order mentions must come in: their window's first day (undated ones first)."""
    return _UNDATED if profile.start is None or profile.end is None else profile.start


@dataclass
class Released:
    """What one release gives: the Events with their canonical keys, and the compatible pairs
    of mention ids (with ``links``)."""

    events: list[Fused]
    links: list[tuple[str, str]] = field(default_factory=list)


def _canonical_first(
    published: np.ndarray, ids: Sequence[str], first: np.ndarray, second: np.ndarray
) -> np.ndarray:
    """Whether row ``first[k]`` comes before ``second[k]`` in canonical order."""
    before = published[first] < published[second]
    tied = np.flatnonzero(published[first] == published[second])
    for k, a, b in zip(tied.tolist(), first[tied].tolist(), second[tied].tolist(), strict=True):
        before[k] = ids[a] < ids[b]
    return before


def _best_first(scores: np.ndarray, firsts: np.ndarray, seconds: np.ndarray,
                chunk: int = 65_536) -> Iterator[tuple[int, int]]:  # fmt: skip
    """The scored pairs, higher score first, ties by the mentions' canonical indexes."""
    order = np.lexsort((seconds, firsts, -scores))
    for begin in range(0, len(order), chunk):
        part = order[begin : begin + chunk]
        yield from zip(firsts[part].tolist(), seconds[part].tolist(), strict=True)


def fuse_batch(
    items: Sequence[MentionInput],
    profiles: Sequence[Profile],
    yes: tuple[np.ndarray, np.ndarray, np.ndarray],
    no: tuple[np.ndarray, np.ndarray],
    corrections: Corrections | None,
    rules: FusionRules,
    with_links: bool,
) -> Released:
    """Cluster and assemble whole components: ``items``/``profiles`` by row, ``yes`` their
    compatible pairs (canonical-first row, other row, score), ``no`` the contradicting ones."""
    size = len(items)
    order = sorted(range(size), key=lambda k: canonical_key(items[k]))
    rank = np.empty(size, dtype=np.int64)
    rank[order] = np.arange(size)
    local_items = [items[k] for k in order]
    local = [profiles[k] for k in order]
    firsts, seconds, scores = rank[yes[0]], rank[yes[1]], yes[2]
    verdicts = PairVerdicts(size)
    verdicts.contradicting_pairs(rank[no[0]], rank[no[1]])
    verdicts.freeze(firsts, seconds)

    def compatible(x: int, y: int) -> bool:
        if x == y:
            return True
        if x > y:
            x, y = y, x
        found = verdicts.get(x, y)
        if found is None:
            found = compare(local[x], local[y], rules, hard_only=True) is not None
            verdicts.put(x, y, found)
        return found

    corrected = corrections is not None and bool(corrections.items)
    index_of = {item.id: i for i, item in enumerate(local_items)} if corrected else {}
    ordered = _best_first(scores, firsts, seconds)
    groups = cluster(local, ordered, compatible, constraints(corrections, index_of))
    events = [
        (
            canonical_key(local_items[group[0]]),
            assemble_event([local_items[i] for i in group], [local[i] for i in group], rules),
        )
        for group in groups
    ]
    links = (
        [(local_items[x].id, local_items[y].id)
         for x, y in zip(firsts.tolist(), seconds.tolist(), strict=True)]  # fmt: skip
        if with_links
        else []
    )
    return Released(events, links)


class _Open:
    """The mentions whose component may still grow, with their columns, keys and pairs."""

    def __init__(self, rules: FusionRules) -> None:
        self.rules = rules
        self.codes = Codes()
        self.items: list[MentionInput] = []
        self.profiles: list[Profile] = []
        self.columns: Columns | None = None
        self.published = np.zeros(0, dtype=np.int64)
        self.filed = Entries.gather([])
        self.probes = Entries.gather([])
        # Pairs by row: compatible (canonical-first row, other row, score) and contradicting.
        self.yes = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        self.no = (np.zeros(0, np.int64), np.zeros(0, np.int64))

    def add(self, items: list[MentionInput], profiles: list[Profile]) -> None:
        """Take a chunk in, and test its candidate pairs with everything open."""
        rules = self.rules
        old = len(self.items)
        new = columns_of(profiles, rules, self.codes)
        filed, probes = keys_of(new, rules)
        filed.rows += old
        probes.rows += old
        columns = new if self.columns is None else Columns.concatenate([self.columns, new])
        self.columns = columns
        self.items.extend(items)
        self.profiles.extend(profiles)
        published = [
            item.published.toordinal() if item.published else _NEVER for item in items
        ]
        self.published = np.concatenate([self.published, np.array(published, dtype=np.int64)])
        a1, b1 = meetings(columns, probes, Entries.gather([(self.filed.keys, self.filed.rows),
                                                           (filed.keys, filed.rows)]))  # fmt: skip
        a2, b2 = meetings(columns, self.probes, filed)
        self.filed = Entries.gather([(self.filed.keys, self.filed.rows), (filed.keys, filed.rows)])
        self.probes = Entries.gather(
            [(self.probes.keys, self.probes.rows), (probes.keys, probes.rows)]
        )
        low, high = distinct_pairs(np.concatenate([a1, a2]), np.concatenate([b1, b2]))
        ids = [item.id for item in self.items]
        before = _canonical_first(self.published, ids, low, high)
        first, second = np.where(before, low, high), np.where(before, high, low)
        documents = [p.document for p in self.profiles]
        prints = [p.fingerprint for p in self.profiles]
        ok, scores, contradicting = compare_pairs(
            columns, first, second, rules, self.codes, documents, prints
        )
        self.yes = (
            np.concatenate([self.yes[0], first[ok]]),
            np.concatenate([self.yes[1], second[ok]]),
            np.concatenate([self.yes[2], scores[ok]]),
        )
        self.no = (
            np.concatenate([self.no[0], first[contradicting]]),
            np.concatenate([self.no[1], second[contradicting]]),
        )

    def components(self, ties: Iterable[Sequence[str]]) -> np.ndarray:
        """Each open row's component label (compatible pairs and ``ties`` of mention ids)."""
        size = len(self.items)
        rows, others = [self.yes[0]], [self.yes[1]]
        if ties:
            at = {item.id: k for k, item in enumerate(self.items)}
            for group in ties:
                present = [at[m] for m in group if m in at]
                if len(present) > 1:
                    rows.append(np.full(len(present) - 1, present[0], dtype=np.int64))
                    others.append(np.array(present[1:], dtype=np.int64))
        x, y = np.concatenate(rows), np.concatenate(others)
        graph = coo_matrix((np.ones(len(x), dtype=np.int8), (x, y)), shape=(size, size))
        return connected_components(graph, directed=False)[1]

    def release(
        self,
        before: int,
        ties: list[Sequence[str]],
        held: set[str],
        corrections: Corrections | None,
        with_links: bool,
    ) -> Released:
        """Fuse and let go of the components whose windows all end before day ``before``
        (except those holding a mention of ``held``)."""
        assert self.columns is not None
        labels = self.components(ties)
        ends = np.where(self.columns.dated, self.columns.end, _UNDATED)
        last = np.full(labels.max() + 1 if len(labels) else 0, _UNDATED, dtype=np.int64)
        np.maximum.at(last, labels, ends)
        closed = last < before
        if held:
            for k, item in enumerate(self.items):
                if item.id in held:
                    closed[labels[k]] = False
        going = closed[labels]
        if not going.any():
            return Released([])
        done = self._batch(going, corrections, with_links)
        self._keep(~going)
        return done

    def _batch(self, going: np.ndarray, corrections: Corrections | None,
               with_links: bool) -> Released:  # fmt: skip
        rows = np.flatnonzero(going)
        position = np.full(len(going), -1, dtype=np.int64)
        position[rows] = np.arange(len(rows))
        yes_at = going[self.yes[0]]
        no_at = going[self.no[0]] & going[self.no[1]]
        return fuse_batch(
            [self.items[k] for k in rows.tolist()],
            [self.profiles[k] for k in rows.tolist()],
            (position[self.yes[0][yes_at]], position[self.yes[1][yes_at]], self.yes[2][yes_at]),
            (position[self.no[0][no_at]], position[self.no[1][no_at]]),
            corrections,
            self.rules,
            with_links,
        )

    def _keep(self, keep: np.ndarray) -> None:
        assert self.columns is not None
        position = np.cumsum(keep) - 1
        kept = keep.nonzero()[0].tolist()
        self.items = [self.items[k] for k in kept]
        self.profiles = [self.profiles[k] for k in kept]
        self.columns = self.columns.take(keep)
        self.published = self.published[keep]
        for entries in (self.filed, self.probes):
            at = keep[entries.rows]
            entries.keys, entries.rows = entries.keys[at], position[entries.rows[at]]
        yes_at = keep[self.yes[0]]
        self.yes = (position[self.yes[0][yes_at]], position[self.yes[1][yes_at]],
                    self.yes[2][yes_at])  # fmt: skip
        no_at = keep[self.no[0]] & keep[self.no[1]]
        self.no = (position[self.no[0][no_at]], position[self.no[1][no_at]])


def _chunks(
    pairs: Iterable[tuple[MentionInput, Profile]], size: int
) -> Iterator[tuple[list[MentionInput], list[Profile]]]:
    items: list[MentionInput] = []
    profiles: list[Profile] = []
    latest = _UNDATED
    for item, profile in pairs:
        start = window_start(profile)
        if start < latest:
            raise ValueError("fusion stream: mentions must come in order of their window start")
        latest = start
        items.append(item)
        profiles.append(profile)
        if len(items) >= size:
            yield items, profiles
            items, profiles = [], []
    if items:
        yield items, profiles


def fuse_profiled(
    pairs: Iterable[tuple[MentionInput, Profile]],
    corrections: Corrections | None,
    rules: FusionRules,
    with_links: bool = False,
    chunk: int = CHUNK,
) -> Iterator[Released]:
    """Fuse (mention, profile) pairs coming in order of ``window_start`` (mention ids
    unique), giving Events as their components close."""
    ties: list[Sequence[str]] = []
    held: set[str] = set()
    if corrections is not None:
        for item in corrections.items:
            group = [*item.mentions, *getattr(item, "rest", ())]
            ties.append(group)
            held.update(group)
    open_ = _Open(rules)
    chunks = _chunks(pairs, chunk)
    current = next(chunks, None)
    while current is not None:
        following = next(chunks, None)
        open_.add(*current)
        if following is None:
            before = _NEVER + 1
            held = set()
        else:
            before = min(window_start(p) for p in following[1])
            before = max(before, _UNDATED + 1)
        released = open_.release(before, ties, held, corrections, with_links)
        if released.events:
            yield released
        current = following


def fuse_stream(
    mentions: Iterable[MentionInput],
    corrections: Corrections | None = None,
    *,
    rules: FusionRules,
    with_links: bool = False,
    chunk: int = CHUNK,
) -> Iterator[Released]:
    """``fuse`` over mentions that come in order of their window start (see ``window_start``),
    holding only the open ones: Events come out as their components close, in batches."""
    return fuse_profiled(
        ((item, build_profile(0, item, rules)) for item in mentions),
        corrections,
        rules,
        with_links,
        chunk,
    )
