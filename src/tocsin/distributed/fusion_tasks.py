"""Fusion of pending mentions on a Dask cluster: planned, read and fused on the workers.

``fuse_pending_parallel(database, client)`` gives the stored Events ``fuse_pending`` gives.
The driver neither reads the mentions nor builds their profiles: it splits the pending mention
ids into tasks of whole groups that no compatible pair, correction or stored Event crosses, from
a few label columns (``tocsin.distributed.fusion_plan``). Each task gets ids only; a worker
that reaches the database plans its mentions there as ``fuse_pending`` would (their blocks, the
stored neighbours they are compatible with, the whole components and stored Events to re-fuse:
``plan_mentions``, only read), fuses them with ``fuse_linked`` and returns the Events, each
mention's component and the block rows. A worker that cannot reach the database returns None;
the driver then plans that task itself and sends the plan's inputs to a worker. The driver
writes each task's Events in one transaction as they come back, and records the components and
blocks last, so an interrupted run leaves the mentions pending and a rerun completes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from distributed import Client, Future, as_completed

from tocsin.distributed.fusion_plan import plan_parallel
from tocsin.distributed.worker_database import reachable_database
from tocsin.fusion import Corrections, MentionInput, fuse_linked
from tocsin.fusion.rules import FusionRules, default_rules
from tocsin.incremental_fusion import (
    FusionSummary,
    PendingFusion,
    linked_components,
    plan_mentions,
    record_plan,
    store_fused,
)
from tocsin.records import Event
from tocsin.store import Database

# A task fuses groups of about this many pending mentions together (fewer, larger tasks keep
# scheduling and transfer overhead small; one group is never split).
MENTIONS_PER_TASK = 5_000


@dataclass
class FusedPart:
    """What a worker returns for one task: the Events of the mentions it re-fused
    (``scope``: whole components and stored Events), each one's component, the components
    stored before, and the pending mentions' block rows."""

    scope: list[str]
    events: list[Event]
    components: dict[str, str]
    known: dict[str, str]
    block_rows: list[dict[str, str]]


def fuse_group(
    items: Sequence[MentionInput], corrections: Corrections, rules: FusionRules
) -> tuple[list[Event], dict[str, str]]:
    """Fuse one group, and find each of its mentions' component."""
    events, links = fuse_linked(items, corrections, rules=rules)
    return events, linked_components([item.id for item in items], links, corrections)


def fuse_part(plan: PendingFusion, rules: FusionRules) -> FusedPart:
    """Fuse what a plan covers (the task a worker runs on a plan the driver sent)."""
    events, components = fuse_group(list(plan.inputs.values()), plan.corrections, rules)
    return FusedPart(sorted(plan.inputs), events, components, plan.known, plan.block_rows)


def fuse_stored_part(
    db_url: str, mention_ids: Sequence[str], corrections: Corrections, rules: FusionRules
) -> FusedPart | None:
    """The task a worker runs: plan pending mentions in the database and fuse them
    (``fuse_part``); None when this worker cannot reach the database, or it lacks a mention."""
    database = reachable_database(db_url)
    if database is None:
        return None
    plan = plan_mentions(database, mention_ids, corrections, rules)
    return None if plan is None else fuse_part(plan, rules)


def fuse_pending_parallel(
    database: Database,
    client: Client,
    rules: FusionRules | None = None,
    mentions_per_task: int = MENTIONS_PER_TASK,
) -> FusionSummary:
    """``fuse_pending`` with the planning and fusing done by the cluster's workers, task by
    task; no other fusion may run on ``database`` meanwhile."""
    rules = rules or default_rules()
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    plan = plan_parallel(database, rules, mentions_per_task, workers)
    if plan is None:
        return FusionSummary()
    [corrections, shared_rules] = client.scatter([plan.corrections, rules], broadcast=True)
    futures: dict[Future, list[str]] = {
        client.submit(
            fuse_stored_part, database.url, task, corrections, shared_rules, pure=False
        ): task
        for task in plan.tasks
    }
    summary = FusionSummary(new_mentions=plan.pending)
    record = PendingFusion(plan.pending, [], {}, {}, {}, plan.corrections)
    done = as_completed(futures)
    for future in done:
        task = futures.pop(future)
        part = future.result()
        future.release()
        if part is None:  # the worker cannot read the database: plan here, fuse there
            local = plan_mentions(database, task, plan.corrections, rules)
            if local is None:
                raise RuntimeError("pending mentions vanished during fusion")
            [data] = client.scatter([local], hash=False)
            retry = client.submit(fuse_part, data, shared_rules, pure=False)
            futures[retry] = task
            done.add(retry)
            continue
        written, removed = store_fused(database, set(part.scope), part.events)
        record.block_rows.extend(part.block_rows)
        record.components.update(part.components)
        record.known.update(part.known)
        summary.refused_mentions += len(part.scope)
        summary.events_written += written
        summary.events_removed += removed
    record_plan(database, record)
    return summary
