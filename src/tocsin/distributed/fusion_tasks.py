"""Fusion of pending mentions on a Dask cluster: components found and fused on the workers.

``fuse_pending_parallel(database, client)`` gives the stored Events ``fuse_pending`` gives.
The driver reads what fusing the pending mentions covers (``plan_pending`` without finding its
components) and splits it into groups that no compatible pair can cross
(``tocsin.fusion.separation``: modality, type family, country), tying together the mentions of
a correction or of one stored Event, so that replacing a group's Events touches no other group.
Each task gets a group's mention ids: a worker that reaches the database reads their inputs
itself (``read_inputs``; a mention's records cost more to pickle through the scheduler than to
read again), otherwise the driver scatters the inputs it holds to a worker. The worker runs
``fuse_linked`` on them and returns the group's Events and each mention's component (components
never cross groups, so they are those of fusing everything at once). The driver writes each
group's Events in one transaction as they come back, and records the components and blocks last,
so an interrupted run leaves the mentions pending and a rerun completes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from distributed import Client, Future, as_completed

from tocsin.distributed.worker_database import reachable_database
from tocsin.fusion import Corrections, MentionInput, fuse_linked
from tocsin.fusion.rules import FusionRules, default_rules
from tocsin.fusion.separation import separate_groups
from tocsin.incremental_fusion import (
    FusionSummary,
    PendingFusion,
    correction_groups,
    linked_components,
    plan_pending,
    read_inputs,
    record_plan,
    store_fused,
)
from tocsin.records import Event
from tocsin.store import Database
from tocsin.store.event_store import stored_links

# A task fuses groups of about this many mentions together (fewer, larger tasks keep scheduling
# and transfer overhead small; one group is never split).
MENTIONS_PER_TASK = 5_000


def fuse_group(
    items: Sequence[MentionInput], corrections: Corrections, rules: FusionRules
) -> tuple[list[Event], dict[str, str]]:
    """The task a worker runs: fuse one group, and find each of its mentions' component."""
    events, links = fuse_linked(items, corrections, rules=rules)
    return events, linked_components([item.id for item in items], links, corrections)


def fuse_stored_group(
    db_url: str, mention_ids: Sequence[str], corrections: Corrections, rules: FusionRules
) -> tuple[list[Event], dict[str, str]] | None:
    """The task a worker runs when it may reach the database: read one group's inputs there
    and fuse it (``fuse_group``); None when this worker cannot reach the database."""
    database = reachable_database(db_url)
    if database is None:
        return None
    inputs = read_inputs(database, mention_ids)
    if len(inputs) != len(mention_ids):
        return None  # not the database the driver read: let the driver send the inputs
    return fuse_group(list(inputs.values()), corrections, rules)


def fusion_groups(
    plan: PendingFusion,
    old_links: Sequence[tuple[str, str]],
    rules: FusionRules,
    size: int = MENTIONS_PER_TASK,
) -> list[list[str]]:
    """The plan's mention ids in groups that can be fused apart (whole components, whole
    corrections, whole stored Events from ``old_links``), of about ``size`` mentions."""
    stored: dict[str, list[str]] = {}
    for event_id, mention_id in old_links:
        stored.setdefault(event_id, []).append(mention_id)
    together = [*correction_groups(plan.corrections), *stored.values()]
    return separate_groups(plan.inputs, rules, together, size)


def fuse_pending_parallel(
    database: Database,
    client: Client,
    rules: FusionRules | None = None,
    mentions_per_task: int = MENTIONS_PER_TASK,
) -> FusionSummary:
    """``fuse_pending`` with the fusing done by the cluster's workers, group by group; no other
    fusion may run on ``database`` meanwhile."""
    rules = rules or default_rules()
    plan = plan_pending(database, rules, find_components=False)
    if plan is None:
        return FusionSummary()
    groups = fusion_groups(plan, stored_links(database, plan.inputs), rules, mentions_per_task)
    [corrections, shared_rules] = client.scatter([plan.corrections, rules], broadcast=True)
    futures: dict[Future, list[str]] = {
        client.submit(
            fuse_stored_group, database.url, group, corrections, shared_rules, pure=False
        ): group
        for group in groups
    }
    summary = FusionSummary(new_mentions=plan.new_mentions, refused_mentions=len(plan.inputs))
    done = as_completed(futures)
    for future in done:
        group = futures.pop(future)
        result = future.result()
        future.release()
        if result is None:  # the worker cannot read the database: send it the inputs
            [data] = client.scatter([[plan.inputs[m] for m in group]], hash=False)
            retry = client.submit(fuse_group, data, corrections, shared_rules, pure=False)
            futures[retry] = group
            done.add(retry)
            continue
        events, components = result
        written, removed = store_fused(database, set(group), events)
        plan.components.update(components)
        summary.events_written += written
        summary.events_removed += removed
    record_plan(database, plan)
    return summary
