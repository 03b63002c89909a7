"""Textual context for resolution: which mention qualifies which.

A qualifier names the larger area a place lies in: "Salma, Latakia", "Alexandria, La.",
"Turkey's Yayladağ", "Pandi, Bulacan in Central Luzon", "the consulate in Istanbul",
"Aleppo (Syria)". Resolution rewards candidates that lie in the area their qualifiers resolve to.
Words around a mention ("in the Latakia countryside", "near the Yayladağ border gate") are kept
with the mention as hints of the kind of place it is (``trailing_word``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol


class Spanned(Protocol):
    start: int
    end: int


class Sourced(Spanned, Protocol):
    source: str


# Text between a place and the area qualifying it, place first; a word naming the kind of place
# may stand before "in" ("Nyaung Kone village in Sagaing region").
_AFTER = re.compile(
    r"^(\s*,\s*|\s+([a-z]+\s+)?in\s+(the\s+)?|\s*\(\s*|\s*,\s*in\s+(the\s+)?)$",
    re.IGNORECASE,
)
# Text between an area and the place it qualifies, area first ("Turkey's Yayladağ").
_BEFORE = re.compile(r"^['’]s\s+(the\s+)?$")
_NEXT_WORD = re.compile(r"\s*([A-Za-z][A-Za-z\-]*(?:\s+(?:gate|crossing))?)")


def qualifier_links(
    text: str, mentions: Sequence[Spanned], place_kinds: frozenset[str] = frozenset()
) -> dict[int, list[int]]:
    """For each mention index, the indices of the mentions that qualify it (in text order).
    ``place_kinds``: the words that may name the kind of place between a place and "in" its
    area ("village", "district")."""
    links: dict[int, list[int]] = {}
    for i in range(len(mentions) - 1):
        here, there = mentions[i], mentions[i + 1]
        gap = text[here.end : there.start]
        if len(gap) > 24:
            continue
        kind = _AFTER.match(gap)
        if kind and kind.group(2) and kind.group(2).strip().casefold() not in place_kinds:
            kind = None
        if kind:
            links.setdefault(i, []).append(i + 1)
        elif _BEFORE.match(gap):
            links.setdefault(i + 1, []).append(i)
    # A qualifier of a qualifier qualifies too: "Pandi, Bulacan in Central Luzon".
    for i in list(links):
        seen = set(links[i])
        queue = list(links[i])
        while queue:
            j = queue.pop()
            for k in links.get(j, []):
                if k not in seen and k != i:
                    seen.add(k)
                    links[i].append(k)
                    queue.append(k)
    return links


def trailing_word(text: str, end: int) -> str:
    """The lowercase word right after a mention ("countryside", "border gate"), or ""."""
    match = _NEXT_WORD.match(text, end, min(len(text), end + 40))
    return match.group(1).casefold() if match else ""


def parenthesis_links(text: str, mentions: Sequence[Sourced]) -> dict[int, list[int]]:
    """For each mention the recogniser found before parenthesised admin areas ("Kompa
    (Karimama, Alibori)", source ``qualified``), the area mentions inside, innermost first."""
    links: dict[int, list[int]] = {}
    for i, head in enumerate(mentions):
        if head.source != "qualified":
            continue
        opening = text.find("(", head.end)
        if opening < 0 or text[head.end : opening].strip():
            continue
        closing = text.find(")", opening)
        inside = [
            j
            for j in range(i + 1, len(mentions))
            if mentions[j].source == "qualifier" and opening < mentions[j].start < closing
        ]
        if inside:
            links[i] = inside
    return links


# Text between two names of one list: "Michigan, Oregon", "Washington, Pennsylvania and
# Georgia", "California or Washington".
_LIST_GAP = re.compile(r"^(\s*,\s*(and\s+|or\s+)?|\s+(and|or)\s+)$", re.IGNORECASE)


def coordination_links(text: str, mentions: Sequence[Spanned]) -> dict[int, list[int]]:
    """For each mention written in a list of names ("Michigan, Oregon, New Mexico and Ohio",
    "California or Washington"), the indices of the other names of that list. A pair "X, Y"
    alone is no list (it is read as a place and its area, ``qualifier_links``): a list has
    three names, or two joined by "and" or "or"."""
    lists: list[list[int]] = []
    current: list[int] = []
    joined = False
    for i in range(len(mentions) - 1):
        gap = text[mentions[i].end : mentions[i + 1].start]
        match = _LIST_GAP.match(gap)
        if match is None:
            if len(current) >= 3 or (len(current) == 2 and joined):
                lists.append(current)
            current, joined = [], False
            continue
        if not current:
            current = [i]
        current.append(i + 1)
        joined = joined or bool(match.group(2) or match.group(3))
    if len(current) >= 3 or (len(current) == 2 and joined):
        lists.append(current)
    return {i: [j for j in group if j != i] for group in lists for i in group}
