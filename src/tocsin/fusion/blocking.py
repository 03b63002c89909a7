"""Blocking: which pairs of mentions are worth comparing, so fusion stays near-linear.

A mention is filed under (modality, country, family, time bucket) for every bucket its date window
covers; mentions with a fine place are also filed under a grid cell. A fine mention is paired with
the fine mentions of the 3x3 neighbouring cells of its blocks; a mention with a coarse,
country-level or no place is paired with every mention of its blocks. An unplaced mention (no
place, or a place of unknown country) is filed under its actors' countries, which need not be
where the event happened ("Russian jets bombed ..." in Syria), so it also meets every mention of
its modality, family and time bucket (the block of any country, ``ANY_COUNTRY``); so does a
mention of a family that crosses borders (``cross_border_families``). Mentions too
vague in time (no window) are never paired. Two mentions that ``compare`` could accept always
share a block.

``filed_blocks`` and ``wanted_blocks`` say the same for the store, which files each mention under
block keys and loads, for a new mention, the stored mentions of the blocks it wants.
"""

from __future__ import annotations

import math
from collections import defaultdict

from tocsin.fusion.profiles import Profile
from tocsin.fusion.rules import FusionRules

_KM_PER_DEGREE = 111.19
ANY_COUNTRY = "*"  # every mention of a modality, family and time bucket
UNPLACED = "~"  # the roaming mentions (unplaced, or crossing borders) of a modality, family, bucket

Block = tuple[str, str, str, int]  # modality, country (or ANY_COUNTRY/UNPLACED), family, bucket


def roaming(p: Profile, rules: FusionRules) -> bool:
    """The mention must meet mentions of every country: it has no place country, or its family
    crosses borders (a flight placed where people arrived)."""
    return p.place_country is None or p.family in rules.cross_border_families


def _buckets(p: Profile, rules: FusionRules) -> range:
    assert p.start is not None and p.end is not None
    return range(p.start // rules.bucket_days, p.end // rules.bucket_days + 1)


def filed_blocks(p: Profile, rules: FusionRules) -> list[Block]:
    """The blocks a mention is filed under (none without a date window)."""
    if p.start is None or p.end is None:
        return []
    countries = [*p.block_countries, ANY_COUNTRY] + ([UNPLACED] if roaming(p, rules) else [])
    return [(p.modality, c, p.family, b) for c in countries for b in _buckets(p, rules)]


def wanted_blocks(p: Profile, rules: FusionRules) -> list[Block]:
    """The blocks whose mentions a new mention must be compared with."""
    if p.start is None or p.end is None:
        return []
    countries = [ANY_COUNTRY] if roaming(p, rules) else [*p.block_countries, UNPLACED]
    return [(p.modality, c, p.family, b) for c in countries for b in _buckets(p, rules)]


def _cell(p: Profile, rules: FusionRules) -> tuple[int, int] | None:
    """The grid cell of a fine place, or None when the place must meet its whole block."""
    if p.weak or p.lat is None or p.lon is None or p.limit_km is None:
        return None
    if p.precision in rules.containing:
        return None
    g = rules.grid_degrees
    width = _KM_PER_DEGREE * g * max(math.cos(math.radians(min(abs(p.lat), 89.0))), 0.01)
    if p.limit_km >= width:
        return None
    return (math.floor(p.lat / g), math.floor(p.lon / g))


def candidate_pairs(profiles: list[Profile], rules: FusionRules) -> set[tuple[int, int]]:
    """Pairs (i, j), i < j, of profile indexes that share a block."""
    everyone: dict[tuple[object, ...], list[int]] = defaultdict(list)
    gridded: dict[tuple[object, ...], list[int]] = defaultdict(list)
    coarse: list[tuple[int, tuple[object, ...]]] = []
    fine: list[tuple[int, tuple[object, ...], tuple[int, int]]] = []
    size = rules.bucket_days
    for p in profiles:
        if p.start is None or p.end is None:
            continue
        cell = _cell(p, rules)
        for country in p.block_countries:
            for bucket in range(p.start // size, p.end // size + 1):
                block = (p.modality, country, p.family, bucket)
                everyone[block].append(p.index)
                if cell is None:
                    coarse.append((p.index, block))
                else:
                    gridded[(*block, *cell)].append(p.index)
                    fine.append((p.index, block, cell))
        for bucket in _buckets(p, rules):
            block = (p.modality, ANY_COUNTRY, p.family, bucket)
            everyone[block].append(p.index)
            if roaming(p, rules):
                coarse.append((p.index, block))
    pairs: set[tuple[int, int]] = set()
    for i, block in coarse:
        for j in everyone[block]:
            if i != j:
                pairs.add((i, j) if i < j else (j, i))
    for i, block, (cy, cx) in fine:
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                for j in gridded.get((*block, cy + dy, cx + dx), ()):
                    if i < j:
                        pairs.add((i, j))
    return pairs
