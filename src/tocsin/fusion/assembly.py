"""Building one fused Event from the mentions of a cluster.

Field rules (all ties are broken by canonical order: earliest publication, then mention id):

- ``event``: the category most mentions give; ``mode`` and ``acled``: the most frequent among the
  mentions of that category;
- ``location``: the most specific place (``[place] specificity`` in fusion.toml), then the place
  most mentions give; for a family that crosses borders (displacement), a place in the country
  the affected people (actor2) come from, when a mention gives one: where they fled from;
- ``date``: the intersection of the mentions' date windows when it is not empty, else the narrowest
  window; dates known only from publication yield to any real date;
- ``actor1``/``actor2``: the most specific (most of country, sector, group known), then the most
  frequent wording;
- ``sources``: the number of independent sources; ``confidence``: a noisy-or over them;
- ``id``: derived from the canonical-first mention, so it stays when later reports join.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import lru_cache
from typing import TypeVar

from tocsin.fusion.figures import CountInput, fuse_counts
from tocsin.fusion.independence import outlet_key, source_groups
from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.profiles import Profile
from tocsin.fusion.rules import FusionRules
from tocsin.records import Actor, DateSpan, Event, EventMention, MentionRef, Place

T = TypeVar("T")


def event_id_for(mention_id: str) -> str:
    """The id of the Event whose canonical-first mention is ``mention_id``."""
    return "ev-" + hashlib.blake2b(mention_id.encode("utf-8"), digest_size=10).hexdigest()


def _majority(values: Sequence[T], key: Callable[[T], Hashable] | None = None) -> T:
    """The most frequent value (by ``key``); ties go to the one that appears first."""
    if len(values) == 1:
        return values[0]
    keys: Sequence[Hashable] = values if key is None else [key(v) for v in values]  # type: ignore[assignment]
    if keys.count(keys[0]) == len(keys):  # all one value (the usual case)
        return values[0]
    tally: dict[Hashable, int] = {}
    for k in keys:
        tally[k] = tally.get(k, 0) + 1
    best = max(tally.values())
    return next(v for v, k in zip(values, keys, strict=True) if tally[k] == best)


@lru_cache(maxsize=16)
def _ranks(order: tuple[str, ...]) -> dict[str, int]:
    """Each precision's position in ``order`` (its first)."""
    ranks: dict[str, int] = {}
    for k, precision in enumerate(order):
        ranks.setdefault(precision, k)
    return ranks


def _place_identity(place: Place) -> Hashable:
    return (place.geonameid, place.name or place.text, place.country, place.lat, place.lon)


def _choose_place(places: list[Place], order: tuple[str, ...]) -> Place | None:
    usable = [p for p in places if not p.metonym]
    if not usable:
        return None
    if len(usable) > 1:
        ranks, last = _ranks(order), len(order)
        rank = [ranks.get(p.precision, last) for p in usable]  # type: ignore[arg-type]
        best = min(rank)
        usable = [p for p, r in zip(usable, rank, strict=True) if r == best]
    return _majority(usable, _place_identity)


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


def _actor_identity(actor: Actor) -> Hashable:
    return (actor.country, actor.sector, actor.group, actor.text.casefold())


def _choose_actor(actors: list[Actor | None]) -> Actor | None:
    known = [a for a in actors if a is not None]
    if len(known) <= 1:
        return known[0] if known else None
    detail = [
        (a.country is not None) + (a.sector is not None) + (a.group is not None) for a in known
    ]
    best = max(detail)
    return _majority(
        [a for a, d in zip(known, detail, strict=True) if d == best], _actor_identity
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


def joint_confidence(values: Iterable[float], cap: float) -> float:
    """The confidence that at least one independent source is right (each value clipped to
    [0, 1]), capped."""
    remaining = 1.0
    for value in values:
        remaining *= 1.0 - min(max(value, 0.0), 1.0)
    return round(min(cap, 1.0 - remaining), 4)


def _single_event(item: MentionInput, profile: Profile, rules: FusionRules) -> Event:
    """``assemble_event`` of a cluster of one mention: every choice is that mention's own (one
    source, its place unless a metonym), without the tallies."""
    mention = item.mention
    given = profile.counts or mention.counts.upper  # a figure or a claim of one
    figures = fuse_counts([CountInput(item.id, mention, 0, item.source)] if given else [], rules)
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
        confidence=joint_confidence([max(0.0, mention.confidence)], rules.confidence_cap),
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

    documents = {  # each document's outlet and fingerprint (of its last mention)
        item.document_id: (item.document_id, outlet_key(item.source, item.url), profile.fingerprint)
        for item, profile in zip(items, profiles, strict=True)
    }
    groups = source_groups(list(documents.values()), rules.near_duplicate_jaccard)
    group_of = {doc: n for n, group in enumerate(groups) for doc in group}
    best_by_group: dict[int, float] = {}
    for item in items:
        g = group_of[item.document_id]
        best_by_group[g] = max(best_by_group.get(g, 0.0), item.mention.confidence)
    confidence = joint_confidence(best_by_group.values(), rules.confidence_cap)

    figures = fuse_counts(  # the mentions that give a figure or claim one
        [
            CountInput(item.id, item.mention, group_of[item.document_id], item.source)
            for item, profile in zip(items, profiles, strict=True)
            if profile.counts or item.mention.counts.upper
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
