"""MinHash fingerprints of document texts: copies of one wire story versus independent reports.

A fingerprint is the MinHash signature of the set of word n-grams (shingles) of the normalised text:
for each of ``permutations`` universal hash functions, the smallest hash value over the shingles.
The share of equal positions in two signatures estimates the Jaccard similarity of the two shingle
sets. Everything is seeded with fixed constants, so a fingerprint is the same on every machine and
in every run (it can be stored and compared later).
"""

from __future__ import annotations

import hashlib
import operator
import re
import struct
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

_MERSENNE = np.uint64((1 << 61) - 1)
_MASK32 = np.uint64(0xFFFFFFFF)
_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=8)
def _coefficients(permutations: int) -> tuple[np.ndarray, np.ndarray]:
    """Fixed (a, b) pairs of the hash functions a*x + b mod p, derived from a constant seed."""
    a = np.empty(permutations, dtype=np.uint64)
    b = np.empty(permutations, dtype=np.uint64)
    for i in range(permutations):
        digest = hashlib.blake2b(f"tocsin-minhash-{i}".encode(), digest_size=8).digest()
        a[i] = (int.from_bytes(digest[:4], "big") | 1) & 0xFFFFFFFF
        b[i] = int.from_bytes(digest[4:], "big") & 0xFFFFFFFF
    return a, b


def _shingle_hashes(text: str, words: int) -> np.ndarray:
    tokens = _WORD.findall(text.casefold())
    if len(tokens) < words:
        grams = [" ".join(tokens)] if tokens else []
    else:
        grams = [" ".join(tokens[i : i + words]) for i in range(len(tokens) - words + 1)]
    values = {
        int.from_bytes(hashlib.blake2b(g.encode(), digest_size=4).digest(), "big") for g in grams
    }
    return np.fromiter(sorted(values), dtype=np.uint64, count=len(values))


def fingerprint(text: str, permutations: int = 64, shingle_words: int = 5) -> tuple[int, ...]:
    """The MinHash signature of ``text`` (an empty text gives an empty tuple)."""
    hashes = _shingle_hashes(text, shingle_words)
    if hashes.size == 0:
        return ()
    a, b = _coefficients(permutations)
    # a, x < 2**32, so a*x + b < 2**64: no overflow in uint64 before the modulus.
    values = (np.outer(a, hashes) + b[:, None]) % _MERSENNE & _MASK32
    return tuple(int(v) for v in values.min(axis=1))


Fingerprint = Sequence[int] | int  # a signature, or the same packed by ``packed``
_LANE = 0xFFFFFFFF


@lru_cache(maxsize=16)
def _lanes_struct(lanes: int) -> struct.Struct:
    return struct.Struct(f"<{lanes}I")


def packed(signature: Sequence[int] | None) -> Fingerprint | None:
    """The signature as one integer of 32-bit lanes (compared much faster by ``similarity``),
    or the signature itself when a value does not fit in 32 bits; None when empty or missing."""
    if not signature:
        return None
    lanes = len(signature)
    try:
        data = _lanes_struct(lanes).pack(*signature)
    except struct.error:  # a value below 0 or above 32 bits
        return signature
    # The top bit marks the length, so packed signatures of different lengths never match.
    return int.from_bytes(data, "little") | (1 << (32 * lanes))


def _unpack(value: int) -> tuple[int, ...]:
    lanes = (value.bit_length() - 1) // 32
    return tuple((value >> (32 * k)) & _LANE for k in range(lanes))


@lru_cache(maxsize=64)
def lane_masks(lanes: int) -> tuple[int, int]:
    """(the low 31 bits of every 32-bit lane, the top bit of every lane)."""
    low = sum(0x7FFFFFFF << (32 * k) for k in range(lanes))
    return low, sum(1 << (32 * k + 31) for k in range(lanes))


def similarity(first: Fingerprint | None, second: Fingerprint | None) -> float:
    """Estimated Jaccard similarity of two fingerprints (0 when either is missing)."""
    if type(first) is int and type(second) is int:
        size = first.bit_length()
        lanes = (size - 1) // 32
        if lanes <= 0 or size != second.bit_length():
            return 0.0
        if first == second:
            return 1.0
        # A lane differs when its 31 low bits, plus 0x7FFFFFFF, carry into its top bit, or when
        # its top bit differs: count the top bits so set.
        diff = first ^ second
        low, top = lane_masks(lanes)
        return (lanes - ((((diff & low) + low) | diff) & top).bit_count()) / lanes
    if isinstance(first, int):
        first = _unpack(first)
    if isinstance(second, int):
        second = _unpack(second)
    if not first or not second or len(first) != len(second):
        return 0.0
    return sum(map(operator.eq, first, second)) / len(first)
