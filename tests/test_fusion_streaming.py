"""The fusion engine (vectorised pairs, mentions streamed by date window) gives the Events of
the plain algorithm: every pair tested by the pure-Python ``compare``, merged best first,
clustered under the corrections and assembled. Checked on varied random sets, with corrections,
read in small chunks so that components close and are let go between chunks; Events come out
before the input ends; mentions out of order are refused."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator

import pytest
from test_fusion_candidates import RULES, random_mention

from tocsin.fusion import Corrections, MentionInput, Merge, Split, fuse, fuse_linked
from tocsin.fusion.assembly import assemble_event
from tocsin.fusion.clustering import cluster
from tocsin.fusion.compatibility import compare
from tocsin.fusion.corrections import constraints
from tocsin.fusion.profiles import build_profile, canonical_key
from tocsin.fusion.streaming import fuse_stream, window_start
from tocsin.records import Event


def reference(items: list[MentionInput], corrections: Corrections | None = None) -> list[Event]:
    """Fusion as the rules state it, by brute force: every pair compared in Python."""
    ordered = sorted({i.id: i for i in items}.values(), key=canonical_key)
    profiles = [build_profile(k, item, RULES) for k, item in enumerate(ordered)]
    scored = []
    for p, q in itertools.combinations(profiles, 2):
        score = compare(p, q, RULES)
        if score is not None:
            scored.append((-score, p.index, q.index))
    scored.sort()

    def compatible(x: int, y: int) -> bool:
        x, y = min(x, y), max(x, y)
        return x == y or compare(profiles[x], profiles[y], RULES, hard_only=True) is not None

    index_of = {item.id: k for k, item in enumerate(ordered)}
    groups = cluster(profiles, [(i, j) for _, i, j in scored], compatible,
                     constraints(corrections, index_of))  # fmt: skip
    return [
        assemble_event([ordered[k] for k in g], [profiles[k] for k in g], RULES) for g in groups
    ]


def _in_window_order(items: list[MentionInput]) -> list[MentionInput]:
    return sorted(items, key=lambda item: window_start(build_profile(0, item, RULES)))


def _streamed(items: list[MentionInput], chunk: int, corrections: Corrections | None = None
              ) -> list[Event]:  # fmt: skip
    found = []
    for released in fuse_stream(_in_window_order(items), corrections, rules=RULES, chunk=chunk):
        found.extend(released.events)
    return [event for _, event in sorted(found, key=lambda pair: pair[0])]


def _plain(events: list[Event]) -> list[dict[str, object]]:
    return [event.to_dict() for event in events]


def _spread(seed: int, size: int) -> list[MentionInput]:
    """Random mentions spread over a few months, so that components close between chunks."""
    rng = random.Random(seed)
    items = []
    for n in range(size):
        item = random_mention(rng, n)
        shift = rng.randrange(0, 120, 20)
        date = item.mention.date
        if date is not None and date.start is not None and date.end is not None:
            step = dt.timedelta(days=shift)
            date.start, date.end = date.start + step, date.end + step
            item.published = item.published + step if item.published else None
        items.append(item)
    return items


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_engine_equals_the_brute_force_reference(seed: int) -> None:
    items = _spread(seed, 400)
    expected = _plain(reference(items))
    assert len(expected) < len(items)  # mentions were fused
    assert _plain(fuse(items)) == expected
    assert _plain(_streamed(items, chunk=37)) == expected


def test_engine_equals_the_reference_under_corrections() -> None:
    items = _spread(4, 300)
    events = reference(items)
    shared = [e for e in events if len(e.mentions) >= 3]
    assert len(shared) >= 2
    first, second = shared[0], shared[-1]
    corrections = Corrections([
        Split((first.mentions[0].mention,), tuple(r.mention for r in first.mentions[1:])),
        Merge(tuple(r.mention for r in (*first.mentions[1:], *second.mentions))),
    ])  # fmt: skip
    expected = _plain(reference(items, corrections))
    assert expected != _plain(events)
    assert _plain(fuse(items, corrections)) == expected
    assert _plain(_streamed(items, 29, corrections)) == expected


def test_links_are_the_compatible_pairs() -> None:
    items = _spread(5, 200)
    ordered = sorted(items, key=canonical_key)
    profiles = [build_profile(k, item, RULES) for k, item in enumerate(ordered)]
    expected = {
        (p.id, q.id)
        for p, q in itertools.combinations(profiles, 2)
        if compare(p, q, RULES) is not None
    }
    _, links = fuse_linked(items)
    assert len(links) == len(expected) and set(links) == expected


def test_events_come_out_before_the_input_ends() -> None:
    items = _in_window_order(_spread(6, 300))
    read = 0

    def counted() -> Iterator[MentionInput]:
        nonlocal read
        for item in items:
            read += 1
            yield item

    stream = fuse_stream(counted(), rules=RULES, chunk=40)
    next(stream)
    assert read < len(items)


def test_mentions_out_of_window_order_are_refused() -> None:
    items = _in_window_order(_spread(7, 100))
    with pytest.raises(ValueError, match="order"):
        list(fuse_stream(reversed(items), rules=RULES, chunk=10))


def test_the_cyclic_collector_pauses_while_fusing_and_comes_back() -> None:
    import gc

    items = _in_window_order(_spread(5, 200))
    assert gc.isenabled()
    seen = [gc.isenabled() for _ in fuse_stream(items, rules=RULES, chunk=50)]
    assert seen and not any(seen)
    assert gc.isenabled()
    gc.disable()
    try:
        list(fuse_stream(items, rules=RULES, chunk=50))
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
