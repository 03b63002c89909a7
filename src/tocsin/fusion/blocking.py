"""Blocking: which pairs of mentions are worth comparing, so fusion stays near-linear.

A mention is filed under (modality, country, family, time bucket) for every bucket its date window
covers; mentions with a fine place are also filed under a grid cell. A fine mention is paired with
the fine mentions of the 3x3 neighbouring cells of its blocks; a mention with a coarse,
country-level or no place is paired with every mention of its blocks. Mentions too vague in time
(no window) are never paired. Two mentions that ``compare`` could accept always share a block,
except unlocated mentions whose actors give no country (filed under "?", they meet only each
other).
"""

from __future__ import annotations

import math
from collections import defaultdict

from tocsin.fusion.profiles import Profile
from tocsin.fusion.rules import FusionRules

_KM_PER_DEGREE = 111.19


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
