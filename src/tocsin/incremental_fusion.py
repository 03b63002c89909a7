"""Incremental fusion: stored event mentions become stored Events.

It runs in the layer that runs the pipeline (the ingest loop, ``tocsin events``, the API, Dask
fusion tasks): the store only reads and writes the rows (``tocsin.store.event_store``).

``fuse_pending(database)`` fuses the mentions no fusion has seen yet (the runner calls it at the
end of every run). It re-fuses only what they can change: a new mention is compared with the
stored mentions of its blocks (``fusion_blocks``); the *components* (mentions linked by compatible
pairs or by corrections, ``fusion_mentions``) of those it is compatible with are loaded whole and
fused again with it. Components never influence each other, so the Events equal those of fusing
every stored mention at once, whatever order the documents arrived in; with nothing pending,
nothing is written. Event ids come from each Event's canonical-first mention (earliest published,
then mention id), so they are order-independent too; an id that re-fusion retires is kept in
``event_aliases`` and still finds the Event that took most of its mentions.

Only rows that really change are written, and ``events.updated_at`` says when each row last
changed (``created_at`` when it first appeared).

Corrections: ``split_stored_event`` and ``merge_stored_events`` record a ``Split``/``Merge`` over
mention ids (``fusion_corrections``) and re-fuse the components concerned; every later fusion
applies all corrections again, so they survive re-processing. ``refuse_all`` recomputes
everything (after the fusion rules changed).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from tocsin.fusion import (
    Corrections,
    MentionInput,
    Merge,
    Split,
    fingerprint,
    fuse,
    fuse_linked,
)
from tocsin.fusion import merge_events as record_merge
from tocsin.fusion import split_event as record_split
from tocsin.fusion.blocking import Block, filed_blocks, wanted_blocks
from tocsin.fusion.profiles import Profile, build_profile, canonical_key
from tocsin.fusion.rules import FusionRules, default_rules
from tocsin.fusion.streaming import compatible_pairs
from tocsin.records import Event
from tocsin.store.database import Database
from tocsin.store.event_store import (
    component_members,
    correction_rows,
    documents_without_fingerprint,
    event_members,
    events_holding,
    file_in_blocks,
    forget_fusion_state,
    fusion_transaction,
    mention_rows,
    mentions_in_blocks,
    pending_mention_ids,
    record_correction,
    store_events,
    store_fingerprints,
    stored_components,
    stored_event,
    unpack_minhash,
    write_components,
)
from tocsin.store.rows import mention_from_row


@dataclass
class FusionSummary:
    """What one fusion did: mentions fused for the first time, mentions re-fused in all (new
    ones included), Event rows inserted or updated, and Event rows removed."""

    new_mentions: int = 0
    refused_mentions: int = 0
    events_written: int = 0
    events_removed: int = 0

    def to_dict(self) -> dict[str, int]:
        return dict(vars(self))


# -- transactions and chunked reads ---------------------------------------------------------


# -- reading mentions as fusion inputs -------------------------------------------------------


def _store_fingerprints(
    connection: Connection, missing: list[tuple[str, str]], rules: FusionRules
) -> None:
    """Compute and store the MinHash of documents given as (id, text)."""
    if missing:
        store_fingerprints(connection, {
            document_id: fingerprint(text, rules.minhash_permutations, rules.shingle_words)
            for document_id, text in missing
        })


def _ensure_fingerprints(
    connection: Connection, document_ids: Iterable[str], rules: FusionRules
) -> None:
    """Compute and store the MinHash of the documents that have none yet."""
    _store_fingerprints(connection, documents_without_fingerprint(connection, document_ids), rules)


def _as_input(row: Any) -> MentionInput:
    values = row._mapping
    return MentionInput(
        id=values["id"],
        mention=mention_from_row(values),
        document_id=values["document_id"],
        text_fingerprint=unpack_minhash(values["document_minhash"]),
        source=values["document_source"],
        url=values["document_url"],
        published=values["document_published"],
    )


def _load_inputs(
    connection: Connection, mention_ids: Iterable[str], rules: FusionRules
) -> dict[str, MentionInput]:
    """The fusion inputs of stored mentions; the documents' missing fingerprints are computed
    and stored first (read again only for the mentions that lacked one)."""
    rows = mention_rows(connection, set(mention_ids))
    unprinted = {r.document_id for r in rows if r.document_minhash is None}
    if unprinted:
        _ensure_fingerprints(connection, unprinted, rules)
        again = mention_rows(connection, {r.id for r in rows if r.document_id in unprinted})
        fresh = {r.id: r for r in again}
        rows = [fresh.get(r.id, r) for r in rows]
    return {r.id: _as_input(r) for r in rows}


def fingerprint_documents(
    database: Database, mention_ids: Iterable[str], rules: FusionRules
) -> None:
    """Compute and store the MinHash of the mentions' documents that have none."""
    document_ids = {m.rsplit(":", 1)[0] for m in mention_ids}
    with fusion_transaction(database) as connection:
        _ensure_fingerprints(connection, document_ids, rules)


# -- corrections -----------------------------------------------------------------------------


def _read_corrections(connection: Connection) -> Corrections:
    items: list[Split | Merge] = []
    for row in correction_rows(connection):
        mentions = tuple(json.loads(row.mentions))
        if row.kind == "split":
            items.append(Split(mentions, tuple(json.loads(row.rest or "[]")), row.note))
        else:
            items.append(Merge(mentions, row.note))
    return Corrections(items)


def load_corrections(database: Database) -> Corrections:
    """Every recorded correction, oldest first."""
    with database.engine.connect() as connection:
        return _read_corrections(connection)


def correction_groups(corrections: Corrections) -> list[set[str]]:
    """The mentions each correction ties together (for components, a split's sides count as
    one group: they must be fused together to be kept apart)."""
    groups = []
    for item in corrections.items:
        members = set(item.mentions)
        if isinstance(item, Split):
            members |= set(item.rest)
        groups.append(members)
    return groups


# -- components ------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _profiles(items: Sequence[MentionInput], rules: FusionRules) -> list[Profile]:
    ordered = sorted(items, key=canonical_key)
    return [build_profile(i, item, rules) for i, item in enumerate(ordered)]


def _key(block: Block) -> str:
    modality, country, family, bucket = block
    return f"{modality}|{country}|{family}|{bucket}"


def block_keys(profile: Profile, rules: FusionRules) -> list[str]:
    """The blocks a mention is filed under (see ``tocsin.fusion.blocking``)."""
    return [_key(b) for b in filed_blocks(profile, rules)]


def wanted_keys(profile: Profile, rules: FusionRules) -> list[str]:
    """The blocks whose stored mentions a new mention is compared with."""
    return [_key(b) for b in wanted_blocks(profile, rules)]


def _compatible_edges(
    profiles: list[Profile], rules: FusionRules, involving: set[str] | None = None
) -> Iterator[tuple[str, str]]:
    """Pairs of mention ids that fusion could join (only pairs touching ``involving``)."""
    first, second = compatible_pairs(profiles, rules)
    for i, j in zip(first.tolist(), second.tolist(), strict=True):
        p, q = profiles[i], profiles[j]
        if involving is None or p.id in involving or q.id in involving:
            yield p.id, q.id


def linked_components(
    mention_ids: Iterable[str], links: Iterable[tuple[str, str]], corrections: Corrections
) -> dict[str, str]:
    """Mention id -> component id (its smallest mention id), from the compatible pairs fusion
    found (``fuse_linked``) and the corrections: what ``_components`` finds, without comparing
    again."""
    found = _UnionFind()
    ids = list(mention_ids)
    for mention in ids:
        found.find(mention)
    for a, b in links:
        found.union(a, b)
    present = set(ids)
    for group in correction_groups(corrections):
        members = sorted(group & present)
        for other in members[1:]:
            found.union(members[0], other)
    return {m: found.find(m) for m in ids}


def _components(
    items: Sequence[MentionInput],
    corrections: Corrections,
    rules: FusionRules,
    built: list[Profile] | None = None,
) -> dict[str, str]:
    """Mention id -> component id (its smallest mention id). ``built``: profiles already made
    of some set of mentions, used when it is exactly ``items`` (the first fusion of a store)."""
    found = _UnionFind()
    for item in items:
        found.find(item.id)
    profiles = built
    if profiles is None or {p.id for p in profiles} != {item.id for item in items}:
        profiles = _profiles(items, rules)
    first, second = compatible_pairs(profiles, rules)
    for i, j in zip(first.tolist(), second.tolist(), strict=True):
        found.union(profiles[i].id, profiles[j].id)
    present = {item.id for item in items}
    for group in correction_groups(corrections):
        members = sorted(group & present)
        for other in members[1:]:
            found.union(members[0], other)
    return {item.id: found.find(item.id) for item in items}


# -- writing Events --------------------------------------------------------------------------


def _write_events(
    connection: Connection,
    scope: dict[str, MentionInput],
    corrections: Corrections,
    rules: FusionRules,
) -> tuple[list[Event], int, int]:
    """Fuse the mentions of ``scope`` (whole components) and replace their Events.

    Returns the new Events, the number of event rows written and the number removed.
    """
    fused = fuse(scope.values(), corrections, rules=rules)
    written, removed = store_events(connection, set(scope), fused)
    return fused, written, removed


def _refuse(
    connection: Connection,
    seeds: set[str],
    loaded: dict[str, MentionInput],
    corrections: Corrections,
    rules: FusionRules,
) -> tuple[int, int, int]:
    """Re-fuse the whole components of ``seeds`` (plus any correction or Event they share)."""
    inputs, components, known = _refusal_scope(connection, seeds, loaded, corrections, rules)
    write_components(connection, components, known)
    _fused, written, removed = _write_events(connection, inputs, corrections, rules)
    return len(inputs), written, removed


def _refusal_scope(
    connection: Connection,
    seeds: set[str],
    loaded: dict[str, MentionInput],
    corrections: Corrections,
    rules: FusionRules,
    built: list[Profile] | None = None,
    find_components: bool = True,
) -> tuple[dict[str, MentionInput], dict[str, str], dict[str, str]]:
    """What re-fusing ``seeds`` covers: the inputs of their whole components (plus any
    correction or Event they share), each one's component (none without ``find_components``),
    and the components stored before."""
    scope = set(seeds)
    groups = correction_groups(corrections)
    while True:
        grown = set(scope)
        grown |= component_members(connection, set(stored_components(connection, scope).values()))
        grown |= event_members(connection, grown)
        for group in groups:
            if group & grown:
                grown |= group
        if grown == scope:
            break
        scope = grown
    missing = scope - set(loaded)
    if missing:
        loaded.update(_load_inputs(connection, missing, rules))
    inputs = {m: loaded[m] for m in scope if m in loaded}
    known = stored_components(connection, inputs)
    if not find_components:
        return inputs, {}, known
    return inputs, _components(list(inputs.values()), corrections, rules, built), known


@dataclass
class PendingFusion:
    """Fusing the pending mentions, read from the store but not yet written: the new mentions'
    block rows, the inputs of every mention to re-fuse (whole components), each one's
    component (left empty by ``plan_pending(..., find_components=False)``: whoever fuses the
    inputs fills it in), the components stored before, and the corrections in force."""

    new_mentions: int
    block_rows: list[dict[str, str]]
    inputs: dict[str, MentionInput]
    components: dict[str, str]
    known: dict[str, str]
    corrections: Corrections


def _plan_mentions(
    connection: Connection,
    pending: Sequence[str],
    corrections: Corrections,
    rules: FusionRules,
    find_components: bool = True,
) -> PendingFusion:
    """What fusing the mentions ``pending`` (not yet fused) covers (see ``PendingFusion``)."""
    new = _load_inputs(connection, pending, rules)
    new_profiles = _profiles(list(new.values()), rules)
    blocks = {p.id: block_keys(p, rules) for p in new_profiles}
    wanted = {b for p in new_profiles for b in wanted_keys(p, rules)}
    neighbour_ids = mentions_in_blocks(connection, wanted) - set(new)
    block_rows = [
        {"block": b, "mention_id": m} for m, keys in blocks.items() for b in sorted(set(keys))
    ]
    loaded = dict(new)
    seeds = set(new)
    if neighbour_ids:
        loaded.update(_load_inputs(connection, neighbour_ids, rules))
        for a, b in _compatible_edges(_profiles(list(loaded.values()), rules), rules, set(new)):
            seeds.update((a, b))
    inputs, components, known = _refusal_scope(
        connection, seeds, loaded, corrections, rules, new_profiles, find_components
    )
    return PendingFusion(len(new), block_rows, inputs, components, known, corrections)


def _plan_new(
    connection: Connection, rules: FusionRules, find_components: bool = True
) -> PendingFusion | None:
    pending = pending_mention_ids(connection)
    if not pending:
        return None
    corrections = _read_corrections(connection)
    return _plan_mentions(connection, pending, corrections, rules, find_components)


def plan_mentions(
    database: Database,
    mention_ids: Sequence[str],
    corrections: Corrections,
    rules: FusionRules,
) -> PendingFusion | None:
    """``plan_pending(..., find_components=False)`` for some of the pending mentions, only
    read (their documents' fingerprints must be stored): what a Dask worker plans for the
    mentions of its groups (``tocsin.distributed.fusion_tasks``). None when a mention is not
    in the database."""
    with database.engine.connect() as connection:
        plan = _plan_mentions(connection, mention_ids, corrections, rules, False)
    return plan if plan.new_mentions == len(set(mention_ids)) else None


def _record_plan(connection: Connection, plan: PendingFusion) -> None:
    file_in_blocks(connection, plan.block_rows)
    write_components(connection, plan.components, plan.known)


def _fuse_new(connection: Connection, rules: FusionRules) -> FusionSummary:
    plan = _plan_new(connection, rules, find_components=False)
    if plan is None:
        return FusionSummary()
    # One pass finds the Events and the compatible pairs whose components are stored.
    fused, links = fuse_linked(plan.inputs.values(), plan.corrections, rules=rules)
    plan.components = linked_components(plan.inputs, links, plan.corrections)
    _record_plan(connection, plan)
    written, removed = store_events(connection, set(plan.inputs), fused)
    return FusionSummary(plan.new_mentions, len(plan.inputs), written, removed)


def plan_pending(
    database: Database, rules: FusionRules | None = None, find_components: bool = True
) -> PendingFusion | None:
    """The first step of ``fuse_pending`` on its own: what fusing the pending mentions covers
    (None when nothing is pending). Only missing text fingerprints are written. Fuse
    ``plan.inputs`` (component by component if wished), store the Events with
    ``store_fused`` and finish with ``record_plan``; no other fusion may run meanwhile.
    Without ``find_components``, ``plan.components`` is left for the caller to fill in
    (``linked_components`` of what ``fuse_linked`` returns)."""
    with fusion_transaction(database) as connection:
        return _plan_new(connection, rules or default_rules(), find_components)


def store_fused(database: Database, scope_ids: set[str], fused: list[Event]) -> tuple[int, int]:
    """``store_events`` in a transaction of its own: ``scope_ids`` must be whole components
    holding whole stored Events."""
    with fusion_transaction(database) as connection:
        return store_events(connection, scope_ids, fused)


def record_plan(database: Database, plan: PendingFusion) -> None:
    """Mark the plan's mentions as fused: their block rows and components (the last step)."""
    with fusion_transaction(database) as connection:
        _record_plan(connection, plan)


def fuse_pending(database: Database, rules: FusionRules | None = None) -> FusionSummary:
    """Fuse the stored mentions that no fusion has seen yet, re-fusing what they touch."""
    with fusion_transaction(database) as connection:
        return _fuse_new(connection, rules or default_rules())


def refuse_all(database: Database, rules: FusionRules | None = None) -> FusionSummary:
    """Fuse every stored mention again from scratch (e.g. after the fusion rules changed);
    Events that come out the same are left untouched."""
    with fusion_transaction(database) as connection:
        forget_fusion_state(connection)
        return _fuse_new(connection, rules or default_rules())


# -- corrections through the store ----------------------------------------------------------


def _record(connection: Connection, item: Split | Merge) -> None:
    if isinstance(item, Split):
        record_correction(connection, "split", item.mentions, item.rest, item.note)
    else:
        record_correction(connection, "merge", item.mentions, None, item.note)


def _correct(
    database: Database, build: Any, rules: FusionRules | None
) -> tuple[list[str], Corrections]:
    rules = rules or default_rules()
    with fusion_transaction(database) as connection:
        corrections = _read_corrections(connection)
        item, members = build(connection, corrections)
        _record(connection, item)
        _refuse(connection, set(members), {}, corrections, rules)
        return members, corrections


def split_stored_event(
    database: Database,
    event_id: str,
    mention_ids: Iterable[str],
    note: str | None = None,
    rules: FusionRules | None = None,
) -> list[Event]:
    """Take ``mention_ids`` out of the Event into an Event of their own (recorded, so it
    survives re-fusion); return the Events that now hold the original Event's mentions."""
    moved = list(mention_ids)

    def build(connection: Connection, corrections: Corrections) -> tuple[Split, list[str]]:
        event = stored_event(connection, event_id)
        item = record_split(corrections, event, moved, note)
        return item, [r.mention for r in event.mentions]

    members, _ = _correct(database, build, rules)
    with database.engine.connect() as connection:
        return events_holding(connection, members)


def merge_stored_events(
    database: Database,
    first_id: str,
    second_id: str,
    note: str | None = None,
    rules: FusionRules | None = None,
) -> Event:
    """Record that two Events are one and fuse them; return the merged Event."""

    def build(connection: Connection, corrections: Corrections) -> tuple[Merge, list[str]]:
        first = stored_event(connection, first_id)
        second = stored_event(connection, second_id)
        if first.id == second.id:
            raise ValueError(f"{first_id} and {second_id} are the same event")
        item = record_merge(corrections, first, second, note)
        return item, list(item.mentions)

    members, _ = _correct(database, build, rules)
    with database.engine.connect() as connection:
        held = events_holding(connection, members)
    if len(held) != 1:
        raise RuntimeError(f"merge left {len(held)} events (a later split may forbid it)")
    return held[0]
