"""Can two mentions report the same event? The pairwise test of fusion, and its merge score.

``compare`` returns None when the two profiles are incompatible (different modality, type family or
mode group, places too far apart, in two countries or a province and a place outside it, dates
further apart than their precision allows, contradicting actors, or a vague place without strong
evidence), else a score used only to order merges (higher first). These tests hold between any
two mentions, of one document or of two: clustering checks them between every two members.
Families that cross borders (displacement) accept places of two neighbouring countries when the
other evidence is strong, as for a vague place. A mention without a place whose actors name
countries can only be an event in one of them.
"""

from __future__ import annotations

from functools import lru_cache

from tocsin.fusion.fingerprint import similarity
from tocsin.fusion.profiles import ActorKey, Profile
from tocsin.fusion.rules import FusionRules
from tocsin.geodesy import distance_km


def _place_closeness(p: Profile, q: Profile, rules: FusionRules) -> float | None:
    """1 for the same place, down to 0 at the distance limit; None when incompatible.

    Called only for two located, non-weak places of compatible countries.
    """
    if p.place_key is not None and p.place_key == q.place_key:
        return 1.0
    if (p.precision in rules.containing or q.precision in rules.containing) and (
        p.admin1 is not None and q.admin1 is not None
    ):
        # A province holds the places of its admin1 and no other, however close they lie.
        return 0.5 if p.admin1 == q.admin1 else None
    if p.lat is None or p.lon is None or q.lat is None or q.lon is None:
        return None
    limit = max(p.limit_km or 0.0, q.limit_km or 0.0)
    d = distance_km(p.lat, p.lon, q.lat, q.lon)
    return None if d > limit else 1.0 - d / limit


def _across_border(p: Profile, q: Profile, rules: FusionRules) -> bool:
    """Places of two countries that may still be the two ends of one cross-border event."""
    if p.family not in rules.cross_border_families:
        return False
    if p.weak or q.weak:
        return True
    if p.lat is None or p.lon is None or q.lat is None or q.lon is None:
        return False
    return distance_km(p.lat, p.lon, q.lat, q.lon) <= rules.cross_border_km


def dates_compatible(p: Profile, q: Profile) -> bool:
    """The stated spans lie no further apart than the larger of the two date tolerances (a day
    within a day, ranges and months overlapping, a date known from publication within the days
    before it); profiles without a window never are."""
    if p.raw_start is None or p.raw_end is None or q.raw_start is None or q.raw_end is None:
        return False
    gap = max(0, q.raw_start - p.raw_end, p.raw_start - q.raw_end)
    return gap <= max(p.date_tolerance, q.date_tolerance)


def crosses_border(p: Profile, q: Profile) -> bool:
    """Both places are known and lie in two different countries."""
    return bool(p.place_country and q.place_country and p.place_country != q.place_country)


def _outside_actors(p: Profile, q: Profile) -> bool:
    """``p`` has no place, its actors name countries, and ``q`` happened in none of them."""
    if p.place_country is not None or q.place_country is None:
        return False
    countries = {a[0] for a in (p.actor1, p.actor2) if a is not None and a[0]}
    return bool(countries) and q.place_country not in countries


_PARTS = {"country": 0, "sector": 1, "group": 2}


@lru_cache(maxsize=64)
def _positions(parts: tuple[str, ...]) -> tuple[int, ...]:
    """The positions in an ``ActorKey`` of the named parts."""
    return tuple(position for name, position in _PARTS.items() if name in parts)


def _contradict(a: ActorKey | None, b: ActorKey | None, positions: tuple[int, ...]) -> bool:
    if a is None or b is None or a is b:
        return False
    for position in positions:
        x, y = a[position], b[position]
        if x and y and x != y:
            return True
    return False


def _agree(a: ActorKey | None, b: ActorKey | None) -> bool:
    """Both know the actor's country or group, and one of them is the same."""
    if a is None or b is None:
        return False
    return bool((a[0] and a[0] == b[0]) or (a[2] and a[2] == b[2]))


def _same_sector(a: str | None, b: str | None) -> int:
    return int(a is not None and a == b)


def _actors(p: Profile, q: Profile, rules: FusionRules) -> tuple[bool, int, int, int]:
    """(compatible, actor1 agrees, actor2 agrees, sides of the same sector), trying the swapped
    sides for symmetric modes."""
    if p.family in rules.family_contradict_on:
        first = second = _positions(rules.family_contradict_on[p.family])
    else:
        first, second = _positions(rules.contradict_on), _positions(rules.contradict_on_actor2)
    p1, p2, q1, q2 = p.actor1, p.actor2, q.actor1, q.actor2
    if not (_contradict(p1, q1, first) or _contradict(p2, q2, second)):
        sectors = _same_sector(p.sectors[0], q.sectors[0])
        sectors += _same_sector(p.sectors[1], q.sectors[1])
        return True, int(_agree(p1, q1)), int(_agree(p2, q2)), sectors
    if p.mode in rules.symmetric_modes or q.mode in rules.symmetric_modes:
        if not (_contradict(p1, q2, first) or _contradict(p2, q1, first)):
            sectors = _same_sector(p.sectors[0], q.sectors[1])
            sectors += _same_sector(p.sectors[1], q.sectors[0])
            return True, int(_agree(p1, q2)), int(_agree(p2, q1)), sectors
    return False, 0, 0, 0


def _figures(p: Profile, q: Profile, rules: FusionRules) -> int:
    """1 when the two give figures of a kind and none conflict (by the ``[counts]`` rule),
    -1 when one does, 0 when they share no kind of figure."""
    if not p.counts or not q.counts:
        return 0
    found = 0
    for kind, value in p.counts:
        for other_kind, other in q.counts:
            if other_kind != kind:
                continue
            gap = value - other if value > other else other - value
            if gap >= rules.conflict_min_difference and gap > rules.conflict_ratio * max(
                value, other
            ):
                return -1
            found = 1
    return found


def _strong(p: Profile, q: Profile, a1: int, a2: int, rules: FusionRules) -> bool:
    present = {
        "actor1": bool(a1),
        "actor2": bool(a2),
        "mode": p.mode is not None and p.mode == q.mode,
        "day": p.single_day is not None and p.single_day == q.single_day,
        "count": bool(p.counts and q.counts and not set(p.counts).isdisjoint(q.counts)),
        "document": p.document == q.document,
    }
    for name in rules.required_signals.get(p.family, ()):
        if not present[name]:
            return False
    agreeing = 0
    for name in rules.signals:
        if present.get(name):
            agreeing += 1
    return agreeing >= rules.min_signals


def compare(p: Profile, q: Profile, rules: FusionRules, hard_only: bool = False) -> float | None:
    """The merge score of two mentions, or None when they cannot report the same event.

    With ``hard_only``, only contradictions count: a vague place needs no strong evidence. That is
    the test between every two members of a cluster; the full test is for the pair that links them.
    """
    if p.modality != q.modality or p.family != q.family:
        return None
    if p.mode_group is not None and q.mode_group is not None and p.mode_group != q.mode_group:
        return None
    p_start, p_end, q_start, q_end = p.start, p.end, q.start, q.end
    if p_start is None or q_start is None or p_end is None or q_end is None:
        return None
    if max(p_start, q_start) > min(p_end, q_end):
        return None
    # dates_compatible, inlined: this is the hottest test of fusion.
    p_low, p_high, q_low, q_high = p.raw_start, p.raw_end, q.raw_start, q.raw_end
    if p_low is None or p_high is None or q_low is None or q_high is None:
        return None
    gap = q_low - p_high if q_low > p_high else p_low - q_high if p_low > q_high else 0
    if gap > p.date_tolerance and gap > q.date_tolerance:
        return None
    p_country, q_country = p.place_country, q.place_country
    across = bool(p_country and q_country and p_country != q_country)  # crosses_border
    if across and not _across_border(p, q, rules):
        return None
    if (p_country is None) != (q_country is None) and (
        _outside_actors(p, q) or _outside_actors(q, p)
    ):
        return None
    ok, a1, a2, sectors = _actors(p, q, rules)
    if not ok:
        return None
    if p.weak or q.weak or across:
        if not hard_only and not _strong(p, q, a1, a2, rules):
            return None
        closeness = 0.0
    else:
        found = _place_closeness(p, q, rules)
        if found is None:
            return None
        closeness = found
    shorter = min(p_high - p_low, q_high - q_low) + 1
    shared = max(0, min(p_high, q_high) - max(p_low, q_low) + 1)
    weights = rules.score_weights
    score = weights.get("place", 0.0) * closeness
    score += weights.get("date", 0.0) * shared / shorter
    score += weights.get("actor", 0.0) * (a1 + a2)
    if weights.get("sector"):
        score += weights["sector"] * sectors
    if weights.get("figures"):
        score += weights["figures"] * _figures(p, q, rules)
    if p.mode is not None and p.mode == q.mode:
        score += weights.get("mode", 0.0)
    if weights.get("text") and p.document != q.document:
        score += weights["text"] * similarity(p.fingerprint, q.fingerprint)
    elif weights.get("text"):
        score += weights["text"]
    return score
