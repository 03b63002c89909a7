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
import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tocsin.fusion.assembly import assemble_event
from tocsin.fusion.candidates import (
    Entries,
    distinct_pairs,
    in_key_order,
    keys_of,
    meetings,
    merged,
)
from tocsin.fusion.clustering import cluster, components_of, whole_cliques
from tocsin.fusion.columns import Codes, Columns, columns_of
from tocsin.fusion.compatibility import compare
from tocsin.fusion.corrections import Corrections, constraints
from tocsin.fusion.distinct import distinct_inverse, members
from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.pair_compare import compare_pairs
from tocsin.fusion.profiles import Profile, build_profile, canonical_key
from tocsin.fusion.rules import FusionRules
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
    """Whether row ``first[k]`` comes before ``second[k]`` in canonical order (earliest
    publication, then mention id)."""
    if len(first) == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((np.array(ids), published))
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    return rank[first] < rank[second]


def _best_first(scores: np.ndarray, firsts: np.ndarray, seconds: np.ndarray,
                chunk: int = 65_536) -> Iterator[tuple[int, int]]:  # fmt: skip
    """The scored pairs, higher score first, ties by the mentions' canonical indexes."""
    order = np.lexsort((seconds, firsts, -scores))
    for begin in range(0, len(order), chunk):
        part = order[begin : begin + chunk]
        yield from zip(firsts[part].tolist(), seconds[part].tolist(), strict=True)


def _by_component(
    part: np.ndarray, scores: np.ndarray, firsts: np.ndarray, seconds: np.ndarray
) -> Iterator[tuple[int, Iterator[tuple[int, int]]]]:
    """The scored pairs component by component (by label), each component's best first (as
    ``_best_first``), with its number of members."""
    if len(firsts) == 0:
        return
    label = part[firsts]
    order = np.lexsort((seconds, firsts, -scores, label))
    label = label[order]
    cuts = np.flatnonzero(np.diff(label)) + 1
    starts = np.concatenate([[0], cuts]).tolist()
    stops = np.concatenate([cuts, [len(label)]]).tolist()
    members = np.bincount(part)[label[starts]].tolist()
    firsts, seconds = firsts[order], seconds[order]
    for begin, stop, count in zip(starts, stops, members, strict=True):
        yield count, zip(firsts[begin:stop].tolist(), seconds[begin:stop].tolist(), strict=True)


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
    keys = [canonical_key(item) for item in items]
    order = sorted(range(size), key=keys.__getitem__)
    rank = np.empty(size, dtype=np.int64)
    rank[order] = np.arange(size)
    local_items = [items[k] for k in order]
    local_keys = [keys[k] for k in order]
    local = [profiles[k] for k in order]
    firsts, seconds, scores = rank[yes[0]], rank[yes[1]], yes[2]

    def compatible(x: int, y: int) -> bool:
        if x == y:
            return True
        if x > y:
            x, y = y, x
        key = x * size + y
        found = known.get(key)
        if found is None:
            found = known[key] = compare(local[x], local[y], rules, hard_only=True) is not None
        return found

    corrected = corrections is not None and bool(corrections.items)
    index_of = {item.id: i for i, item in enumerate(local_items)} if corrected else {}
    cliques: list[list[int]] = []
    rest = np.ones(len(firsts), dtype=bool)
    ordered: Iterable[tuple[int, int]] = ()
    components: Iterable[tuple[int, Iterable[tuple[int, int]]]] = ()
    if corrected:
        ordered = _best_first(scores, firsts, seconds)
    elif len(firsts):
        # Components whose members are all compatible are whole clusters; the others are
        # clustered one by one.
        part = components_of(size, firsts, seconds)
        inside, cliques = whole_cliques(size, firsts, seconds, part)
        rest = ~inside
        components = _by_component(part, scores[rest], firsts[rest], seconds[rest])
    # What is known of pairs x < y, by x * size + y: compatible, or contradicting (pairs
    # within whole cliques are never asked).
    known = dict.fromkeys((rank[no[0]] * size + rank[no[1]]).tolist(), False)
    known.update(dict.fromkeys((firsts[rest] * size + seconds[rest]).tolist(), True))
    groups = cluster(local, ordered, compatible, constraints(corrections, index_of), components)
    if cliques:
        taken = {i for group in cliques for i in group}
        groups = sorted([*(g for g in groups if g[0] not in taken), *cliques])
    events = [
        (
            local_keys[group[0]],
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


def _concat(parts: list[np.ndarray], dtype: type = np.int64) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


class _Open:
    """The mentions whose component may still grow.

    Rows are numbered in arrival order (``seq``). Each open row has a component *label* (the
    smallest ``seq`` among the components merged into it); the compatible pairs found so far are
    filed by label. Only rows whose date window is still open when the next chunk starts keep
    their columns and keys: only they can meet a later mention.
    """

    def __init__(self, rules: FusionRules) -> None:
        self.rules = rules
        self.codes = Codes()
        self.next_seq = 0
        # Every open row: (mention, profile) by seq, and arrays sorted by seq.
        self.rows: dict[int, tuple[MentionInput, Profile]] = {}
        self.row_seq = np.zeros(0, dtype=np.int64)
        self.row_label = np.zeros(0, dtype=np.int64)
        self.row_end = np.zeros(0, dtype=np.int64)
        # Compatible pairs (seq, seq, score) and contradicting ones (seq, seq), by label.
        self.yes: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
        self.no: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
        # Rows whose window is still open: their columns and keys.
        self.window_seq = np.zeros(0, dtype=np.int64)
        self.columns: Columns | None = None
        self.published = np.zeros(0, dtype=np.int64)
        self.ids: list[str] = []
        self.documents: list[str] = []
        self.prints: list[object] = []
        self.filed = Entries.gather([])
        self.probes = Entries.gather([])
        self.tied: dict[str, int] = {}  # mention id -> seq, for the mentions of corrections

    def _labels_of(self, seq: np.ndarray) -> np.ndarray:
        return self.row_label[np.searchsorted(self.row_seq, seq)]

    def add(
        self, items: list[MentionInput], profiles: list[Profile], ties: list[Sequence[str]],
        held: set[str],
    ) -> None:  # fmt: skip
        """Take a chunk in, test its candidate pairs with every open window, and merge the
        components the compatible pairs join."""
        rules = self.rules
        size = len(items)
        seqs = np.arange(self.next_seq, self.next_seq + size, dtype=np.int64)
        self.next_seq += size
        old = len(self.window_seq)
        new = columns_of(profiles, rules, self.codes)
        filed, probes = keys_of(new, rules)
        filed.rows += old
        probes.rows += old
        columns = new if self.columns is None else Columns.concatenate([self.columns, new])
        self.columns = columns
        self.window_seq = np.concatenate([self.window_seq, seqs])
        published = [
            item.published.toordinal() if item.published else _NEVER for item in items
        ]
        self.published = np.concatenate([self.published, np.array(published, dtype=np.int64)])
        self.ids.extend([item.id for item in items])
        self.documents.extend([p.document for p in profiles])
        self.prints.extend([p.fingerprint for p in profiles])
        # Entries are kept in key order: the chunk's sorted, then merged with those kept (the
        # chunk's windows start no earlier than theirs). Probes in key order also make the
        # binary searches of ``meetings`` walk their tables in order.
        filed, probes = in_key_order(columns, filed), in_key_order(columns, probes)
        every_filed = merged(columns, self.filed, filed)
        a1, b1 = meetings(columns, probes, every_filed, ordered=True)
        a2, b2 = meetings(columns, self.probes, filed, ordered=True)
        self.filed = every_filed
        self.probes = merged(columns, self.probes, probes)
        low, high = distinct_pairs(np.concatenate([a1, a2]), np.concatenate([b1, b2]))
        before = _canonical_first(self.published, self.ids, low, high)
        first, second = np.where(before, low, high), np.where(before, high, low)
        ok, scores, contradicting = compare_pairs(
            columns, first, second, rules, self.codes, self.documents, self.prints
        )
        ws = self.window_seq
        for item, profile, seq in zip(items, profiles, seqs.tolist(), strict=True):
            self.rows[seq] = (item, profile)
            if item.id in held:
                self.tied[item.id] = seq
        self.row_seq = np.concatenate([self.row_seq, seqs])
        self.row_label = np.concatenate([self.row_label, seqs])
        ends = np.where(new.dated, new.end, _UNDATED)
        self.row_end = np.concatenate([self.row_end, ends])
        yes = (ws[first[ok]], ws[second[ok]], scores[ok])
        self._merge(yes[0], yes[1], ties)
        self._file(self.yes, yes)
        self._file(self.no, (ws[first[contradicting]], ws[second[contradicting]]))

    def _merge(self, a: np.ndarray, b: np.ndarray, ties: list[Sequence[str]]) -> None:
        """Merge the components that pairs (a, b) of seqs, and the corrections, join."""
        # Imported here: scipy costs start-up time to every process that imports fusion.
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        edges_a, edges_b = [a], [b]
        for group in ties:
            present = [self.tied[m] for m in group if m in self.tied]
            if len(present) > 1:
                edges_a.append(np.full(len(present) - 1, present[0], dtype=np.int64))
                edges_b.append(np.array(present[1:], dtype=np.int64))
        x, y = self._labels_of(_concat(edges_a)), self._labels_of(_concat(edges_b))
        joined = x != y
        if not joined.any():
            return
        labels, at = distinct_inverse(np.concatenate([x[joined], y[joined]]))
        half = int(joined.sum())
        graph = coo_matrix(
            (np.ones(half, dtype=np.int8), (at[:half], at[half:])), shape=(len(labels),) * 2
        )
        count, part = connected_components(graph, directed=False)
        keep = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(keep, part, labels)
        target = keep[part]
        where = np.minimum(np.searchsorted(labels, self.row_label), len(labels) - 1)
        hit = labels[where] == self.row_label
        self.row_label[hit] = target[where[hit]]
        for old, new in zip(labels.tolist(), target.tolist(), strict=True):
            if old != new:
                for table in (self.yes, self.no):
                    moved = table.pop(old, None)
                    if moved:
                        table.setdefault(new, []).extend(moved)  # type: ignore[arg-type]

    def _file(self, table: dict[int, list[Any]], pairs: tuple[np.ndarray, ...]) -> None:
        """File pairs under their first row's label."""
        if len(pairs[0]) == 0:
            return
        labels = self._labels_of(pairs[0])
        order = np.argsort(labels, kind="stable")
        labels = labels[order]
        cuts = np.flatnonzero(np.diff(labels)) + 1
        starts = np.concatenate([[0], cuts]).tolist()
        stops = np.concatenate([cuts, [len(labels)]]).tolist()
        for begin, stop in zip(starts, stops, strict=True):
            part = order[begin:stop]
            table.setdefault(int(labels[begin]), []).append(tuple(p[part] for p in pairs))

    def close_windows(self, before: int) -> None:
        """Drop the columns and keys of rows whose window ends before day ``before``."""
        assert self.columns is not None
        keep = self.columns.dated & (self.columns.end >= before)
        if keep.all():
            return
        position = np.cumsum(keep) - 1
        kept = keep.nonzero()[0].tolist()
        self.window_seq = self.window_seq[keep]
        self.columns = self.columns.take(keep)
        self.published = self.published[keep]
        self.ids = [self.ids[k] for k in kept]
        self.documents = [self.documents[k] for k in kept]
        self.prints = [self.prints[k] for k in kept]
        for entries in (self.filed, self.probes):
            at = keep[entries.rows]
            entries.keys, entries.rows = entries.keys[at], position[entries.rows[at]]

    def release(
        self, before: int, held: set[str], corrections: Corrections | None, with_links: bool
    ) -> Released:
        """Fuse and let go of the components whose windows all end before day ``before``
        (except those holding a mention of ``held``)."""
        if len(self.row_seq) == 0:
            return Released([])
        labels, at = distinct_inverse(self.row_label)
        last = np.full(len(labels), _UNDATED, dtype=np.int64)
        np.maximum.at(last, at, self.row_end)
        closed = last < before
        pinned = [self.tied[m] for m in held if m in self.tied]
        if pinned:
            closed[np.searchsorted(labels, self._labels_of(np.array(pinned)))] = False
        going = closed[at]
        if not going.any():
            return Released([])
        seqs = self.row_seq[going]
        yes: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        no: list[tuple[np.ndarray, np.ndarray]] = []
        for label in labels[closed].tolist():
            yes.extend(self.yes.pop(label, ()))
            no.extend(self.no.pop(label, ()))
        rows = [self.rows.pop(seq) for seq in seqs.tolist()]
        self.row_seq, self.row_label = self.row_seq[~going], self.row_label[~going]
        self.row_end = self.row_end[~going]
        yes_a = _concat([p[0] for p in yes])
        yes_b = _concat([p[1] for p in yes])
        no_a, no_b = _concat([p[0] for p in no]), _concat([p[1] for p in no])
        inside = members(no_b, seqs)
        no_a, no_b = no_a[inside], no_b[inside]
        return fuse_batch(
            [item for item, _ in rows],
            [profile for _, profile in rows],
            (np.searchsorted(seqs, yes_a), np.searchsorted(seqs, yes_b),
             _concat([p[2] for p in yes], np.float64)),
            (np.searchsorted(seqs, no_a), np.searchsorted(seqs, no_b)),
            corrections,
            self.rules,
            with_links,
        )  # fmt: skip


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


@contextmanager
def _no_cyclic_collections() -> Iterator[None]:
    """Pause the cyclic garbage collector meanwhile. Fusion makes and keeps millions of small
    objects that form no cycles (reference counting frees them); each collection rescans those
    kept, which cost about a tenth of fusion's time at 200k mentions and grows with the run
    (fewer collections, by higher thresholds, still cost that much)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def fuse_profiled(
    pairs: Iterable[tuple[MentionInput, Profile]],
    corrections: Corrections | None,
    rules: FusionRules,
    with_links: bool = False,
    chunk: int = CHUNK,
) -> Iterator[Released]:
    """Fuse (mention, profile) pairs coming in order of ``window_start`` (mention ids
    unique), giving Events as their components close."""
    with _no_cyclic_collections():
        yield from _fuse_profiled(pairs, corrections, rules, with_links, chunk)


def compatible_pairs(
    profiles: list[Profile], rules: FusionRules
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (i, j), i < j, of profiles (in canonical order) that ``compare`` accepts."""
    codes = Codes()
    columns = columns_of(profiles, rules, codes)
    filed, probes = keys_of(columns, rules)
    first, second = distinct_pairs(*meetings(columns, probes, filed))
    documents = [p.document for p in profiles]
    prints = [p.fingerprint for p in profiles]
    ok, _, _ = compare_pairs(columns, first, second, rules, codes, documents, prints)
    return first[ok], second[ok]


def _fuse_profiled(
    pairs: Iterable[tuple[MentionInput, Profile]],
    corrections: Corrections | None,
    rules: FusionRules,
    with_links: bool,
    chunk: int,
) -> Iterator[Released]:
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
        open_.add(*current, ties, held)
        if following is None:
            before = _NEVER + 1
            held = set()
        else:
            before = min(window_start(p) for p in following[1])
            before = max(before, _UNDATED + 1)
        open_.close_windows(before)
        released = open_.release(before, held, corrections, with_links)
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
    """``fuse`` over mentions that come in order of their window start (see ``window_start``;
    ids unique), holding only the open ones: Events come out as their components close, in
    batches, each with the canonical key of its first mention (sorting by it gives the order of
    ``fuse``)."""
    return fuse_profiled(
        ((item, build_profile(0, item, rules)) for item in mentions),
        corrections,
        rules,
        with_links,
        chunk,
    )
