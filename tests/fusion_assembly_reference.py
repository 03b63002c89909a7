"""The assembly of fused Events as the engine first did it (its general rules, before they were
made faster): kept as the reference that ``tests/test_fusion_assembly.py`` checks the engine
against, field for field."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from tocsin.fusion.fingerprint import Fingerprint, similarity
from tocsin.fusion.independence import outlet_key
from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.profiles import Profile
from tocsin.fusion.rules import FusionRules
from tocsin.records import (
    Actor,
    CountReport,
    Counts,
    DateSpan,
    Event,
    EventMention,
    MentionRef,
    Place,
)

T = TypeVar("T")


def event_id_for(mention_id: str) -> str:
    """The id of the Event whose canonical-first mention is ``mention_id``."""
    return "ev-" + hashlib.blake2b(mention_id.encode("utf-8"), digest_size=10).hexdigest()


def _majority(values: Sequence[T], key: Callable[[T], Hashable] | None = None) -> T:
    """The most frequent value (by ``key``); ties go to the one that appears first."""
    if len(values) == 1:
        return values[0]
    keys: Sequence[Hashable] = values if key is None else [key(v) for v in values]  # type: ignore[assignment]
    tally: dict[Hashable, int] = {}
    for k in keys:
        tally[k] = tally.get(k, 0) + 1
    if len(tally) == 1:
        return values[0]
    best = max(tally.values())
    return next(v for v, k in zip(values, keys, strict=True) if tally[k] == best)


def _place_rank(place: Place, order: tuple[str, ...]) -> int:
    return order.index(place.precision) if place.precision in order else len(order)


def _place_identity(place: Place) -> Hashable:
    return (place.geonameid, place.name or place.text, place.country, place.lat, place.lon)


def _choose_place(places: list[Place], order: tuple[str, ...]) -> Place | None:
    usable = [p for p in places if not p.metonym]
    if not usable:
        return None
    best = min(_place_rank(p, order) for p in usable)
    return _majority([p for p in usable if _place_rank(p, order) == best], _place_identity)


def _places_of(
    mentions: list[EventMention], profiles: list[Profile], rules: FusionRules
) -> list[Place]:
    places = [m.location for m in mentions if m.location is not None]
    if not places or profiles[0].family not in rules.cross_border_families:
        return places
    origins = [m.actor2.country for m in mentions if m.actor2 is not None and m.actor2.country]
    if not origins:
        return places
    origin = _majority(origins)
    return [p for p in places if p.country == origin] or places


def _actor_detail(actor: Actor) -> int:
    return (actor.country is not None) + (actor.sector is not None) + (actor.group is not None)


def _choose_actor(actors: list[Actor | None]) -> Actor | None:
    known = [a for a in actors if a is not None]
    if not known:
        return None
    best = max(_actor_detail(a) for a in known)
    return _majority(
        [a for a in known if _actor_detail(a) == best],
        lambda a: (a.country, a.sector, a.group, a.text.casefold()),
    )


def _choose_date(items: list[MentionInput], profiles: list[Profile]) -> DateSpan | None:
    dated = [
        (item, p)
        for item, p in zip(items, profiles, strict=True)
        if item.mention.date is not None
        and item.mention.date.precision != "published"
        and p.raw_start is not None
    ]
    if not dated:
        for item in items:
            if item.mention.date is not None and (item.mention.date.start or item.mention.date.end):
                return item.mention.date
        first = next((item.published for item in items if item.published), None)
        return DateSpan(first, first, "published") if first else None
    low = max(p.raw_start for _, p in dated if p.raw_start is not None)
    high = min(p.raw_end for _, p in dated if p.raw_end is not None)
    if low <= high:
        for item, p in dated:
            if (p.raw_start, p.raw_end) == (low, high):
                assert item.mention.date is not None  # it gave raw_start
                return DateSpan(
                    dt.date.fromordinal(low), dt.date.fromordinal(high), item.mention.date.precision
                )
        return DateSpan(
            dt.date.fromordinal(low), dt.date.fromordinal(high), "day" if low == high else "range"
        )
    item, _ = min(dated, key=lambda pair: (pair[1].raw_end or 0) - (pair[1].raw_start or 0))
    return item.mention.date


def _ref(item: MentionInput) -> MentionRef:
    evidence = item.mention.evidence
    return MentionRef(
        mention=item.id,
        document=item.document_id,
        sentence=evidence.sentence,
        start=evidence.start,
        end=evidence.end,
        source=item.source,
        url=item.url,
        published=item.published,
    )


def _single_event(item: MentionInput, profile: Profile, rules: FusionRules) -> Event:
    """``assemble_event`` of a cluster of one mention: every choice is that mention's own (one
    source, its place unless a metonym), without the tallies."""
    mention = item.mention
    remaining = 1.0
    remaining *= 1.0 - min(max(max(0.0, mention.confidence), 0.0), 1.0)
    figures = fuse_counts([CountInput(item.id, mention, 0, item.source)], rules)
    place = mention.location
    return Event(
        id=event_id_for(item.id),
        event=mention.event,
        mode=mention.mode,
        acled=list(mention.acled) if mention.acled else None,
        actor1=mention.actor1,
        actor2=mention.actor2,
        location=None if place is None or place.metonym else place,
        date=_choose_date([item], [profile]),
        counts=figures.counts,
        modality=mention.modality,
        confidence=round(min(rules.confidence_cap, 1.0 - remaining), 4),
        sources=1,
        mentions=[_ref(item)],
        count_reports=figures.reports,
        conflicting_counts=figures.conflicting,
    )


def assemble_event(items: list[MentionInput], profiles: list[Profile], rules: FusionRules) -> Event:
    """The Event of one cluster; ``items`` and ``profiles`` are in canonical order."""
    if len(items) == 1:
        return _single_event(items[0], profiles[0], rules)
    return assemble_many(items, profiles, rules)


def assemble_many(items: list[MentionInput], profiles: list[Profile], rules: FusionRules) -> Event:
    """``assemble_event`` by the general rules, whatever the number of mentions (a cluster of
    one takes a shortcut to the same Event)."""
    mentions = [item.mention for item in items]
    event_type = _majority([m.event for m in mentions])
    of_type = [m for m in mentions if m.event == event_type]
    modes = [m.mode for m in of_type if m.mode is not None]
    mode = _majority(modes) if modes else None
    acleds = [tuple(m.acled) for m in of_type if m.acled and m.mode == mode]
    acleds = acleds or [tuple(m.acled) for m in of_type if m.acled]
    acled = list(_majority(acleds)) if acleds else None

    outlets = {item.document_id: outlet_key(item.source, item.url) for item in items}
    fingerprints = {
        item.document_id: profile.fingerprint for item, profile in zip(items, profiles, strict=True)
    }
    groups = source_groups(
        [(doc, outlets[doc], fingerprints[doc]) for doc in outlets], rules.near_duplicate_jaccard
    )
    group_of = {doc: n for n, group in enumerate(groups) for doc in group}
    best_by_group: dict[int, float] = {}
    for item in items:
        g = group_of[item.document_id]
        best_by_group[g] = max(best_by_group.get(g, 0.0), item.mention.confidence)
    remaining = 1.0
    for value in best_by_group.values():
        remaining *= 1.0 - min(max(value, 0.0), 1.0)
    confidence = round(min(rules.confidence_cap, 1.0 - remaining), 4)

    figures = fuse_counts(
        [
            CountInput(item.id, item.mention, group_of[item.document_id], item.source)
            for item in items
        ],
        rules,
    )
    refs = [_ref(item) for item in items]
    return Event(
        id=event_id_for(items[0].id),
        event=event_type,
        mode=mode,
        acled=acled,
        actor1=_choose_actor([m.actor1 for m in mentions]),
        actor2=_choose_actor([m.actor2 for m in mentions]),
        location=_choose_place(_places_of(mentions, profiles, rules), rules.specificity),
        date=_choose_date(items, profiles),
        counts=figures.counts,
        modality=mentions[0].modality,
        confidence=confidence,
        sources=len(groups),
        mentions=refs,
        count_reports=figures.reports,
        conflicting_counts=figures.conflicting,
    )


@dataclass
class CountInput:
    mention_id: str
    mention: EventMention
    source_group: int
    outlet: str | None


@dataclass
class CountOutcome:
    counts: Counts
    reports: list[CountReport]
    conflicting: bool


def _pick(values: list[int], how: str) -> int:
    return max(values) if how == "max" else min(values)


def fuse_counts(inputs: Sequence[CountInput], rules: FusionRules) -> CountOutcome:
    """Combine the counts of an event's mentions (``inputs`` in canonical order)."""
    reports: list[CountReport] = []
    counts = Counts()
    conflicting = False
    units: set[str] = set()
    qualifier: str | None = None
    for kind in rules.count_kinds:
        entries = []
        for item in inputs:
            value = getattr(item.mention.counts, kind, None)
            if value is None:
                continue
            reports.append(
                CountReport(
                    kind=kind,
                    value=value,
                    qualifier=item.mention.counts.qualifier,
                    mention=item.mention_id,
                    source=item.outlet,
                )
            )
            unit = item.mention.counts.unit or rules.preferred_unit
            entries.append((item.source_group, value, item.mention.counts.qualifier, unit))
        if not entries:
            continue
        preferred = [e for e in entries if e[3] == rules.preferred_unit]
        usable = preferred or entries
        by_source: dict[int, list[tuple[int, str | None]]] = {}
        for group, value, qual, _unit in usable:
            by_source.setdefault(group, []).append((value, qual))
        source_figures: list[tuple[int, str | None]] = []
        for group in sorted(by_source):
            figure = _pick([v for v, _ in by_source[group]], rules.within_source)
            qual = next(q for v, q in by_source[group] if v == figure)
            source_figures.append((figure, qual))
        chosen = _pick([v for v, _ in source_figures], rules.across_sources)
        chosen_qualifier = next(q for v, q in source_figures if v == chosen)
        setattr(counts, kind, chosen)
        units.add(usable[0][3])
        if qualifier is None:
            qualifier = chosen_qualifier
        values = [v for v, _ in source_figures]
        low, high = min(values), max(values)
        if high - low >= rules.conflict_min_difference and high - low > rules.conflict_ratio * high:
            conflicting = True
    counts.qualifier = qualifier
    for item in inputs:  # the highest unconfirmed claim above the chosen figure
        for kind, claim in item.mention.counts.upper.items():
            if claim > max(getattr(counts, kind, None) or 0, counts.upper.get(kind, 0)):
                counts.upper[kind] = claim
    if units:
        counts.unit = rules.preferred_unit if rules.preferred_unit in units else sorted(units)[0]
    return CountOutcome(counts=counts, reports=reports, conflicting=conflicting)


def source_groups(
    documents: Sequence[tuple[str, str | None, Fingerprint | None]], threshold: float
) -> list[list[str]]:
    """Group documents ``(id, outlet key, fingerprint)`` into independent sources (sorted)."""
    ids = sorted({d[0] for d in documents})
    if len(ids) == 1:
        return [ids]
    info = {d[0]: d for d in documents}
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for n, first in enumerate(ids):
        a = info[first]
        for second in ids[n + 1 :]:
            ra, rb = find(first), find(second)
            if ra == rb:  # already one source: no need to compare them
                continue
            b = info[second]
            same_outlet = a[1] is not None and a[1] == b[1]
            if same_outlet or similarity(a[2], b[2]) >= threshold:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())
