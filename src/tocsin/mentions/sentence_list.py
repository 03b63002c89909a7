"""The sentences of a parse as a list, made once per Doc, and a sentence's place in it.

``list(doc.sents)`` walks the whole document; stages that ask for the neighbours of each event
sentence would otherwise walk it once per event, which makes a long text (a million characters
has thousands of events) take time in the square of its length.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# The last Doc asked about and its sentences: the stages handle one Doc at a time.
_last: tuple[Doc, list[Span], list[int]] | None = None


def sentence_list(parsed: Doc) -> list[Span]:
    return _sentences(parsed)[0]


def sentence_position(parsed: Doc, sentence: Span) -> int | None:
    """The index of ``sentence`` (by its first token) in ``sentence_list(parsed)``."""
    sents, starts = _sentences(parsed)
    k = bisect_left(starts, sentence.start)
    return k if k < len(starts) and starts[k] == sentence.start else None


def _sentences(parsed: Doc) -> tuple[list[Span], list[int]]:
    global _last
    if _last is None or _last[0] is not parsed:
        sents = list(parsed.sents)
        _last = (parsed, sents, [s.start for s in sents])
    return _last[1], _last[2]
