"""Distinct values by sorting (``tocsin.fusion.distinct``) equal ``numpy.unique`` and
``numpy.isin``: values, positions and dtypes, on random integer arrays (few and many distinct
values, negatives, the int64 extremes) and on empty and one-value arrays."""

from __future__ import annotations

import numpy as np
import pytest

from tocsin.fusion.distinct import distinct, distinct_inverse, members

_EDGES = [
    np.zeros(0, dtype=np.int64),
    np.array([5], dtype=np.int64),
    np.array([3, 3, 3], dtype=np.int64),
    np.array([np.iinfo(np.int64).max, np.iinfo(np.int64).min, 0, -1, np.iinfo(np.int64).max]),
]


def _arrays(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [
        *_EDGES,
        rng.integers(0, 10, 5000),
        rng.integers(-(2**62), 2**62, 5000),
        rng.integers(0, 2**20, 20000) * 4096 + rng.integers(0, 3, 20000),
        np.repeat(rng.integers(0, 100, 300), rng.integers(1, 5, 300)),
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_distinct_equals_numpy_unique(seed: int) -> None:
    for values in _arrays(seed):
        expected = np.unique(values)
        found = distinct(values)
        assert found.dtype == expected.dtype and found.tolist() == expected.tolist()
        expected_values, expected_inverse = np.unique(values, return_inverse=True)
        found_values, found_inverse = distinct_inverse(values)
        assert found_values.tolist() == expected_values.tolist()
        assert found_inverse.dtype == expected_inverse.dtype
        assert found_inverse.reshape(-1).tolist() == expected_inverse.reshape(-1).tolist()


@pytest.mark.parametrize("seed", [1, 2])
def test_members_equals_numpy_isin(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for values in _arrays(seed):
        for ordered in (np.unique(rng.choice(values, len(values) // 2)) if len(values) else values,
                        np.zeros(0, dtype=np.int64), np.unique(values)):  # fmt: skip
            assert members(values, ordered).tolist() == np.isin(values, ordered).tolist()
