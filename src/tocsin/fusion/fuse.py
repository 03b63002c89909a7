"""``fuse``: event mentions in, one Event per real event out.

Steps: profile each mention; generate candidate pairs by blocking; test and score them (many at
once, ``tocsin.fusion.pair_compare``); cluster the compatible pairs best first under the analysts'
corrections; assemble one Event per cluster. Ties are broken in canonical order (earliest
publication, then mention id), so nothing depends on input order. The work runs on
``tocsin.fusion.streaming``, which takes the mentions in order of their date window and fuses each
component once no later mention can join it; ``fuse`` sorts a list for it, and a caller with more
mentions than memory can stream them itself (``fuse_stream``).

Incremental use: fusion is a pure function of the set of mentions and the corrections. To add new
documents, fuse the union of the affected block's mentions again: the result equals fusing
everything at once, and an Event keeps its id as long as its canonical-first mention does (new
reports are usually published later, so they join without changing the id). Passing ``previous``
(mention id -> Event id from the last run) keeps ids even when an earlier-published report arrives
late or a correction reshapes an event: an Event takes the previous id most of its mentions had.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from tocsin.fusion.assembly import event_id_for
from tocsin.fusion.corrections import Corrections
from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.profiles import Profile, build_profile
from tocsin.fusion.rules import FusionRules, default_rules
from tocsin.fusion.streaming import fuse_profiled, window_start
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
    """``fuse``, and the pairs of mention ids it found compatible (each once, the earlier
    mention in canonical order first): the links whose connected components re-fusion works
    on."""
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
    shared: dict[Any, Any] = {}
    pairs = [(item, build_profile(0, item, rules, shared)) for item in unique.values()]
    del unique, shared
    # Latest window first, so that the stream below pops them in order and lets each go.
    pairs.sort(key=lambda pair: window_start(pair[1]), reverse=True)

    def in_order() -> Iterator[tuple[MentionInput, Profile]]:
        while pairs:
            yield pairs.pop()

    fused: list[tuple[tuple[int, str], Event]] = []
    links: list[tuple[str, str]] = []
    for released in fuse_profiled(in_order(), corrections, rules, with_links):
        fused.extend(released.events)
        links.extend(released.links)
    fused.sort(key=lambda pair: pair[0])  # canonical order of each Event's first mention
    events = [event for _, event in fused]
    if previous:
        _keep_previous_ids(events, previous)
    return events, links
