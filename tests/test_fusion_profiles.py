"""``build_profile`` equals the way it was first written (kept here as the reference), field for
field, on varied random mentions (metonymic, missing and coordinate-less places, actors with
empty parts, every shape of date, figures, fingerprints), with and without ``shared``."""

from __future__ import annotations

import random
from typing import Any

import pytest
from test_fusion_assembly import _varied
from test_fusion_candidates import RULES

from tocsin.fusion.fingerprint import packed
from tocsin.fusion.inputs import MentionInput
from tocsin.fusion.profiles import Profile, _actor_key, _place_key, _window, build_profile
from tocsin.fusion.rules import FusionRules
from tocsin.records import Actor


def reference_profile(
    index: int, item: MentionInput, rules: FusionRules, shared: dict[Any, Any] | None = None
) -> Profile:
    """The profile of ``item`` at canonical position ``index``. With ``shared`` (one dict for
    a whole run), equal actor keys, figures, block countries and place keys are one object
    across profiles, which saves memory on large runs."""
    mention = item.mention
    family = rules.family(mention.event, mention.mode)
    place = mention.location
    if place is not None and place.metonym:
        place = None
    precision = place.precision if place is not None else None
    limit = rules.distance_km.get(precision) if precision else None
    located = place is not None and (
        (place.lat is not None and place.lon is not None) or _place_key(place) is not None
    )
    weak = not located or precision in rules.weak_precisions or limit is None
    start, end, raw_start, raw_end, tolerance, single = _window(item, rules, family)
    actor1 = _actor_key(mention.actor1, rules, family)
    actor2 = _actor_key(mention.actor2, rules, family)
    sectors = (
        mention.actor1.sector if mention.actor1 is not None else None,
        mention.actor2.sector if mention.actor2 is not None else None,
    )
    place_country = place.country if place is not None else None
    place_key = _place_key(place) if place is not None else None
    block: tuple[str, ...]
    if place_country:
        block = (place_country,)
    else:
        actor_countries = {a[0] for a in (actor1, actor2) if a is not None and a[0]}
        block = tuple(sorted(actor_countries)) or ("?",)
    figures = mention.counts
    counts = tuple([
        (kind, value) for kind in rules.count_kinds
        if (value := getattr(figures, kind, None)) is not None
    ])  # fmt: skip
    if shared is not None:
        actor1, actor2 = shared.setdefault(actor1, actor1), shared.setdefault(actor2, actor2)
        counts, block = shared.setdefault(counts, counts), shared.setdefault(block, block)
        place_key = shared.setdefault(place_key, place_key)
    return Profile(
        index=index,
        id=item.id,
        document=item.document_id,
        modality=mention.modality,
        family=family,
        mode=mention.mode,
        mode_group=rules.mode_group(family, mention.mode),
        place_country=place_country,
        admin1=place.admin1 if place is not None else None,
        lat=place.lat if place is not None else None,
        lon=place.lon if place is not None else None,
        precision=precision,
        place_key=place_key,
        limit_km=None if weak else limit,
        weak=weak,
        start=start,
        end=end,
        raw_start=raw_start,
        raw_end=raw_end,
        date_tolerance=tolerance,
        single_day=single,
        actor1=actor1,
        actor2=actor2,
        sectors=shared.setdefault(sectors, sectors) if shared is not None else sectors,
        counts=counts,
        fingerprint=packed(item.text_fingerprint),
        block_countries=block,
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_profiles_equal_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    shared: dict[Any, Any] = {}
    again: dict[Any, Any] = {}
    for n in range(1500):
        item: MentionInput = _varied(rng, n, (1, 2, 3, 4, 5, 6, 7, 8))
        mention = item.mention
        if rng.random() < 0.1:
            mention.location = None
        elif rng.random() < 0.1 and mention.location is not None:
            mention.location.lat = mention.location.lon = None
            mention.location.name = mention.location.text = rng.choice(["", "X"])
        if rng.random() < 0.1 and mention.location is not None:
            mention.location.precision = rng.choice([None, "continent"])  # no distance limit
        if rng.random() < 0.1:
            mention.actor1 = Actor("a", None, None, None)
        if rng.random() < 0.1:
            mention.actor2 = Actor("b", "", rng.choice([None, "CVL"]), "g")
        expected = reference_profile(n, item, RULES)
        assert build_profile(n, item, RULES) == expected
        assert build_profile(n, item, RULES, shared) == reference_profile(n, item, RULES, again)
