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
    ids = sorted({d[0] for d in documents})
    if len(ids) == 1:
        return [ids]
    info = {d[0]: d for d in documents}
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for n, first in enumerate(ids):
        a = info[first]
        for second in ids[n + 1 :]:
            ra, rb = find(first), find(second)
            if ra == rb:  # already one source: no need to compare them
                continue
            b = info[second]
            same_outlet = a[1] is not None and a[1] == b[1]
            if same_outlet or similarity(a[2], b[2]) >= threshold:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values())
