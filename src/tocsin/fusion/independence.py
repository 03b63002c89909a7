"""Independent sources of an event: documents grouped by outlet and by near-duplicate text.

Two documents are one source when they come from the same outlet (the ``source`` name, or else the
host of the URL) or when their MinHash fingerprints say one copies the other (a wire story run by
several outlets). The groups are the connected components of that relation.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import urlsplit

from tocsin.fusion.fingerprint import Fingerprint, similarity


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
    # Documents of one outlet are one source from the start (each under its smallest id).
    parent: dict[str, str] = {}
    first_of: dict[str, str] = {}
    for i in ids:
        outlet = info[i][1]
        parent[i] = i if outlet is None else first_of.setdefault(outlet, i)

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for n, first in enumerate(ids):
        own = info[first][2]
        for second in ids[n + 1 :]:
            ra, rb = find(first), find(second)
            if ra == rb:  # already one source: no need to compare them
                continue
            if similarity(own, info[second][2]) >= threshold:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for i in ids:  # in order: each group sorted, the groups in order of their first id
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())
