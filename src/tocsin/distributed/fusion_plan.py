"""The driver's plan of a parallel fusion: the pending mentions in tasks, from label columns.

The driver reads no mention and builds no profile. It reads the few columns that decide which
mentions can be fused apart (``tocsin.store.fusion_labels``: category, mode, modality, place
country, actors' countries) and merges their labels (``tocsin.fusion.separation``) over every
stored mention's distinct columns, so that no compatible pair between any two mentions, pending
or stored, crosses two groups; corrections and stored Events whose mentions may carry
different labels (one aggregate query) tie their groups together. A stored component is made
of compatible pairs and corrections, so whatever fusing a group's pending mentions re-fuses
(their neighbours, whole components, whole stored Events) lies in that group: the workers plan
and fuse their groups apart, and no two tasks touch the same stored Event. Whole groups are
packed into tasks of about ``size`` pending mentions, the largest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from tocsin.fusion import Corrections
from tocsin.fusion.rules import FusionRules
from tocsin.fusion.separation import Label, LabelGroups, LabelKey, pack_groups
from tocsin.incremental_fusion import correction_groups, fingerprint_documents, load_corrections
from tocsin.store import Database
from tocsin.store.fusion_labels import (
    distinct_label_rows,
    label_rows,
    mixed_event_label_rows,
    pending_label_rows,
)


@dataclass
class ParallelPlan:
    """The pending mentions' ids in tasks that can be planned and fused apart, and the
    corrections in force."""

    tasks: list[list[str]]
    corrections: Corrections

    @property
    def pending(self) -> int:
        return sum(len(t) for t in self.tasks)


def row_label_key(row: Any, first: int) -> LabelKey:
    """The label key of a row of label columns starting at index ``first``."""
    event, mode, modality, placed, country, metonym, actor1, actor2 = row[first : first + 8]
    named = tuple(sorted({c for c in (actor1, actor2) if c}))
    return LabelKey(event, mode, modality, country if placed and not metonym else None, named)


def _label_groups(
    connection: Connection, keys: set[LabelKey], rules: FusionRules, corrections: Corrections
) -> LabelGroups:
    """The groups of every stored mention's labels (and ``keys``), with corrections and mixed
    stored Events tied."""
    keys |= {row_label_key(r, 0) for r in distinct_label_rows(connection)}
    labels = LabelGroups(keys, rules)
    mixed: dict[str, list[LabelKey]] = {}
    for row in mixed_event_label_rows(connection, rules.families, rules.cross_border_families):
        mixed.setdefault(row[0], []).append(row_label_key(row, 1))
    for tied in mixed.values():
        labels.tie(tied)
    members = correction_groups(corrections)
    if members:
        key_of = {r[0]: row_label_key(r, 1) for r in label_rows(connection, set().union(*members))}
        for group in members:
            labels.tie([key_of[m] for m in group if m in key_of])
    return labels


def plan_parallel(
    database: Database, rules: FusionRules, size: int, workers: int = 1
) -> ParallelPlan | None:
    """Tasks of pending mention ids (None when nothing is pending): about ``size`` mentions
    each, fewer when that would leave ``workers`` with less than two tasks each. Missing text
    fingerprints are stored first, so that the workers only read."""
    with database.engine.connect() as connection:
        pending = pending_label_rows(connection)
    if not pending:
        return None
    fingerprint_documents(database, [row[0] for row in pending], rules)
    corrections = load_corrections(database)
    key_of = {row[0]: row_label_key(row, 1) for row in pending}
    with database.engine.connect() as connection:
        labels = _label_groups(connection, set(key_of.values()), rules, corrections)
    by_group: dict[Label, list[str]] = {}
    group_of: dict[LabelKey, Label] = {}
    for mention_id, key in key_of.items():
        group = group_of.get(key)
        if group is None:
            group = group_of[key] = labels.group(key)
        by_group.setdefault(group, []).append(mention_id)
    size = max(1, min(size, -(-len(key_of) // (2 * workers))))
    return ParallelPlan(pack_groups(by_group.values(), size), corrections)
