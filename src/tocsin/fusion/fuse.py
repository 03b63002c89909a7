"""``fuse``: event mentions in, one Event per real event out.

Steps: sort the mentions canonically (earliest publication, then mention id) so nothing depends on
input order; profile each mention; generate candidate pairs by blocking; score the compatible
pairs; cluster them under the analysts' corrections; assemble one Event per cluster.

Incremental use: fusion is a pure function of the set of mentions and the corrections. To add new
documents, fuse the union of the affected block's mentions again: the result equals fusing
everything at once, and an Event keeps its id as long as its canonical-first mention does (new
reports are usually published later, so they join without changing the id). Passing ``previous``
(mention id -> Event id from the last run) keeps ids even when an earlier-published report arrives
late or a correction reshapes an event: an Event takes the previous id most of its mentions had.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from tocsin.fusion.assembly import assemble_event, event_id_for
from tocsin.fusion.candidates import candidate_pairs
from tocsin.fusion.clustering import cluster
from tocsin.fusion.compatibility import compare, crosses_border
from tocsin.fusion.corrections import Corrections, constraints
from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.profiles import Profile, build_profile, canonical_key
from tocsin.fusion.rules import FusionRules, default_rules
from tocsin.fusion.verdicts import PairVerdicts
from tocsin.records import Event


def _keep_previous_ids(events: list[Event], previous: Mapping[str, str]) -> None:
    claims: dict[str, list[tuple[int, int]]] = {}  # old id -> [(-votes, event position)]
    wanted: list[str | None] = []
    for position, event in enumerate(events):
        tally = Counter(previous[r.mention] for r in event.mentions if r.mention in previous)
        if not tally:
            wanted.append(None)
            continue
        votes = max(tally.values())
        old = min(i for i, n in tally.items() if n == votes)
        wanted.append(old)
        claims.setdefault(old, []).append((-votes, position))
    winners = {old: min(contenders)[1] for old, contenders in claims.items()}
    used = {old for old in winners}
    for position, event in enumerate(events):
        kept = wanted[position]
        if kept is not None and winners[kept] == position:
            event.id = kept
            continue
        candidate, n = event.id, 0
        while candidate in used:
            n += 1
            candidate = event_id_for(f"{event.mentions[0].mention}|{n}")
        event.id = candidate
        used.add(candidate)


def _best_first(
    scores: array[float], firsts: array[int], seconds: array[int], chunk: int = 65_536
) -> Iterator[tuple[int, int]]:
    """The scored pairs, higher score first, ties by the mentions' canonical indexes."""
    if not scores:
        return
    order = np.lexsort(
        (np.frombuffer(seconds, dtype=np.int64), np.frombuffer(firsts, dtype=np.int64),
         -np.frombuffer(scores, dtype=np.float64))
    )  # fmt: skip
    for begin in range(0, len(order), chunk):
        part = order[begin : begin + chunk]
        yield from zip(
            np.frombuffer(firsts, dtype=np.int64)[part].tolist(),
            np.frombuffer(seconds, dtype=np.int64)[part].tolist(),
            strict=True,
        )


def fuse(
    mentions: Iterable[MentionInput],
    corrections: Corrections | None = None,
    *,
    rules: FusionRules | None = None,
    previous: Mapping[str, str] | None = None,
) -> list[Event]:
    """Fuse event mentions into Events, in canonical order of their first mention."""
    return _fuse(mentions, corrections, rules, previous, with_links=False)[0]


def fuse_linked(
    mentions: Iterable[MentionInput],
    corrections: Corrections | None = None,
    *,
    rules: FusionRules | None = None,
    previous: Mapping[str, str] | None = None,
) -> tuple[list[Event], list[tuple[str, str]]]:
    """``fuse``, and the pairs of mention ids it found compatible (each once, in canonical
    order): the links whose connected components re-fusion works on."""
    return _fuse(mentions, corrections, rules, previous, with_links=True)


def _fuse(
    mentions: Iterable[MentionInput],
    corrections: Corrections | None,
    rules: FusionRules | None,
    previous: Mapping[str, str] | None,
    with_links: bool,
) -> tuple[list[Event], list[tuple[str, str]]]:
    rules = rules or default_rules()
    unique = {item.id: item for item in mentions}
    items = sorted(unique.values(), key=canonical_key)
    del unique
    shared: dict[Any, Any] = {}
    profiles = [build_profile(i, item, rules, shared) for i, item in enumerate(items)]
    del shared
    groups, firsts, seconds = _clusters(items, profiles, corrections, rules)
    links = (
        [(items[i].id, items[j].id) for i, j in zip(firsts, seconds, strict=True)]
        if with_links
        else []
    )
    del firsts, seconds
    # Each cluster's profiles are let go once its Event is built (they are not needed again),
    # so the Events grow while the profiles shrink.
    held: list[Profile | None] = list(profiles)
    del profiles
    events = [
        assemble_event([items[i] for i in group], _take(held, group), rules) for group in groups
    ]
    if previous:
        _keep_previous_ids(events, previous)
    return events, links


def _clusters(
    items: list[MentionInput],
    profiles: list[Profile],
    corrections: Corrections | None,
    rules: FusionRules,
) -> tuple[list[list[int]], array[int], array[int]]:
    """The clusters of profile indexes, and the compatible pairs (firsts[k] < seconds[k])."""
    verdicts = PairVerdicts(len(profiles))
    scores, firsts, seconds = array("d"), array("q"), array("q")  # the compatible pairs
    for i, j in candidate_pairs(profiles, rules):
        p, q = profiles[i], profiles[j]
        score = compare(p, q, rules)
        if score is not None:
            scores.append(score)
            firsts.append(i)
            seconds.append(j)
        elif not (p.weak or q.weak or crosses_border(p, q)):
            # Failing the full test is a contradiction only when the places were precise and in
            # one country: a vague or cross-border pair may still sit in one cluster.
            verdicts.contradicting(i, j)
    verdicts.freeze(firsts, seconds)

    def compatible(x: int, y: int) -> bool:
        if x == y:
            return True
        if x > y:
            x, y = y, x
        found = verdicts.get(x, y)
        if found is None:
            found = compare(profiles[x], profiles[y], rules, hard_only=True) is not None
            verdicts.put(x, y, found)
        return found

    corrected = corrections is not None and bool(corrections.items)
    index_of = {item.id: i for i, item in enumerate(items)} if corrected else {}
    ordered = _best_first(scores, firsts, seconds)
    groups = cluster(profiles, ordered, compatible, constraints(corrections, index_of))
    return groups, firsts, seconds


def _take(held: list[Profile | None], group: list[int]) -> list[Profile]:
    """The profiles of ``group``, no longer held."""
    taken = []
    for i in group:
        profile = held[i]
        assert profile is not None  # each mention is in one group
        taken.append(profile)
        held[i] = None
    return taken
