"""Re-joining a sentence that the parser cut at a bracket inside it ("on Saturday [31 October]
in firing ...", "peak 5,000-meter (16,500-foot) Tiger Hill"), so that an event verb and the place
phrases after the bracket share one dependency tree again (``join_bracket_cuts``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from tocsin.mentions.sentence_list import sentence_list, sentence_position

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token
    from thinc.types import Ints2d

_OPENING_BRACKETS = {"[", "("}
_CLOSING_BRACKETS = {"]", ")"}
_JOIN_ATTRS = ("TAG", "POS", "MORPH", "LEMMA", "ENT_IOB", "ENT_TYPE", "DEP", "HEAD")


def _bracket_cut(before: Span, after: Span) -> bool:
    """The parser ended a sentence at a bracket inside it: the next piece opens with one
    ("on Saturday [31 October] in firing ...") or the piece ends with a closing one and no full
    stop ("captured strategic peak 5,000-meter (16,500-foot) Tiger Hill")."""
    first = next((t for t in after if not t.is_space), None)
    last = next((t for t in reversed(before) if not t.is_space), None)
    if first is None or last is None or \
            "\n" in _gap(last, first):
        return False  # a line break between them is a real boundary
    return first.text in _OPENING_BRACKETS or last.text in _CLOSING_BRACKETS


def _gap(last: Token, first: Token) -> str:
    """The characters between two tokens (their whitespace when adjacent, without building the
    Doc's whole text, which would make every call as slow as the document is long)."""
    if first.i == last.i + 1:
        return last.whitespace_
    return last.doc[last.i : first.i].text_with_ws[len(last.text):]


def join_bracket_cuts(parsed: Doc, sentence: Span) -> Doc:
    """``parsed`` itself, or a copy in which the pieces of ``sentence`` that the parser cut at a
    bracket hang from its root again (as ``dep``), so that they form one sentence."""
    from spacy.attrs import intify_attr
    from spacy.tokens import Doc as SpacyDoc

    sents = sentence_list(parsed)
    here = sentence_position(parsed, sentence)
    if here is None:
        return parsed
    low, high = here, here
    while low > 0 and here - low < 2 and _bracket_cut(sents[low - 1], sents[low]):
        low -= 1
    while high + 1 < len(sents) and high - here < 2 and _bracket_cut(sents[high], sents[high + 1]):
        high += 1
    if low == high:
        return parsed
    attrs = [intify_attr(a) for a in _JOIN_ATTRS]
    array = parsed.to_array(attrs).astype("int64")
    root = sentence.root.i
    dep = parsed.vocab.strings.add("dep")
    for piece in sents[low : high + 1]:
        if piece.start != sentence.start:
            array[piece.root.i, -1] = root - piece.root.i
            array[piece.root.i, -2] = dep
    copy = SpacyDoc(parsed.vocab, words=[t.text for t in parsed],
                    spaces=[bool(t.whitespace_) for t in parsed])
    copy.from_array(attrs, cast("Ints2d", array.astype("uint64")))
    return copy
