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
        self._codes: dict[str, int] = {"": 0}
        self._names: list[str] = [""]

    def of(self, value: str | None) -> int:
        """The code of ``value`` (-1 for None)."""
        if value is None:
            return NONE
        found = self._codes.get(value)
        if found is None:
            found = self._codes[value] = len(self._names)
            self._names.append(value)
        return found

    def name(self, code: int) -> str:
        """The string of a code."""
        return self._names[code]

    def truthy(self, value: str | None) -> int:
        """The code of ``value``, -1 when it is None or empty."""
        return self.of(value) if value else NONE


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


def columns_of(profiles: list[Profile], rules: FusionRules, codes: Codes) -> Columns:
    """The columns of ``profiles``, in their order."""
    n = len(profiles)
    kinds = rules.count_kinds
    width = rules.minhash_permutations
    of, truthy = codes.of, codes.truthy
    int_rows: list[tuple[int, ...]] = []
    float_rows: list[tuple[float, float, float]] = []
    flag_rows: list[tuple[bool, ...]] = []
    actor_rows: list[tuple[int, ...]] = []
    documents: list[int] = []
    counted: list[tuple[int, int, int]] = []  # (row, kind, figure)
    lane_count = np.zeros(n, dtype=np.int64)
    kind_at = {kind: k for k, kind in enumerate(kinds)}
    symmetric = rules.symmetric_modes
    containing = rules.containing
    blob = bytearray()
    packed_rows: list[int] = []
    nan = float("nan")
    for r, p in enumerate(profiles):
        start, end = p.start, p.end
        dated = start is not None and end is not None
        int_rows.append((
            start if start is not None and end is not None else 0,
            end if start is not None and end is not None else 0,
            p.raw_start if p.raw_start is not None else 0,
            p.raw_end if p.raw_end is not None else 0,
            p.date_tolerance, NONE if p.single_day is None else p.single_day,
            of(p.modality), of(p.family), of(p.mode),
            NONE if p.mode_group is None else p.mode_group, of(p.place_country),
            of(p.admin1), of(p.place_key),
        ))  # fmt: skip
        lat, lon = p.lat, p.lon
        located = lat is not None and lon is not None
        float_rows.append(
            (lat, lon, p.limit_km or 0.0)
            if lat is not None and lon is not None
            else (nan, nan, p.limit_km or 0.0)
        )
        flag_rows.append((
            dated and p.raw_start is not None and p.raw_end is not None, located, p.weak,
            p.precision in containing, p.mode in symmetric,
        ))  # fmt: skip
        a1, a2 = p.actor1, p.actor2
        actor_rows.append((
            *((truthy(a1[0]), truthy(a1[1]), truthy(a1[2])) if a1 else (NONE, NONE, NONE)),
            *((truthy(a2[0]), truthy(a2[1]), truthy(a2[2])) if a2 else (NONE, NONE, NONE)),
            of(p.sectors[0]), of(p.sectors[1]),
        ))  # fmt: skip
        for kind, value in p.counts:
            counted.append((r, kind_at[kind], value))
        documents.append(hash(p.document))
        count, data = _lanes(p.fingerprint, width)
        if count:
            lane_count[r] = count
        if data is not None:
            blob += data
            packed_rows.append(r)
    ints = np.array(int_rows, dtype=np.int64).reshape(n, 13)
    floats = np.array(float_rows, dtype=np.float64).reshape(n, 3)
    flags = np.array(flag_rows, dtype=bool).reshape(n, 5)
    actors = np.array(actor_rows, dtype=np.int64).reshape(n, 8)
    figures = np.zeros((n, len(kinds)), dtype=np.int64)
    has_figure = np.zeros((n, len(kinds)), dtype=bool)
    if counted:
        where = np.array(counted, dtype=np.int64)
        figures[where[:, 0], where[:, 1]] = where[:, 2]
        has_figure[where[:, 0], where[:, 1]] = True
    lanes = np.zeros((n, width), dtype=np.uint32)
    if packed_rows:
        lanes[packed_rows] = np.frombuffer(bytes(blob), dtype="<u4").reshape(-1, width)
    crossing = rules.cross_border_families
    family_crossing = np.array([codes.of(f) for f in crossing], dtype=np.int64)
    return Columns(
        dated=flags[:, 0],
        start=ints[:, 0],
        end=ints[:, 1],
        raw_start=ints[:, 2],
        raw_end=ints[:, 3],
        tolerance=ints[:, 4],
        single_day=ints[:, 5],
        modality=ints[:, 6],
        family=ints[:, 7],
        mode=ints[:, 8],
        mode_group=ints[:, 9],
        symmetric=flags[:, 4],
        crossing=np.isin(ints[:, 7], family_crossing),
        country=ints[:, 10],
        admin1=ints[:, 11],
        lat=floats[:, 0],
        lon=floats[:, 1],
        located=flags[:, 1],
        place_key=ints[:, 12],
        limit=floats[:, 2],
        weak=flags[:, 2],
        containing=flags[:, 3],
        actor1=actors[:, 0:3],
        actor2=actors[:, 3:6],
        sectors=actors[:, 6:8],
        figures=figures,
        has_figure=has_figure,
        document=np.array(documents, dtype=np.int64),
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

