"""Places qualified by their admin areas in parentheses: "Kompa (Karimama, Alibori)".

Coders' notes and many reports name a village followed by its district and province in
parentheses. The parts inside are admin-area names; the words right before the parentheses
("Kompa", "Tuban district", "Al Wahabiyah frontline") name the place they qualify, even when
no gazetteer knows it. This module only finds the character spans; the recogniser decides which
parts are toponyms and resolution uses the parts as the head's qualifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "(Tuban, Lahij)", "(coded as Rajbari, Dhaka)", "(Al Hudaydah)": one to three parts.
_PARENS = re.compile(r"\(([^()\n]{2,80})\)")
_PART = re.compile(r"[A-Z][\w'’\-]*(?:[ \-](?:[A-Z][\w'’\-]*|al|el|ad|an|ar|as|ash|at|az|de|la))*")
_LEAD_IN = re.compile(r"^(?:coded\s+(?:as|to)|in|near)\s+", re.IGNORECASE)
_WORD = re.compile(r"[\w'’\-]+")
# Lowercase words that may sit inside a head name ("Kamed el Laouz", "Ras al Ain").
PARTICLES = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "az", "ech", "es", "de",
                       "del", "della", "di", "do", "da", "dos", "la", "le", "du", "des", "sur"})
MAX_HEAD_WORDS = 4


@dataclass(frozen=True)
class Qualified:
    """A head span (None when no name stands right before the parentheses) and the parts'
    spans, in order, all as character offsets."""

    head: tuple[int, int] | None
    parts: tuple[tuple[int, int], ...]


def qualified_spans(text: str, area_words: frozenset[str]) -> list[Qualified]:
    """Every parenthesised list of capitalised names, with the name it follows.

    ``area_words`` are lowercase words that may follow the head name before the parentheses
    ("district", "area"): they are kept in the head span.
    """
    found = []
    for match in _PARENS.finditer(text):
        parts = _parts(text, match.start(1), match.end(1))
        if not parts:
            continue
        found.append(Qualified(_head(text, match.start(), area_words), tuple(parts)))
    return found


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    inside = text[start:end]
    lead = _LEAD_IN.match(inside)
    offset = lead.end() if lead else 0
    pieces = inside[offset:].split(",")
    if len(pieces) > 3:
        return []
    spans = []
    at = start + offset
    for piece in pieces:
        stripped = piece.strip()
        left = at + piece.index(stripped) if stripped else at
        at += len(piece) + 1
        match = _PART.fullmatch(stripped)
        if not match:
            return []  # "(size=no report)", "(JNIM)", "(2012-)": not a list of areas
        spans.append((left, left + len(stripped)))
    return spans


def _head(text: str, paren: int, area_words: frozenset[str]) -> tuple[int, int] | None:
    """The capitalised words (with inner particles) that end right before ``paren``."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, max(0, paren - 120), paren)]
    if not words or text[words[-1][1] : paren].strip():
        return None
    end_word = len(words) - 1
    while end_word >= 0 and text[words[end_word][0] : words[end_word][1]] in area_words:
        end_word -= 1  # "Tuban district (Lahij)"
    chosen: list[int] = []
    i = end_word
    while i >= 0 and len(chosen) < MAX_HEAD_WORDS:
        word = text[words[i][0] : words[i][1]]
        gap = text[words[i][1] : words[i + 1][0]] if i + 1 < len(words) else ""
        if gap.strip():
            break  # punctuation between words ends the name
        if word[:1].isupper():
            chosen.append(i)
        elif word in PARTICLES and chosen:
            chosen.append(i)
        else:
            break
        i -= 1
    while chosen and not text[words[chosen[-1]][0]].isupper():
        chosen.pop()  # a name starts with a capital
    if not chosen:
        return None
    return words[chosen[-1]][0], words[-1][1]
