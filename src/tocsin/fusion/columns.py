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

from tocsin.fusion.profiles import ActorKey, Profile
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


def _actor(actor: ActorKey | None, codes: Codes) -> tuple[int, int, int]:
    if actor is None:
        return NONE, NONE, NONE
    return codes.truthy(actor[0]), codes.truthy(actor[1]), codes.truthy(actor[2])


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
    ints = np.full((n, 13), NONE, dtype=np.int64)
    floats = np.full((n, 3), np.nan)
    flags = np.zeros((n, 5), dtype=bool)
    actors = np.full((n, 8), NONE, dtype=np.int64)
    figures = np.zeros((n, len(kinds)), dtype=np.int64)
    has_figure = np.zeros((n, len(kinds)), dtype=bool)
    documents = np.zeros(n, dtype=np.int64)
    lanes = np.zeros((n, width), dtype=np.uint32)
    lane_count = np.zeros(n, dtype=np.int64)
    kind_at = {kind: k for k, kind in enumerate(kinds)}
    symmetric = rules.symmetric_modes
    crossing = rules.cross_border_families
    containing = rules.containing
    blob = bytearray()
    packed_rows: list[int] = []
    for r, p in enumerate(profiles):
        dated = p.start is not None and p.end is not None
        ints[r] = (
            p.start if dated else 0, p.end if dated else 0,
            p.raw_start if p.raw_start is not None else 0,
            p.raw_end if p.raw_end is not None else 0,
            p.date_tolerance, NONE if p.single_day is None else p.single_day,
            codes.of(p.modality), codes.of(p.family), codes.of(p.mode),
            NONE if p.mode_group is None else p.mode_group, codes.of(p.place_country),
            codes.of(p.admin1), codes.of(p.place_key),
        )  # fmt: skip
        located = p.lat is not None and p.lon is not None
        if located:
            floats[r, 0], floats[r, 1] = p.lat, p.lon
        floats[r, 2] = p.limit_km or 0.0
        flags[r] = (
            dated and p.raw_start is not None and p.raw_end is not None, located, p.weak,
            p.precision in containing, p.mode in symmetric,
        )  # fmt: skip
        actors[r] = (
            *_actor(p.actor1, codes), *_actor(p.actor2, codes),
            codes.of(p.sectors[0]), codes.of(p.sectors[1]),
        )  # fmt: skip
        for kind, value in p.counts:
            k = kind_at[kind]
            figures[r, k], has_figure[r, k] = value, True
        documents[r] = hash(p.document)
        count, data = _lanes(p.fingerprint, width)
        lane_count[r] = count
        if data is not None:
            blob += data
            packed_rows.append(r)
    if packed_rows:
        lanes[packed_rows] = np.frombuffer(bytes(blob), dtype="<u4").reshape(-1, width)
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
        document=documents,
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

