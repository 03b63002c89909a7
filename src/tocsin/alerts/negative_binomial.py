"""Upper tail of the negative binomial distribution, and its size from a sample's moments."""

from __future__ import annotations

import math

# Stop summing tail terms once they add less than this share of the sum.
_TAIL_TOLERANCE = 1e-12
_MAX_TERMS = 200_000


def upper_tail(k: int, mean: float, size: float) -> float:
    """P(X >= k) for X ~ NB with the given mean and size (dispersion); variance is
    mean + mean**2 / size, so a large size approaches Poisson."""
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if size <= 0:
        raise ValueError("size must be positive")
    p = size / (size + mean)  # probability of "success" in the Pascal parametrisation
    log_q = math.log1p(-p)
    if k <= mean:
        # Below the mean the tail is large: one minus the head is accurate enough.
        term = math.exp(size * math.log(p))
        head = 0.0
        for x in range(k):
            head += term
            term *= (x + size) / (x + 1) * (1 - p)
        return min(1.0, max(0.0, 1.0 - head))
    log_term = (
        math.lgamma(k + size) - math.lgamma(size) - math.lgamma(k + 1)
        + size * math.log(p) + k * log_q
    )
    term = math.exp(log_term)
    total = 0.0
    x = k
    for _ in range(_MAX_TERMS):
        total += term
        term *= (x + size) / (x + 1) * (1 - p)
        x += 1
        if term < total * _TAIL_TOLERANCE:
            break
    return min(1.0, total)


def size_from_moments(mean: float, variance: float, low: float, high: float) -> float:
    """The NB size matching a sample's mean and variance, kept within [low, high]; ``high``
    when the sample is not over-dispersed."""
    if mean <= 0 or variance <= mean:
        return high
    return min(high, max(low, mean * mean / (variance - mean)))
