"""Fusion of pending mentions on a Dask cluster, component groups in parallel.

``fuse_pending_parallel(database, client)`` gives the stored Events ``fuse_pending`` gives.
The driver reads what fusing the pending mentions covers (``plan_pending``) and splits it into
groups of whole components: components never influence each other, so fusing each group apart
yields the Events of fusing them all at once. A group also holds whole stored Events (an old
Event whose mentions fell into two components ties them into one group), so that replacing a
group's Events touches no other group. Workers run the pure ``tocsin.fusion.fuse`` on a group's
inputs, with no database access; the driver writes each group's Events in one transaction as
they come back, and marks the mentions fused last, so an interrupted run leaves them pending
and a rerun completes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from distributed import Client, as_completed

from tocsin.fusion import Corrections, MentionInput, fuse
from tocsin.fusion.rules import FusionRules, default_rules
from tocsin.incremental_fusion import (
    FusionSummary,
    PendingFusion,
    plan_pending,
    record_plan,
    store_fused,
)
from tocsin.records import Event
from tocsin.store import Database
from tocsin.store.event_store import stored_links

# A task fuses whole components of about this many mentions together (fewer, larger tasks
# keep scheduling and transfer overhead small; one component is never split).
MENTIONS_PER_TASK = 5_000


def fuse_group(
    items: Sequence[MentionInput], corrections: Corrections, rules: FusionRules
) -> list[Event]:
    """The task a worker runs: fuse one group of whole components."""
    return fuse(items, corrections, rules=rules)


def _root(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def component_groups(
    plan: PendingFusion, old_links: Sequence[tuple[str, str]], size: int = MENTIONS_PER_TASK
) -> list[list[str]]:
    """The plan's mention ids in groups of whole components (joined where a stored Event spans
    two), packed in order into groups of about ``size`` mentions; each group sorted."""
    parent = {c: c for c in plan.components.values()}
    first_component: dict[str, str] = {}
    for event_id, mention_id in old_links:
        component = plan.components.get(mention_id)
        if component is None:
            continue
        other = first_component.setdefault(event_id, component)
        a, b = _root(parent, component), _root(parent, other)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for mention_id, component in plan.components.items():
        members.setdefault(_root(parent, component), []).append(mention_id)
    groups: list[list[str]] = []
    current: list[str] = []
    for key in sorted(members):
        current.extend(members[key])
        if len(current) >= size:
            groups.append(sorted(current))
            current = []
    if current:
        groups.append(sorted(current))
    return groups


def fuse_pending_parallel(
    database: Database,
    client: Client,
    rules: FusionRules | None = None,
    mentions_per_task: int = MENTIONS_PER_TASK,
) -> FusionSummary:
    """``fuse_pending`` with the fusing done by the cluster's workers, group by group; no other
    fusion may run on ``database`` meanwhile."""
    rules = rules or default_rules()
    plan = plan_pending(database, rules)
    if plan is None:
        return FusionSummary()
    groups = component_groups(plan, stored_links(database, plan.inputs), mentions_per_task)
    [corrections, shared_rules] = client.scatter([plan.corrections, rules], broadcast=True)
    # Each group's inputs go straight to a worker (scatter), not through the scheduler inside
    # the task, which was the driver's largest cost.
    inputs = client.scatter([[plan.inputs[m] for m in group] for group in groups], hash=False)
    futures = {
        client.submit(fuse_group, data, corrections, shared_rules, pure=False): group
        for data, group in zip(inputs, groups, strict=True)
    }
    del inputs
    summary = FusionSummary(new_mentions=plan.new_mentions, refused_mentions=len(plan.inputs))
    for future in as_completed(futures):
        group = futures.pop(future)
        written, removed = store_fused(database, set(group), future.result())
        future.release()
        summary.events_written += written
        summary.events_removed += removed
    record_plan(database, plan)
    return summary
