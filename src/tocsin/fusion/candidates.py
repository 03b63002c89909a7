"""Candidate pairs: the pairs of mentions fusion compares, a superset of those ``compare`` accepts.

Every mention is filed under a few *keys* and probes a few keys; two mentions are a candidate pair
when one probes a key the other is filed under and their date windows overlap. Keys are 64-bit
hashes computed on profile columns (``tocsin.fusion.columns``), and pairs are found by sorting:
per key, the filed mentions in order of window start, so each probe finds the windows that can
overlap its own with two binary searches. A collision of two keys only adds candidates.

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
  whole world for families that cross borders), and every placed mention is filed under its
  signal values;
- a mention without a place country meets every mention of its actors' countries (or of every
  country when its actors name none) and every other such mention.

Two mentions ``compare`` could accept always meet (tests check this against comparing every pair).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator
from functools import lru_cache

import numpy as np

from tocsin.fusion.columns import Codes, Columns, columns_of
from tocsin.fusion.distinct import distinct
from tocsin.fusion.profiles import Profile
from tocsin.fusion.rules import FusionRules
from tocsin.geodesy import EARTH_RADIUS_KM

_KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180.0

Key = tuple[Hashable, ...]


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


# Kinds of key, and kinds of evidence value.
_ALL, _UNPLACED, _COUNTRY, _EVIDENCE, _PLACE, _ADMIN1, _CELL = 1, 2, 3, 4, 5, 6, 7
_ACTOR_COUNTRY, _ACTOR_GROUP, _DAY, _FIGURE, _DOCUMENT, _MODE = 1, 2, 3, 4, 5, 6
_EVERY_COUNTRY = -2  # the area of a family that crosses borders

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _mix(*parts: np.ndarray | int) -> np.ndarray:
    """A 64-bit hash of the parts, row by row (int64)."""
    size = max(len(p) for p in parts if isinstance(p, np.ndarray))
    found = np.full(size, 0xCBF29CE484222325, dtype=np.uint64)
    for part in parts:
        found ^= np.asarray(part, dtype=np.int64).astype(np.uint64)
        found *= _MULTIPLIER
        found ^= found >> np.uint64(29)
    return found.view(np.int64)


class Entries:
    """Key entries: ``keys[k]`` names row ``rows[k]`` of a ``Columns``."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray) -> None:
        self.keys, self.rows = keys, rows

    @staticmethod
    def gather(parts: list[tuple[np.ndarray, np.ndarray]]) -> Entries:
        if not parts:
            return Entries(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        return Entries(np.concatenate([k for k, _ in parts]), np.concatenate([r for _, r in parts]))

    def __len__(self) -> int:
        return len(self.keys)


def _evidence(c: Columns, rules: FusionRules) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """(kind, value, present) of each signal value a strong-evidence pair may share."""
    names = rules.signals
    values: list[tuple[int, np.ndarray, np.ndarray]] = []
    if "actor1" in names or "actor2" in names:
        for actor in (c.actor1, c.actor2):
            values.append((_ACTOR_COUNTRY, actor[:, 0], actor[:, 0] >= 0))
            values.append((_ACTOR_GROUP, actor[:, 2], actor[:, 2] >= 0))
    if "day" in names:
        values.append((_DAY, c.single_day, c.single_day >= 0))
    if "count" in names:
        for k in range(c.figures.shape[1]):
            values.append((_FIGURE, _mix(np.full(len(c), k), c.figures[:, k]), c.has_figure[:, k]))
    if "document" in names:
        values.append((_DOCUMENT, c.document, np.ones(len(c), dtype=bool)))
    if rules.min_signals < 2 and "mode" in names:
        values.append((_MODE, c.mode, c.mode >= 0))
    return values


def _near_cells(
    c: Columns, rows: np.ndarray, area: np.ndarray, rules: FusionRules
) -> tuple[np.ndarray, np.ndarray]:
    """(keys, rows): the cells each of ``rows`` probes (shared by every place of a sub-cell with
    the same radius, so ``_cells_near`` runs once per distinct one)."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64), rows
    g = rules.grid_degrees
    step = g / _SUBCELLS
    radius = c.limit[rows]
    radius = np.where(c.crossing[rows], np.maximum(radius, rules.cross_border_km), radius)
    sub_rows = np.floor(c.lat[rows] / step).astype(np.int64)
    sub_columns = np.floor(c.lon[rows] / step).astype(np.int64)
    table = np.stack([sub_rows.astype(np.float64), sub_columns.astype(np.float64), radius], 1)
    distinct, which = np.unique(table, axis=0, return_inverse=True)
    which = which.reshape(-1)
    cells = [
        _cells_near(int(r), int(col), float(km), g) for r, col, km in distinct.tolist()
    ]
    counts = np.array([len(found) for found in cells], dtype=np.int64)
    flat = np.array([cell for found in cells for cell in found], dtype=np.int64).reshape(-1, 2)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    per_row = counts[which]
    owner = np.repeat(np.arange(len(rows)), per_row)
    first = np.repeat(offsets[which] - np.concatenate([[0], np.cumsum(per_row)[:-1]]), per_row)
    picked = flat[first + np.arange(len(owner))]
    at = rows[owner]
    keys = _mix(_CELL, c.modality[at], c.family[at], area[owner], picked[:, 0], picked[:, 1])
    return keys, at


def keys_of(c: Columns, rules: FusionRules) -> tuple[Entries, Entries]:
    """(the keys each dated row is filed under, the keys it probes)."""
    filed: list[tuple[np.ndarray, np.ndarray]] = []
    probes: list[tuple[np.ndarray, np.ndarray]] = []
    every = np.arange(len(c))

    def add(target: list[tuple[np.ndarray, np.ndarray]], mask: np.ndarray, kind: int,
            *parts: np.ndarray) -> None:  # fmt: skip
        rows = every[mask & c.dated]
        if len(rows):
            target.append((_mix(kind, c.modality[rows], c.family[rows],
                                *[p[rows] for p in parts]), rows))  # fmt: skip

    everyone = np.ones(len(c), dtype=bool)
    unplaced = c.country == -1
    placed = ~unplaced
    weak = placed & c.weak
    strong = placed & ~c.weak
    area = np.where(c.crossing, _EVERY_COUNTRY, c.country)
    add(filed, everyone, _ALL)
    add(filed, unplaced, _UNPLACED)
    add(probes, unplaced, _UNPLACED)
    for actor in (c.actor1, c.actor2):
        add(probes, unplaced & (actor[:, 0] >= 0), _COUNTRY, actor[:, 0])
    add(probes, unplaced & (c.actor1[:, 0] < 0) & (c.actor2[:, 0] < 0), _ALL)
    add(filed, placed, _COUNTRY, c.country)
    for kind, value, present in _evidence(c, rules):
        add(filed, placed & present, _EVIDENCE, area, np.full(len(c), kind), value)
        if rules.min_signals > 0:
            add(probes, weak & present, _EVIDENCE, area, np.full(len(c), kind), value)
    if rules.min_signals <= 0:
        add(probes, weak & c.crossing, _ALL)
        add(probes, weak & ~c.crossing, _COUNTRY, c.country)
    known_place = strong & (c.place_key >= 0)
    add(filed, known_place, _PLACE, c.place_key)
    add(probes, known_place, _PLACE, c.place_key)
    add(filed, strong & (c.admin1 >= 0), _ADMIN1, c.country, c.admin1)
    add(probes, strong & (c.admin1 >= 0) & c.containing, _ADMIN1, c.country, c.admin1)
    located = strong & c.located
    rows = every[located & c.dated]
    if len(rows):
        g = rules.grid_degrees
        columns = max(1, round(360.0 / g))
        cell_rows = np.floor(c.lat[rows] / g).astype(np.int64)
        cell_columns = np.floor(c.lon[rows] / g).astype(np.int64) % columns
        filed.append((_mix(_CELL, c.modality[rows], c.family[rows], area[rows], cell_rows,
                           cell_columns), rows))  # fmt: skip
        probes.append(_near_cells(c, rows, area[rows], rules))
    return Entries.gather(filed), Entries.gather(probes)


def in_key_order(c: Columns, entries: Entries) -> Entries:
    """The entries sorted by key, then by their row's window start."""
    order = np.lexsort((c.start[entries.rows], entries.keys))
    return Entries(entries.keys[order], entries.rows[order])


def merged(c: Columns, first: Entries, second: Entries) -> Entries:
    """Two runs of entries in key order (``in_key_order``) as one, when no row of ``second``
    starts before a row of ``first``: then within each key the first run's entries come first,
    and a stable sort by key is a merge of the two runs."""
    keys = np.concatenate([first.keys, second.keys])
    order = np.argsort(keys, kind="stable")
    return Entries(keys[order], np.concatenate([first.rows, second.rows])[order])


def meetings(
    c: Columns, probes: Entries, filed: Entries, ordered: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(probing rows, filed rows): the pairs of distinct rows where one probes a key the other is
    filed under, their windows overlap and their mode groups agree (with repeats). ``ordered``:
    ``filed`` is already in key order (``in_key_order``)."""
    empty = np.zeros(0, dtype=np.int64)
    if len(probes) == 0 or len(filed) == 0:
        return empty, empty
    if not ordered:
        filed = in_key_order(c, filed)
    f_keys, f_rows = filed.keys, filed.rows
    f_start = c.start[f_rows]
    longest = int((c.end[f_rows] - f_start).max())
    lowest = int(f_start.min())
    span = int(f_start.max()) - lowest + longest + 2
    new_key = np.concatenate([[True], f_keys[1:] != f_keys[:-1]])
    rank = np.cumsum(new_key) - 1
    distinct = f_keys[new_key]
    combined = rank * span + (f_start - lowest)
    p_start, p_end = c.start[probes.rows], c.end[probes.rows]
    at = np.minimum(np.searchsorted(distinct, probes.keys), len(distinct) - 1)
    found = distinct[at] == probes.keys
    base = at * span
    low = np.searchsorted(combined, base + np.clip(p_start - longest - lowest, 0, span - 1))
    high = np.searchsorted(
        combined, base + np.clip(p_end - lowest, -1, span - 1), side="right"
    )
    counts = np.where(found, np.maximum(high - low, 0), 0)
    owner = np.repeat(np.arange(len(probes)), counts)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
    picked = np.repeat(low - offsets, counts) + np.arange(len(owner))
    prober, other = probes.rows[owner], f_rows[picked]
    keep = (c.end[other] >= c.start[prober]) & (prober != other)
    gi, gj = c.mode_group[prober], c.mode_group[other]
    keep &= (gi < 0) | (gj < 0) | (gi == gj)
    return prober[keep], other[keep]


def distinct_pairs(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs as (lower row, higher row), each once, in order."""
    low, high = np.minimum(first, second), np.maximum(first, second)
    if len(low) == 0:
        return low, high
    joined = distinct(low * (int(high.max()) + 1) + high)
    size = int(high.max()) + 1
    return joined // size, joined % size


def candidate_pairs(profiles: list[Profile], rules: FusionRules) -> Iterator[tuple[int, int]]:
    """Pairs (i, j), i < j, of profile indexes that may report one event, each once
    (``profiles[i].index == i``)."""
    columns = columns_of(profiles, rules, Codes())
    filed, probes = keys_of(columns, rules)
    first, second = distinct_pairs(*meetings(columns, probes, filed))
    yield from zip(first.tolist(), second.tolist(), strict=True)
