"""Profile columns built fact by fact (``columns_of``) equal those built row by row, the way the
engine first built them (kept here as the reference): on varied random profiles (missing dates,
places, coordinates, actors with empty parts, figures of several kinds, fingerprints packed, too
wide and missing) every column has the same dtype, shape and values, to the last bit; with the
same ``Codes`` table the codes are the very same numbers, with a fresh one they name the same
strings."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest
from test_fusion_candidates import RULES, profiles_of, random_mention
from test_fusion_pair_compare import _varied

from tocsin.fusion.columns import NONE, Codes, Columns, _lanes, columns_of
from tocsin.fusion.profiles import Profile
from tocsin.fusion.rules import FusionRules

_CODED = ("modality", "family", "mode", "country", "admin1", "place_key", "actor1", "actor2",
          "sectors")  # fmt: skip


def row_by_row(profiles: list[Profile], rules: FusionRules, codes: Codes) -> Columns:
    """The columns of ``profiles`` built one profile at a time (the reference)."""
    n = len(profiles)
    kinds = rules.count_kinds
    width = rules.minhash_permutations
    of, truthy = codes.of, codes.truthy
    int_rows: list[tuple[int, ...]] = []
    float_rows: list[tuple[float, float, float]] = []
    flag_rows: list[tuple[bool, ...]] = []
    actor_rows: list[tuple[int, ...]] = []
    documents: list[int] = []
    counted: list[tuple[int, int, int]] = []
    lane_count = np.zeros(n, dtype=np.int64)
    kind_at = {kind: k for k, kind in enumerate(kinds)}
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
            p.precision in rules.containing, p.mode in rules.symmetric_modes,
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
    family_crossing = np.array([of(f) for f in rules.cross_border_families], dtype=np.int64)
    return Columns(
        dated=flags[:, 0], start=ints[:, 0], end=ints[:, 1], raw_start=ints[:, 2],
        raw_end=ints[:, 3], tolerance=ints[:, 4], single_day=ints[:, 5], modality=ints[:, 6],
        family=ints[:, 7], mode=ints[:, 8], mode_group=ints[:, 9], symmetric=flags[:, 4],
        crossing=np.isin(ints[:, 7], family_crossing), country=ints[:, 10], admin1=ints[:, 11],
        lat=floats[:, 0], lon=floats[:, 1], located=flags[:, 1], place_key=ints[:, 12],
        limit=floats[:, 2], weak=flags[:, 2], containing=flags[:, 3], actor1=actors[:, 0:3],
        actor2=actors[:, 3:6], sectors=actors[:, 6:8], figures=figures, has_figure=has_figure,
        document=np.array(documents, dtype=np.int64).reshape(n), lanes=lanes,
        lane_count=lane_count,
    )  # fmt: skip


def _names(values: np.ndarray, codes: Codes) -> list[object]:
    return [None if v == NONE else codes.name(v) for v in values.reshape(-1).tolist()]


def _assert_same(expected: Columns, found: Columns, decode: tuple[Codes, Codes] | None) -> None:
    for field in dataclasses.fields(Columns):
        a, b = getattr(expected, field.name), getattr(found, field.name)
        assert a.dtype == b.dtype and a.shape == b.shape, field.name
        if decode is not None and field.name in _CODED:
            assert _names(a, decode[0]) == _names(b, decode[1]), field.name
        else:
            assert a.tobytes() == b.tobytes(), field.name  # NaNs too, bit for bit


def _edges(rng: random.Random, n: int) -> Profile:
    """Profiles with the rare shapes: no window, half a window, no raw span, one coordinate,
    empty strings, no actors, several figures, odd fingerprints."""
    (profile,) = profiles_of([_varied(rng, n)])
    roll = rng.random()
    changes: dict[str, object] = {}
    if roll < 0.1:
        changes.update(start=None, end=None, single_day=None)
    elif roll < 0.15:
        changes.update(end=None)
    elif roll < 0.2:
        changes.update(raw_start=None, raw_end=None)
    if rng.random() < 0.1:
        changes.update(lon=None)
    if rng.random() < 0.1:
        changes.update(lat=1, lon=-2, limit_km=None)
    if rng.random() < 0.1:
        changes.update(actor1=None, actor2=("", None, "g"), sectors=("", None))
    if rng.random() < 0.1:
        changes.update(mode=None, mode_group=None, place_country="", admin1="", place_key=None)
    if rng.random() < 0.2:
        changes.update(counts=(("injured", 4), ("killed", 9)))
    if rng.random() < 0.1:
        changes.update(fingerprint=rng.choice([None, (1, 2, 3), 1 << 40, (1 << 64) | 7]))
    return dataclasses.replace(profile, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_columns_equal_row_by_row(seed: int) -> None:
    rng = random.Random(seed)
    profiles = [_edges(rng, n) for n in range(800)]
    codes = Codes()
    expected = row_by_row(profiles, RULES, codes)
    _assert_same(expected, columns_of(profiles, RULES, codes), None)  # the same codes
    fresh = Codes()
    _assert_same(expected, columns_of(profiles, RULES, fresh), (codes, fresh))
    # In parts, one table for the run: each part's codes as building row by row gives them.
    again = Codes()
    for begin in range(0, len(profiles), 300):
        part, reference = profiles[begin : begin + 300], Codes()
        _assert_same(row_by_row(part, RULES, reference), columns_of(part, RULES, again),
                     (reference, again))  # fmt: skip


def test_columns_of_nothing_and_of_one() -> None:
    rng = random.Random(5)
    _assert_same(row_by_row([], RULES, Codes()), columns_of([], RULES, Codes()), None)
    one = profiles_of([random_mention(rng, 0)])
    codes = Codes()
    _assert_same(row_by_row(one, RULES, codes), columns_of(one, RULES, codes), None)


def test_codes_of_many_equal_one_by_one() -> None:
    values: list[str | None] = ["a", None, "", "b", "a", None, "c", "", "b"]
    one, batch = Codes(), Codes()
    assert batch.many(values).tolist() == [one.of(v) for v in values]
    assert batch.many(values, truthy=True).tolist() == [one.truthy(v) for v in values]
    assert [batch.name(k) for k in range(4)] == ["", "a", "b", "c"]
    assert Codes().many([]).shape == (0,)
