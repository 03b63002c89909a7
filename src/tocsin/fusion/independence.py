"""Independent sources of an event: documents grouped by outlet and by near-duplicate text.

Two documents are one source when they come from the same outlet (the ``source`` name, or else the
host of the URL) or when their MinHash fingerprints say one copies the other (a wire story run by
several outlets). The groups are the connected components of that relation.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

from tocsin.fusion.fingerprint import Fingerprint, lane_masks, similarity


@lru_cache(maxsize=65_536)
def outlet_key(source: str | None, url: str | None) -> str | None:
    """A normalised outlet name: the source name, else the URL's host without "www."."""
    if source and source.strip():
        return "s:" + " ".join(source.casefold().split())
    if url:
        host = urlsplit(url).hostname
        if host:
            return "h:" + host.casefold().removeprefix("www.")
    return None


def source_groups(
    documents: Sequence[tuple[str, str | None, Fingerprint | None]], threshold: float
) -> list[list[str]]:
    """Group documents ``(id, outlet key, fingerprint)`` into independent sources (sorted)."""
    info = {d[0]: d for d in documents}
    if len(info) == 1:
        return [list(info)]
    ids = sorted(info)
    n = len(ids)
    # Union-find over positions in ``ids``; documents of one outlet are one source from the
    # start (under the first of them).
    parent = list(range(n))
    first_of: dict[str, int] = {}
    for k, i in enumerate(ids):
        outlet = info[i][1]
        if outlet is not None:
            parent[k] = first_of.setdefault(outlet, k)
    prints = [info[i][2] for i in ids]
    size = prints[0].bit_length() if type(prints[0]) is int else 0
    lanes = (size - 1) // 32
    if lanes > 0 and all(type(f) is int and f.bit_length() == size for f in prints):
        _join_packed(parent, prints, lanes, threshold)  # type: ignore[arg-type]
    else:
        for a in range(n):
            own = prints[a]
            for b in range(a + 1, n):
                ra, rb = _root(parent, a), _root(parent, b)
                if ra != rb and similarity(own, prints[b]) >= threshold:
                    parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[str]] = {}
    for k, i in enumerate(ids):  # in order: each group sorted, the groups by their first id
        groups.setdefault(_root(parent, k), []).append(i)
    return list(groups.values())


def _root(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _join_packed(parent: list[int], prints: list[int], lanes: int, threshold: float) -> None:
    """The similarity links of fingerprints packed in ``lanes`` lanes each: ``similarity``'s
    own arithmetic, inlined (a pair already one source is not compared)."""
    low, top = lane_masks(lanes)
    n = len(prints)
    for a in range(n):
        own = prints[a]
        for b in range(a + 1, n):
            ra = a
            while parent[ra] != ra:
                ra = parent[ra]
            rb = b
            while parent[rb] != rb:
                rb = parent[rb]
            if ra == rb:
                continue
            other = prints[b]
            if own == other:
                found = 1.0
            else:
                diff = own ^ other
                found = (lanes - ((((diff & low) + low) | diff) & top).bit_count()) / lanes
            if found >= threshold:
                parent[max(ra, rb)] = min(ra, rb)
