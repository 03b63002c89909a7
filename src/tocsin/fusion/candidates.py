"""Candidate pairs: which pairs of mentions fusion compares, exactly those ``compare`` could accept.

Every mention is filed under a few *keys* and probes a few keys; two mentions are a candidate pair
when one probes a key the other is filed under and their date windows overlap. A sweep over the
mentions in order of window start keeps, per key, only the mentions whose window is still open,
so a mention meets only what overlaps it in time: the work grows with the number of pairs that
could fuse, not with the size of a country's week.

Each key names the modality and type family; mentions of two different mode groups are never
paired (a mention without a mode group meets every group). Within that:

- a precise place (not weak) is filed under its grid cell, its admin1 and its place key; it probes
  the cells within its own distance limit (the larger limit of a pair decides, so the mention with
  the larger limit finds the pair), its place key, and, when its precision contains finer places,
  its admin1. For families that cross borders the cells ignore the country and the radius is at
  least ``cross_border_km``;
- a weak place (country-level or none usable) can fuse only on strong evidence, so at least one
  signal other than the mode must agree (``min_signals`` >= 2): a weak mention probes its signal
  values (actor country or group, either side; single day; figure; document) in its country (the
  whole world for families that cross borders), and every mention is filed under those of its
  values that some weak mention probes;
- a mention without a place country meets every mention of its actors' countries (or of every
  country when its actors name none) and every other such mention.

Two mentions ``compare`` could accept always meet (tests check this against comparing every pair);
pairs are yielded once each, as (i, j) with i < j, ``profiles[i].index == i``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from tocsin.fusion.profiles import Profile
from tocsin.fusion.rules import FusionRules
from tocsin.geodesy import EARTH_RADIUS_KM

_KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180.0
_PRUNE_EVERY_DAYS = 14  # how often closed windows are dropped from keys nobody visited

Key = tuple[Hashable, ...]
_Entry = tuple[int, int, int]  # window end, profile index, mode group (-1: none)


_SUBCELLS = 4  # probes are computed for a quarter of a cell, so most of them are few and shared


@lru_cache(maxsize=65536)
def _cells_near(row: int, column: int, radius_km: float, degrees: float) -> tuple[Key, ...]:
    """Grid cells holding every point within ``radius_km`` of any point of the sub-cell (row,
    column) (sub-cells are ``1 / _SUBCELLS`` of a cell wide): a safe superset, shared by every
    place of that sub-cell."""
    step = degrees / _SUBCELLS
    columns = max(1, round(360.0 / degrees))
    reach = radius_km / _KM_PER_DEGREE * 1.001 + 1e-9  # great-circle distance >= latitude gap
    low, high = max(-90.0, row * step - reach), min(90.0, (row + 1) * step + reach)
    rows = range(math.floor(low / degrees), math.floor(high / degrees) + 1)
    widest = max(abs(low), abs(high))
    cos = math.cos(math.radians(widest)) if widest < 90.0 else 0.0
    ratio = radius_km * 1.001 / (2 * EARTH_RADIUS_KM * cos) if cos > 0 else 2.0
    if ratio >= 1.0:
        span = range(columns)  # near a pole: every longitude
    else:
        half = math.degrees(2 * math.asin(ratio)) + 1e-9  # haversine bound on the longitude gap
        west, east = column * step - half, (column + 1) * step + half
        span = (
            range(columns)
            if east - west >= 360.0
            else range(math.floor(west / degrees), math.floor(east / degrees) + 1)
        )
    cols = sorted({c % columns for c in span})
    return tuple((r, c) for r in rows for c in cols)


def _cell(lat: float, lon: float, degrees: float) -> tuple[int, int]:
    """The grid cell of a point (its longitude wrapped round the antimeridian)."""
    return (math.floor(lat / degrees), math.floor(lon / degrees) % max(1, round(360.0 / degrees)))


def _subcell(lat: float, lon: float, degrees: float) -> tuple[int, int]:
    step = degrees / _SUBCELLS
    return (math.floor(lat / step), math.floor(lon / step))


def _actor_countries(p: Profile) -> set[str]:
    return {a[0] for a in (p.actor1, p.actor2) if a is not None and a[0]}


def _signal_values(p: Profile, rules: FusionRules) -> list[tuple[Hashable, ...]]:
    """The values of ``p`` that an agreeing signal shares with the other mention."""
    names = rules.signals
    values: list[tuple[Hashable, ...]] = []
    if (p.actor1 is not None or p.actor2 is not None) and ("actor1" in names or "actor2" in names):
        # Sides are not told apart: symmetric modes compare one side's actor1 with the other's
        # actor2.
        for actor in (p.actor1, p.actor2):
            if actor is not None:
                if actor[0]:
                    values.append(("ac", actor[0]))
                if actor[2]:
                    values.append(("ag", actor[2]))
    if p.single_day is not None and "day" in names:
        values.append(("d", p.single_day))
    if p.counts and "count" in names:
        values.extend([("n", kind, value) for kind, value in p.counts])
    if "document" in names:
        values.append(("doc", p.document))
    if p.mode is not None and rules.min_signals < 2 and "mode" in names:
        values.append(("m", p.mode))
    return values if len(values) < 2 else list(dict.fromkeys(values))


@dataclass
class _Wanted:
    """Which keys anyone probes beyond the place keys, so that mentions are filed only where they
    can be met: mentions without a place country probe countries (or everything), weak mentions
    probe their evidence."""

    everything: bool = False
    countries: set[Key] = field(default_factory=set)
    evidence: set[Key] = field(default_factory=set)


def _probes_of_roamers(p: Profile, rules: FusionRules) -> list[Key] | None:
    """The probes of a mention without a place country, or of a weak one; None for others."""
    base: Key = (p.modality, p.family)
    country = p.place_country
    if country is None:
        named = _actor_countries(p)
        found: list[Key] = [(*base, "u")]
        found.extend([(*base, "c", c) for c in sorted(named)] if named else [(*base, "all")])
        return found
    if not p.weak:
        return None
    crossing = p.family in rules.cross_border_families
    if rules.min_signals <= 0:
        return [(*base, "all") if crossing else (*base, "c", country)]
    area: Key = () if crossing else (country,)
    return [(*base, "e", *area, v) for v in _signal_values(p, rules)]


def _wanted(profiles: list[Profile], rules: FusionRules) -> _Wanted:
    wanted = _Wanted()
    for p in profiles:
        if p.start is None or (p.place_country is not None and not p.weak):
            continue
        for key in _probes_of_roamers(p, rules) or ():
            kind = key[2]
            if kind == "all":
                wanted.everything = True
            elif kind == "c":
                wanted.countries.add(key)
            elif kind == "e":
                wanted.evidence.add(key)
    return wanted


def _keys(p: Profile, rules: FusionRules, wanted: _Wanted) -> tuple[list[Key], list[Key]]:
    """(keys ``p`` is filed under, keys ``p`` probes)."""
    base: Key = (p.modality, p.family)
    filed: list[Key] = [(*base, "all")] if wanted.everything else []
    country = p.place_country
    probes = _probes_of_roamers(p, rules)
    if country is None:
        filed.append((*base, "u"))
        return filed, probes or []
    if wanted.countries and (key := (*base, "c", country)) in wanted.countries:
        filed.append(key)
    crossing = p.family in rules.cross_border_families
    area: Key = () if crossing else (country,)
    if wanted.evidence:
        for v in _signal_values(p, rules):
            if (key := (*base, "e", *area, v)) in wanted.evidence:
                filed.append(key)
    if probes is not None:  # weak: met only on evidence
        return filed, probes
    probes = []
    if p.place_key is not None:
        filed.append((*base, "k", p.place_key))
        probes.append((*base, "k", p.place_key))
    if p.admin1 is not None:
        filed.append((*base, "a1", country, p.admin1))
        if p.precision in rules.containing:
            probes.append((*base, "a1", country, p.admin1))
    if p.lat is not None and p.lon is not None:
        g = rules.grid_degrees
        radius = p.limit_km or 0.0
        if crossing:
            radius = max(radius, rules.cross_border_km)
        filed.append((*base, "g", *area, *_cell(p.lat, p.lon, g)))
        near = _cells_near(*_subcell(p.lat, p.lon, g), radius, g)
        probes.extend([(*base, "g", *area, *cell) for cell in near])
    return filed, probes


class _OpenWindows:
    """Per key, the entries whose window is still open, and the earliest end among them (so a
    key's list is rebuilt only when one of its windows has closed)."""

    def __init__(self) -> None:
        self.entries: dict[Key, list[_Entry]] = {}
        self.first_end: dict[Key, int] = {}

    def add(self, key: Key, entry: _Entry) -> None:
        found = self.entries.get(key)
        if found is None:
            self.entries[key] = [entry]
            self.first_end[key] = entry[0]
            return
        found.append(entry)
        if entry[0] < self.first_end[key]:
            self.first_end[key] = entry[0]

    def open_at(self, key: Key, start: int) -> list[_Entry] | None:
        """The entries of ``key`` still open at day ``start`` (closed ones are dropped)."""
        entries = self.entries.get(key)
        if entries is None or self.first_end[key] >= start:
            return entries
        kept = [e for e in entries if e[0] >= start]
        if kept:
            self.entries[key] = kept
            self.first_end[key] = min([e[0] for e in kept])
            return kept
        del self.entries[key], self.first_end[key]
        return None

    def prune(self, start: int) -> None:
        """Drop the entries whose window closed before ``start`` from every key."""
        for key in [k for k, end in self.first_end.items() if end < start]:
            self.open_at(key, start)


def candidate_pairs(profiles: list[Profile], rules: FusionRules) -> Iterator[tuple[int, int]]:
    """Pairs (i, j), i < j, of profile indexes that may report one event, each once."""
    wanted = _wanted(profiles, rules)
    dated = sorted(
        (p.start, p.index) for p in profiles if p.start is not None and p.end is not None
    )
    filed_open = _OpenWindows()  # key -> open windows filed under it
    probing_open = _OpenWindows()  # key -> open windows probing it
    pruned_at: int | None = None
    for start, i in dated:
        p = profiles[i]
        if pruned_at is None or start - pruned_at >= _PRUNE_EVERY_DAYS:
            filed_open.prune(start)
            probing_open.prune(start)
            pruned_at = start
        filed, probes = _keys(p, rules, wanted)
        group = -1 if p.mode_group is None else p.mode_group
        met: set[int] = set()
        for table, keys in ((filed_open, probes), (probing_open, filed)):
            for key in keys:
                kept = table.open_at(key, start)
                if not kept:
                    continue
                if group < 0:
                    met.update([e[1] for e in kept])
                else:
                    met.update([e[1] for e in kept if e[2] < 0 or e[2] == group])
        assert p.end is not None  # ``dated`` holds only profiles with both ends
        entry = (p.end, i, group)
        for key in filed:
            filed_open.add(key, entry)
        for key in probes:
            probing_open.add(key, entry)
        for j in met:
            yield (j, i) if j < i else (i, j)
