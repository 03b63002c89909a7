"""What fusion knows about pairs of mentions (compatible or contradicting), kept compactly.

A pair (x, y), x < y, of profile indexes is the integer key ``x * size + y``. The pairs decided
while scoring are frozen into sorted arrays of 8 bytes a pair, looked up by bisection (a dict of
them took about 100 bytes a pair, a gigabyte at a million mentions); pairs decided later, while
clustering, go to a small dict.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

import numpy as np


def _sorted(keys: np.ndarray) -> array[int]:
    found = array("q")
    found.frombytes(np.sort(keys.astype(np.int64, copy=False)).tobytes())
    return found


def _holds(keys: array[int], key: int) -> bool:
    at = bisect_left(keys, key)
    return at < len(keys) and keys[at] == key


class PairVerdicts:
    """Verdicts on pairs: compatible pairs given at once, contradicting pairs one by one."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._no = array("q")
        self._yes = array("q")
        self._later: dict[int, bool] = {}

    def contradicting(self, x: int, y: int) -> None:
        """Record a contradicting pair (x < y), before ``freeze``."""
        self._no.append(x * self.size + y)

    def contradicting_pairs(self, x: np.ndarray, y: np.ndarray) -> None:
        """Record contradicting pairs (``x[k] < y[k]``), before ``freeze``."""
        self._no.frombytes((x.astype(np.int64) * self.size + y).tobytes())

    def freeze(self, firsts: array[int] | np.ndarray, seconds: array[int] | np.ndarray) -> None:
        """Record the compatible pairs (``firsts[k] < seconds[k]``) and make lookups fast."""
        if len(firsts):
            x = np.asarray(firsts, dtype=np.int64)
            y = np.asarray(seconds, dtype=np.int64)
            self._yes = _sorted(x * self.size + y)
        if self._no:
            self._no = _sorted(np.frombuffer(self._no, dtype=np.int64))

    def get(self, x: int, y: int) -> bool | None:
        """The verdict on (x, y), x < y, or None when nothing is known."""
        key = x * self.size + y
        found = self._later.get(key)
        if found is not None:
            return found
        if _holds(self._yes, key):
            return True
        if _holds(self._no, key):
            return False
        return None

    def put(self, x: int, y: int, verdict: bool) -> None:
        """Record a verdict reached after ``freeze``."""
        self._later[x * self.size + y] = verdict
