"""Profiles as numpy columns, so that millions of pairs are tested and scored at once.

``Columns`` holds, for a run of profiles, every fact ``compare`` reads, one array per fact: day
ordinals, codes for strings (one ``Codes`` table per run, so a code means the same string in every
batch), coordinates, per-kind figures and the MinHash lanes. Missing values are -1 (or NaN for
coordinates); a string's truthiness matters where ``compare`` tests it (a place country ``""`` is
code 0, "known but not a country"; an empty actor country counts as unknown, -1).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from tocsin.fusion.profiles import Profile
from tocsin.fusion.rules import FusionRules
from tocsin.geodesy import distance_km

NONE = -1


class Codes:
    """Integer codes of strings, fixed for a run: "" is 0, other strings 1, 2, ..."""

    def __init__(self) -> None:
        # Two lookups of the same codes, with None (-1 in both) and, in ``_truthy``, "" as -1.
        self._codes: dict[str | None, int] = {None: NONE, "": 0}
        self._truthy: dict[str | None, int] = {None: NONE, "": NONE}
        self._names: list[str] = [""]

    def _new(self, value: str) -> int:
        found = self._codes[value] = self._truthy[value] = len(self._names)
        self._names.append(value)
        return found

    def of(self, value: str | None) -> int:
        """The code of ``value`` (-1 for None)."""
        found = self._codes.get(value)
        return self._new(value) if found is None else found  # type: ignore[arg-type]

    def name(self, code: int) -> str:
        """The string of a code."""
        return self._names[code]

    def truthy(self, value: str | None) -> int:
        """The code of ``value``, -1 when it is None or empty."""
        found = self._truthy.get(value)
        return self._new(value) if found is None else found  # type: ignore[arg-type]

    def many(self, values: list[str | None], truthy: bool = False) -> np.ndarray:
        """``of`` (or ``truthy``) of each value, as int64 (new strings coded in order)."""
        lookup = self._truthy if truthy else self._codes
        for value in dict.fromkeys(values):  # each distinct value once, in order
            if value not in lookup:
                self._new(value)  # type: ignore[arg-type]
        return np.array(list(map(lookup.__getitem__, values)), dtype=np.int64).reshape(len(values))


@dataclass
class Columns:
    """The facts of ``len(self)`` profiles, one array each (see the module docstring)."""

    dated: np.ndarray  # bool: the profile has a date window
    start: np.ndarray  # int64 day ordinals (0 when not dated)
    end: np.ndarray
    raw_start: np.ndarray
    raw_end: np.ndarray
    tolerance: np.ndarray
    single_day: np.ndarray
    modality: np.ndarray  # int64 codes
    family: np.ndarray
    mode: np.ndarray
    mode_group: np.ndarray
    symmetric: np.ndarray  # bool: the mode's sides are interchangeable
    crossing: np.ndarray  # bool: the family crosses borders
    country: np.ndarray  # place country: -1 None, 0 "", else a code
    admin1: np.ndarray
    lat: np.ndarray  # float64, NaN when unknown
    lon: np.ndarray
    located: np.ndarray  # bool: both coordinates known
    place_key: np.ndarray
    limit: np.ndarray  # float64: limit_km or 0
    weak: np.ndarray
    containing: np.ndarray  # bool: the precision contains finer places
    actor1: np.ndarray  # int64 (n, 3): country, sector group, group (-1 unknown or empty)
    actor2: np.ndarray
    sectors: np.ndarray  # int64 (n, 2): actor1's and actor2's reported sectors (-1 None)
    figures: np.ndarray  # int64 (n, kinds): the figure of each kind of count
    has_figure: np.ndarray  # bool (n, kinds)
    document: np.ndarray  # int64: hash of the document id (equal hashes are checked again)
    lanes: np.ndarray  # uint32 (n, permutations): the MinHash signature
    lane_count: np.ndarray  # int64: lanes of a packed signature; 0 none; -1: not packed

    def __len__(self) -> int:
        return len(self.start)

    def take(self, keep: np.ndarray) -> Columns:
        """The rows ``keep`` (a boolean mask or indexes)."""
        return Columns(**{f.name: getattr(self, f.name)[keep] for f in fields(self)})

    @staticmethod
    def concatenate(parts: list[Columns]) -> Columns:
        return Columns(
            **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Columns)}
        )


def _lanes(fingerprint: object, width: int) -> tuple[int, bytes | None]:
    """(lanes of a packed signature of ``width`` lanes, its bytes); (0, None) when there is
    none; (-1, None) for anything else (compared by ``similarity`` itself)."""
    if fingerprint is None:
        return 0, None
    if type(fingerprint) is int:
        lanes = (fingerprint.bit_length() - 1) // 32
        if lanes == width and lanes > 0:
            return lanes, (fingerprint & ((1 << (32 * lanes)) - 1)).to_bytes(4 * lanes, "little")
    return -1, None


def _or(values: list[int | None], missing: int) -> list[int]:
    return [missing if v is None else v for v in values]


def columns_of(profiles: list[Profile], rules: FusionRules, codes: Codes) -> Columns:
    """The columns of ``profiles``, in their order (built fact by fact, each over every
    profile; ``tests/test_fusion_columns.py`` checks them against building row by row)."""
    n = len(profiles)
    kinds = rules.count_kinds
    width = rules.minhash_permutations
    many = codes.many
    starts = [p.start for p in profiles]
    ends = [p.end for p in profiles]
    dated_window = np.array(
        [s is not None and e is not None for s, e in zip(starts, ends, strict=True)], dtype=bool
    ).reshape(n)
    raw_starts = [p.raw_start for p in profiles]
    raw_ends = [p.raw_end for p in profiles]
    raw_known = np.array(
        [s is not None and e is not None for s, e in zip(raw_starts, raw_ends, strict=True)],
        dtype=bool,
    ).reshape(n)
    start = np.array(_or(starts, 0), dtype=np.int64).reshape(n)
    end = np.array(_or(ends, 0), dtype=np.int64).reshape(n)
    start[~dated_window] = 0
    end[~dated_window] = 0
    lats = [p.lat for p in profiles]
    lons = [p.lon for p in profiles]
    located = np.array(
        [a is not None and b is not None for a, b in zip(lats, lons, strict=True)], dtype=bool
    ).reshape(n)
    lat = np.array(_or(lats, 0), dtype=np.float64).reshape(n)  # type: ignore[arg-type]
    lon = np.array(_or(lons, 0), dtype=np.float64).reshape(n)  # type: ignore[arg-type]
    lat[~located] = np.nan
    lon[~located] = np.nan
    no_actor = (None, None, None)
    actor1 = [p.actor1 or no_actor for p in profiles]
    actor2 = [p.actor2 or no_actor for p in profiles]
    actors = np.stack(
        [many([a[k] for a in side], truthy=True) for side in (actor1, actor2) for k in range(3)]
        + [many([p.sectors[k] for p in profiles]) for k in range(2)],
        axis=1,
    ).reshape(n, 8)
    kind_at = {kind: k for k, kind in enumerate(kinds)}
    counted = [
        (r, kind_at[kind], value)
        for r, p in enumerate(profiles) if p.counts
        for kind, value in p.counts
    ]  # fmt: skip
    figures = np.zeros((n, len(kinds)), dtype=np.int64)
    has_figure = np.zeros((n, len(kinds)), dtype=bool)
    if counted:
        where = np.array(counted, dtype=np.int64)
        figures[where[:, 0], where[:, 1]] = where[:, 2]
        has_figure[where[:, 0], where[:, 1]] = True
    lane_count = np.zeros(n, dtype=np.int64)
    lanes = np.zeros((n, width), dtype=np.uint32)
    blob = bytearray()
    packed_rows: list[int] = []
    for r, p in enumerate(profiles):
        count, data = _lanes(p.fingerprint, width)
        if count:
            lane_count[r] = count
        if data is not None:
            blob += data
            packed_rows.append(r)
    if packed_rows:
        lanes[packed_rows] = np.frombuffer(bytes(blob), dtype="<u4").reshape(-1, width)
    family = many([p.family for p in profiles])
    modes = [p.mode for p in profiles]
    family_crossing = np.array([codes.of(f) for f in rules.cross_border_families], dtype=np.int64)
    symmetric, containing = rules.symmetric_modes, rules.containing
    return Columns(
        dated=dated_window & raw_known,
        start=start,
        end=end,
        raw_start=np.array(_or(raw_starts, 0), dtype=np.int64).reshape(n),
        raw_end=np.array(_or(raw_ends, 0), dtype=np.int64).reshape(n),
        tolerance=np.array([p.date_tolerance for p in profiles], dtype=np.int64).reshape(n),
        single_day=np.array(_or([p.single_day for p in profiles], NONE), dtype=np.int64).reshape(n),
        modality=many([p.modality for p in profiles]),
        family=family,
        mode=many(modes),
        mode_group=np.array(_or([p.mode_group for p in profiles], NONE), dtype=np.int64).reshape(n),
        symmetric=np.array([m in symmetric for m in modes], dtype=bool).reshape(n),
        crossing=np.isin(family, family_crossing),
        country=many([p.place_country for p in profiles]),
        admin1=many([p.admin1 for p in profiles]),
        lat=lat,
        lon=lon,
        located=located,
        place_key=many([p.place_key for p in profiles]),
        limit=np.array([p.limit_km or 0.0 for p in profiles], dtype=np.float64).reshape(n),
        weak=np.array([p.weak for p in profiles], dtype=bool).reshape(n),
        containing=np.array([p.precision in containing for p in profiles], dtype=bool).reshape(n),
        actor1=actors[:, 0:3],
        actor2=actors[:, 3:6],
        sectors=actors[:, 6:8],
        figures=figures,
        has_figure=has_figure,
        document=np.array([hash(p.document) for p in profiles], dtype=np.int64).reshape(n),
        lanes=lanes,
        lane_count=lane_count,
    )


def exact_distance_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """``tocsin.geodesy.distance_km`` of each pair, by the very same float operations (numpy's
    own sine differs in the last bit now and then, which could reorder merges)."""
    if len(lat1) == 0:
        return np.zeros(0)
    return np.fromiter(
        map(distance_km, lat1.tolist(), lon1.tolist(), lat2.tolist(), lon2.tolist()),
        dtype=np.float64,
        count=len(lat1),
    )

