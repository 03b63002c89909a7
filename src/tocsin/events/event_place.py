"""The event's place: which toponym of the sentence is where this event happened.

Scores each non-metonymic place of the sentence by its distance from the trigger in the
dependency tree, skipping places that a nearer trigger of another event governs, places inside
the actor phrases ("Russian Consulate in Istanbul" is kept, "the Syrian opposition" is not a
toponym anyway) and preferring places not introduced as a mere landmark ("close to the border").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_LANDMARK_WORDS = {"close", "near", "border", "toward", "towards", "from", "across", "beyond"}
_ORIGIN_PREPS = {"from"}


def _is_demonym(text: str) -> bool:
    from tocsin.events.actors import lexicon

    hit = lexicon().countries.get(text.lower())
    return bool(hit and hit[1] == "demonym")


def _path(a: Token, b: Token) -> int:
    """Number of dependency arcs between two tokens of one sentence."""
    up_a: dict[int, int] = {}
    node, depth = a, 0
    while True:
        up_a[node.i] = depth
        if node.head == node:
            break
        node, depth = node.head, depth + 1
    node, depth = b, 0
    while node.i not in up_a:
        if node.head == node:
            return 99
        node, depth = node.head, depth + 1
    return depth + up_a[node.i]


def place_token(parsed: Doc, place: Place) -> Token | None:
    span = parsed.char_span(place.start, place.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _in_subtree(tok: Token, root: Token) -> bool:
    return root.left_edge.i <= tok.i <= root.right_edge.i and root in [tok, *tok.ancestors]


def _landmark(tok: Token, anchor: Token) -> bool:
    node = tok
    while node != anchor and node.head != node:
        if node.lower_ in _LANDMARK_WORDS:
            return True
        node = node.head
    return False


def choose_place(
    anchor: Token,
    sentence: Span,
    places: list[Place],
    other_anchors: list[Token],
    exclude: list[Token] | None = None,
    max_score: float = 99.0,
) -> Place | None:
    """The place of the sentence where the event anchored at ``anchor`` happened, or None."""
    parsed = sentence.doc
    best: tuple[float, Place] | None = None
    for place in places:
        if place.metonym:
            continue
        if not (sentence.start_char <= place.start < sentence.end_char):
            continue
        tok = place_token(parsed, place)
        if tok is None:
            continue
        if exclude and any(tok.i == e.i or (_in_subtree(tok, e) and tok.head.i == e.i and
                                            tok.dep_ in {"amod", "compound", "poss"})
                           for e in exclude):
            continue
        if tok.pos_ == "ADJ" or _is_demonym(place.text):
            continue  # a demonym ("Turkish borders") describes, it does not locate
        claimed = any(
            other != anchor and _in_subtree(tok, other) and _in_subtree(other, anchor)
            for other in other_anchors
        )
        if claimed:
            continue
        score = float(_path(anchor, tok))
        if _landmark(tok, anchor):
            score += 2.5
        if place.precision == "country":
            score += 1.5
        if tok.dep_ == "poss":
            score += 2.0
        if best is None or score < best[0]:
            best = (score, place)
    return best[1] if best and best[0] <= max_score else None


def destination(anchor: Token, places: list[Place]) -> Place | None:
    """For movements: the place after "to" (a toponym, or a demonym phrase: "Turkish borders")."""
    from tocsin.events.actors import country_of_word

    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ in {"to", "into", "towards", "toward"}:
            for tok in child.subtree:
                for place in places:
                    if place.start <= tok.idx < place.end and not place.metonym:
                        return place
            for tok in child.subtree:
                country = country_of_word(tok.text)
                if country:
                    objs = [c for c in child.children if c.dep_ == "pobj"]
                    end_tok = objs[0] if objs else tok
                    span = anchor.doc[tok.i : end_tok.i + 1]
                    return Place(
                        text=span.text, start=span.start_char, end=span.end_char,
                        sentence=-1, country=country, precision="country",
                    )
    return None
