"""Analysts' corrections to fusion: split a wrongly merged Event, merge two that are one.

Corrections are plain records over *mention* ids, never Event ids, so they keep their meaning when
fusion re-runs and ids or memberships shift. ``fuse`` applies them every time:

- ``Split(mentions, rest)``: the ``mentions`` form one event together, and none of them may share
  an event with any mention of ``rest`` (the other members of the event when it was split).
- ``Merge(mentions)``: all the ``mentions`` (the members of both events when they were merged)
  belong to one event.

When two corrections disagree about a pair of mentions, the later one (later in the list) wins.
Mentions that are not in the input are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tocsin.records import Event


@dataclass(frozen=True)
class Split:
    mentions: tuple[str, ...]
    rest: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class Merge:
    mentions: tuple[str, ...]
    note: str | None = None


@dataclass
class Corrections:
    """An ordered list of corrections (the store persists them as they come)."""

    items: list[Split | Merge] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)


def _member_ids(event: Event) -> tuple[str, ...]:
    return tuple(sorted(ref.mention for ref in event.mentions))


def split_event(
    corrections: Corrections, event: Event, mention_ids: Iterable[str], note: str | None = None
) -> Split:
    """Separate ``mention_ids`` from ``event`` into a new event; record and return the split."""
    members = set(_member_ids(event))
    moved = tuple(sorted(set(mention_ids)))
    unknown = [m for m in moved if m not in members]
    if unknown:
        raise ValueError(f"not mentions of event {event.id}: {', '.join(unknown)}")
    rest = tuple(sorted(members - set(moved)))
    if not moved or not rest:
        raise ValueError("a split must leave mentions on both sides")
    record = Split(mentions=moved, rest=rest, note=note)
    corrections.items.append(record)
    return record


def merge_events(
    corrections: Corrections, first: Event, second: Event, note: str | None = None
) -> Merge:
    """Record that ``first`` and ``second`` are one event; return the correction."""
    members = set(_member_ids(first)) | set(_member_ids(second))
    record = Merge(mentions=tuple(sorted(members)), note=note)
    corrections.items.append(record)
    return record


@dataclass
class Constraints:
    """Corrections turned into must-link groups and cannot-link pairs over profile indexes."""

    together: list[list[int]]
    apart: dict[int, set[int]]

    def allows(self, first: Iterable[int], second: set[int]) -> bool:
        return not any(self.apart.get(i, set()) & second for i in first)


def constraints(corrections: Corrections | None, index_of: dict[str, int]) -> Constraints:
    """Resolve the corrections, later ones winning, into constraints on the given mentions."""
    if corrections is None or not corrections.items:
        return Constraints(together=[], apart={})
    verdict: dict[tuple[int, int], tuple[int, bool]] = {}  # pair -> (order, together?)

    def present(ids: Iterable[str]) -> list[int]:
        return sorted(index_of[m] for m in ids if m in index_of)

    def mark(order: int, pairs: Iterable[tuple[int, int]], together: bool) -> None:
        for i, j in pairs:
            verdict[(min(i, j), max(i, j))] = (order, together)

    for order, item in enumerate(corrections.items):
        if isinstance(item, Merge):
            group = present(item.mentions)
            mark(order, ((i, j) for i in group for j in group if i < j), True)
        else:
            moved, rest = present(item.mentions), present(item.rest)
            mark(order, ((i, j) for i in moved for j in moved if i < j), True)
            mark(order, ((i, j) for i in moved for j in rest), False)
    together_pairs = sorted(pair for pair, (_, same) in verdict.items() if same)
    apart: dict[int, set[int]] = {}
    for (i, j), (_, same) in verdict.items():
        if not same:
            apart.setdefault(i, set()).add(j)
            apart.setdefault(j, set()).add(i)
    return Constraints(together=[list(p) for p in together_pairs], apart=apart)
