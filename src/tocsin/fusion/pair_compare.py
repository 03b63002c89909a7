"""``compare`` of many pairs at once, on profile columns: the same verdicts and the same scores.

``compare_pairs(columns, first, second, ...)`` answers, for each pair of rows, what
``tocsin.fusion.compatibility.compare`` answers for the two profiles (tests check that verdicts
and scores are equal, to the last bit). Each test of ``compare`` is a numpy expression here, in
the same order, and scores add their terms in the same order, so ties and merge order are those
of the pure-Python reference. Great-circle distances go through ``tocsin.geodesy.distance_km``
itself (numpy's sine may differ in the last bit).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tocsin.fusion.columns import Codes, Columns, exact_distance_km
from tocsin.fusion.distinct import distinct
from tocsin.fusion.fingerprint import similarity
from tocsin.fusion.rules import FusionRules

_PARTS = ("country", "sector", "group")


def _family_rules(
    rules: FusionRules, family: str
) -> tuple[tuple[bool, ...], tuple[bool, ...], frozenset[str]]:
    """(parts of actor1 that contradict, parts of actor2, signals that must be present)."""
    if family in rules.family_contradict_on:
        first = second = rules.family_contradict_on[family]
    else:
        first, second = rules.contradict_on, rules.contradict_on_actor2
    return (
        tuple(part in first for part in _PARTS),
        tuple(part in second for part in _PARTS),
        rules.required_signals.get(family, frozenset()),
    )


def _by_family(
    family: np.ndarray, rules: FusionRules, names: dict[int, str]
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Per pair: the contradicting parts of actor1 and of actor2 ((n, 3) masks), and for each
    required signal the pairs whose family requires it."""
    first = np.zeros((len(family), 3), dtype=bool)
    second = np.zeros((len(family), 3), dtype=bool)
    required: dict[str, np.ndarray] = {}
    for code in distinct(family).tolist():
        at = family == code
        parts1, parts2, needed = _family_rules(rules, names[code])
        first[at] = parts1
        second[at] = parts2
        for name in needed:
            required.setdefault(name, np.zeros(len(family), dtype=bool))[at] = True
    return first, second, required


def _any(rows: np.ndarray) -> np.ndarray:
    """``rows.any(axis=1)`` of a 2-D boolean array, column by column (several times faster
    for a few columns)."""
    if rows.shape[1] == 0:
        return np.zeros(len(rows), dtype=bool)
    found = rows[:, 0].copy()
    for k in range(1, rows.shape[1]):
        found |= rows[:, k]
    return found


def _contradict(a: np.ndarray, b: np.ndarray, parts: np.ndarray) -> np.ndarray:
    return _any(parts & (a >= 0) & (b >= 0) & (a != b))


def _agree(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ((a[:, 0] >= 0) & (a[:, 0] == b[:, 0])) | ((a[:, 2] >= 0) & (a[:, 2] == b[:, 2]))


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ((a >= 0) & (a == b)).astype(np.int64)


def _distances(c: Columns, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return exact_distance_km(c.lat[i], c.lon[i], c.lat[j], c.lon[j])


def _figures(
    c: Columns, i: np.ndarray, j: np.ndarray, rules: FusionRules, given: np.ndarray
) -> np.ndarray:
    """``_figures`` of compatibility: -1 a figure conflicts, 1 shared kinds agree, 0 none
    (``given``: the pairs where both give some figure, the only ones that can share one)."""
    found = np.zeros(len(i), dtype=np.int64)
    i, j = i[given], j[given]
    both = c.has_figure[i] & c.has_figure[j]
    x, y = c.figures[i], c.figures[j]
    gap = np.abs(x - y)
    conflict = both & (gap >= rules.conflict_min_difference)
    conflict &= gap > rules.conflict_ratio * np.maximum(x, y)
    found[given] = np.where(_any(conflict), -1, _any(both).astype(np.int64))
    return found


def _same_figure(c: Columns, i: np.ndarray, j: np.ndarray, given: np.ndarray) -> np.ndarray:
    """Whether the two give one figure of one kind (``given`` as for ``_figures``)."""
    found = np.zeros(len(i), dtype=bool)
    i, j = i[given], j[given]
    found[given] = _any(c.has_figure[i] & c.has_figure[j] & (c.figures[i] == c.figures[j]))
    return found


def _similarity(
    c: Columns, i: np.ndarray, j: np.ndarray, fingerprints: Sequence[object]
) -> np.ndarray:
    """``similarity`` of the two documents' fingerprints."""
    li, lj = c.lane_count[i], c.lane_count[j]
    found = np.zeros(len(i))
    packed = (li > 0) & (li == lj)
    if packed.any():
        at = np.flatnonzero(packed)
        # count_nonzero, not sum: summing booleans row by row is several times slower.
        equal = np.count_nonzero(c.lanes[i[at]] == c.lanes[j[at]], axis=1)
        found[at] = equal / li[at]
    for k in np.flatnonzero((li < 0) | (lj < 0)).tolist():
        found[k] = similarity(fingerprints[i[k]], fingerprints[j[k]])  # type: ignore[arg-type]
    return found


def compare_pairs(
    c: Columns,
    first: np.ndarray,
    second: np.ndarray,
    rules: FusionRules,
    codes: Codes,
    documents: Sequence[str],
    fingerprints: Sequence[object],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the pairs of rows (first[k], second[k]): (compatible, score where compatible, a
    contradiction: incompatible although both places are precise and in one country), as
    ``compare(p, q, rules)`` and ``fuse`` decide."""
    size = len(first)
    compatible = np.zeros(size, dtype=bool)
    scores = np.zeros(size)
    i, j = first, second
    ok = c.dated[i] & c.dated[j]
    ok &= (c.modality[i] == c.modality[j]) & (c.family[i] == c.family[j])
    gi, gj = c.mode_group[i], c.mode_group[j]
    ok &= (gi < 0) | (gj < 0) | (gi == gj)
    ok &= np.maximum(c.start[i], c.start[j]) <= np.minimum(c.end[i], c.end[j])
    pl, ph, ql, qh = c.raw_start[i], c.raw_end[i], c.raw_start[j], c.raw_end[j]
    gap = np.maximum(0, np.maximum(ql - ph, pl - qh))
    ok &= (gap <= c.tolerance[i]) | (gap <= c.tolerance[j])
    pc, qc = c.country[i], c.country[j]
    across_all = (pc > 0) & (qc > 0) & (pc != qc)
    contradicting = ~(c.weak[i] | c.weak[j] | across_all)
    at = np.flatnonzero(ok)
    i, j, across, pc, qc = i[at], j[at], across_all[at], pc[at], qc[at]
    weak = c.weak[i] | c.weak[j]
    keep = np.ones(len(at), dtype=bool)
    # Two countries: only families that cross borders, a weak place or within the distance.
    crossing = across & c.crossing[i]
    keep &= ~across | crossing
    near = crossing & ~weak & c.located[i] & c.located[j]
    far = crossing & ~weak & ~(c.located[i] & c.located[j])
    keep &= ~far
    if near.any():
        k = np.flatnonzero(near)
        keep[k] &= _distances(c, i[k], j[k]) <= rules.cross_border_km
    # A mention without a place country happened in one of its actors' countries.
    a1, a2 = c.actor1, c.actor2

    def outside(x: np.ndarray, y: np.ndarray, xc: np.ndarray, yc: np.ndarray) -> np.ndarray:
        named = (a1[x, 0] >= 0) | (a2[x, 0] >= 0)
        return (xc == -1) & (yc != -1) & named & (yc != a1[x, 0]) & (yc != a2[x, 0])

    keep &= ~(outside(i, j, pc, qc) | outside(j, i, qc, pc))
    # Actors: no contradiction, straight or (symmetric modes) with the sides swapped.
    names = {code: codes.name(code) for code in distinct(c.family[i]).tolist()}
    parts1, parts2, required = _by_family(c.family[i], rules, names)
    p1, p2, q1, q2 = a1[i], a2[i], a1[j], a2[j]
    straight = ~(_contradict(p1, q1, parts1) | _contradict(p2, q2, parts2))
    swapped = (c.symmetric[i] | c.symmetric[j]) & ~(
        _contradict(p1, q2, parts1) | _contradict(p2, q1, parts1)
    )
    keep &= straight | swapped
    agree1 = np.where(straight, _agree(p1, q1), _agree(p1, q2))
    agree2 = np.where(straight, _agree(p2, q2), _agree(p2, q1))
    s, t = c.sectors[i], c.sectors[j]
    sectors = np.where(
        straight,
        _same(s[:, 0], t[:, 0]) + _same(s[:, 1], t[:, 1]),
        _same(s[:, 0], t[:, 1]) + _same(s[:, 1], t[:, 0]),
    )
    same_document = c.document[i] == c.document[j]
    for row in np.flatnonzero(same_document).tolist():
        same_document[row] = documents[int(i[row])] == documents[int(j[row])]
    same_mode = (c.mode[i] >= 0) & (c.mode[i] == c.mode[j])
    # A vague place, or two countries: strong evidence instead of a place test.
    vague = weak | across
    some_figure = _any(c.has_figure)
    given = np.flatnonzero(some_figure[i] & some_figure[j])
    present = {
        "actor1": agree1,
        "actor2": agree2,
        "mode": same_mode,
        "day": (c.single_day[i] >= 0) & (c.single_day[i] == c.single_day[j]),
        "count": _same_figure(c, i, j, given),
        "document": same_document,
    }
    agreeing = np.zeros(len(at), dtype=np.int64)
    for name in rules.signals:
        if name in present:
            agreeing += present[name]
    strong = agreeing >= rules.min_signals
    for name, needs in required.items():
        strong &= ~needs | present.get(name, np.zeros(len(at), dtype=bool))
    keep &= ~vague | strong
    # A precise place: the same place, a province holding it, or within the distance limit.
    closeness = np.zeros(len(at))
    precise = ~vague & keep
    same_place = precise & (c.place_key[i] >= 0) & (c.place_key[i] == c.place_key[j])
    closeness[same_place] = 1.0
    rest = precise & ~same_place
    provinces = rest & (c.containing[i] | c.containing[j]) & (c.admin1[i] >= 0)
    provinces &= c.admin1[j] >= 0
    same_admin1 = c.admin1[i] == c.admin1[j]
    closeness[provinces & same_admin1] = 0.5
    keep &= ~(provinces & ~same_admin1)
    rest &= ~provinces
    keep &= ~(rest & ~(c.located[i] & c.located[j]))
    rest &= c.located[i] & c.located[j]
    if rest.any():
        k = np.flatnonzero(rest)
        limit = np.maximum(c.limit[i[k]], c.limit[j[k]])
        d = _distances(c, i[k], j[k])
        keep[k] &= d <= limit
        closeness[k] = 1.0 - d / limit
    # The score, term by term in the order of ``compare``.
    weights = rules.score_weights
    shorter = np.minimum(ph[at] - pl[at], qh[at] - ql[at]) + 1
    shared = np.maximum(0, np.minimum(ph[at], qh[at]) - np.maximum(pl[at], ql[at]) + 1)
    score = weights.get("place", 0.0) * closeness
    score += weights.get("date", 0.0) * shared / shorter
    score += weights.get("actor", 0.0) * (agree1.astype(np.int64) + agree2)
    if weights.get("sector"):
        score += weights["sector"] * sectors
    if weights.get("figures"):
        score += weights["figures"] * _figures(c, i, j, rules, given)
    score = np.where(same_mode, score + weights.get("mode", 0.0), score)
    if weights.get("text"):
        text = weights["text"]
        found = np.zeros(len(at))
        other = keep & ~same_document
        if other.any():
            k = np.flatnonzero(other)
            found[k] = _similarity(c, i[k], j[k], fingerprints)
        score = np.where(same_document, score + text, score + text * found)
    compatible[at] = keep
    scores[at] = score
    contradicting &= ~compatible
    return compatible, scores, contradicting

