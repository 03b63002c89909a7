"""The event's place: which toponym of the sentence is where this event happened.

Candidates are the sentence's non-metonymic toponyms (from the geoparser) plus proper names that
the syntax itself marks as places ("in Kafr Sousah", "the village of Khan Touman", "Daraa
province"), which small gazetteers and the parser's entity labels often miss. Each candidate is
scored by its distance from the trigger in the dependency tree, with penalties for what makes a
toponym something other than the event's place: the origin or destination of a movement, a
landmark ("close to the border"), a whole country when a town is named, the seat of a speaker
("said in Washington"), a place that another event of the sentence governs. The words behind
these rules are in ``tocsin/data/events/event_place.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from tocsin.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_NAME_DEPS = {"compound", "flat", "nmod"}
# Beyond this score (dependency arcs plus penalties) a sentence's toponym is taken to be about
# something else than the event; measured on the first half of the event-location data.
LOCATE_MAX_SCORE = 8.0
_NOUN_POS = {"PROPN", "NOUN"}


@dataclass(frozen=True)
class PlaceWords:
    locative: frozenset[str]
    origin: frozenset[str]
    destination: frozenset[str]
    place_nouns: frozenset[str]
    landmark: frozenset[str]
    speech: frozenset[str]
    facility: frozenset[str]


@cache
def place_words() -> PlaceWords:
    """The event-place word lists (event_place.toml), read once per process."""
    path = resources.files("tocsin").joinpath("data/events/event_place.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return PlaceWords(**{key: frozenset(w.lower() for w in data[key])
                         for key in PlaceWords.__dataclass_fields__})


def _is_demonym(text: str) -> bool:
    from tocsin.events.actors import lexicon

    lex = lexicon()
    lower = text.lower()
    for word in (lower, lower[:-1] if lower.endswith("s") else lower):
        hit = lex.countries.get(word)
        if (hit and hit[1] == "demonym") or word in lex.groups:
            return True
    return False


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


def _introducer(tok: Token) -> Token | None:
    """The preposition that introduces the phrase of ``tok`` ("in" for "in the town of X")."""
    words = place_words()
    node = tok
    for _ in range(5):
        if node.head == node:
            return None
        if node.dep_ in {"pobj", "pcomp"} and node.head.pos_ in {"ADP", "SCONJ", "ADV"}:
            return node.head
        if node.dep_ in _NAME_DEPS | {"appos", "conj", "amod"} or (
            node.head.dep_ == "prep" and node.head.lower_ == "of"
        ) or node.head.lower_ in words.place_nouns:
            node = node.head
            continue
        if node.dep_ == "prep" or node.pos_ == "ADP":
            return node
        return None
    return None


def _name_span(tok: Token) -> Span:
    """The proper-name tokens of the phrase headed by ``tok`` ("Khan" + "Touman", "Al-Malaah
    Farms")."""
    left = tok.i
    while left - 1 >= tok.sent.start:
        prev = tok.doc[left - 1]
        if prev.pos_ == "PROPN" or (prev.text in {"-", "'", "’"} and left - 2 >= tok.sent.start
                                     and tok.doc[left - 2].pos_ == "PROPN"):
            left -= 1
            continue
        break
    right = tok.i
    while right + 1 < tok.sent.end and tok.doc[right + 1].pos_ == "PROPN" and \
            tok.doc[right + 1].head.i in {tok.i, right}:
        right += 1
    return tok.doc[left : right + 1]


def _name_like(span: Span) -> bool:
    from tocsin.events.actors import lexicon

    text = span.text
    if not text[:1].isupper() or span.root.ent_type_ in {"DATE", "TIME", "CARDINAL", "ORDINAL",
                                                         "MONEY", "PERCENT", "QUANTITY"}:
        return False
    lex = lexicon()
    lower = text.lower()
    if lower in lex.organisations or lower in lex.sectors or lower in lex.titles:
        return False
    return not _is_demonym(text)


def locative_candidates(sentence: Span, places: list[Place]) -> list[Place]:
    """Proper names of ``sentence`` that its syntax marks as places, which ``places`` lacks.

    A name after a locative preposition ("in Kafr Sousah"), after a place noun ("the village
    of Khan Touman") or before one ("Daraa province") is a place even when the gazetteer does
    not know it; such candidates carry no coordinates.
    """
    words = place_words()
    covered = [(p.start, p.end) for p in places]
    found: list[Place] = []
    for tok in sentence:
        if tok.pos_ != "PROPN" or tok.dep_ in _NAME_DEPS and tok.head.pos_ == "PROPN":
            continue
        marked = False
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ in words.locative | words.origin | \
                words.destination:
            marked = True
        elif tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in words.place_nouns:
            marked = True
        elif tok.dep_ in {"compound", "appos"} and head.lower_ in words.place_nouns:
            marked = True
        if not marked:
            continue
        span = _name_span(tok)
        if not _name_like(span):
            continue
        if any(a < span.end_char and span.start_char < b for a, b in covered):
            continue
        found.append(Place(text=span.text, start=span.start_char, end=span.end_char,
                           sentence=-1))
        covered.append((span.start_char, span.end_char))
    return found


def _names_actor(tok: Token, place: Place) -> bool:
    """The toponym names or describes an actor, not a location: "U.S. soldiers", "the United
    States has captured", "Africa's longest conflict", or a known organisation ("Hamas")."""
    from tocsin.events.actors import lexicon

    if place.text.lower() in lexicon().organisations:
        return True
    words = place_words()
    if tok.dep_ in {"compound", "amod", "poss", "nmod", "npadvmod"}:
        head = tok.head
        if head.pos_ != "PROPN" and head.lower_ not in words.place_nouns and \
                head.lemma_.lower() not in words.place_nouns:
            return True
    if _introducer(tok) is not None:
        return False
    return tok.dep_ == "nsubj"


def _speaker_seat(tok: Token, anchor: Token) -> bool:
    """``tok`` hangs from a speech verb that governs the event ("said in Washington that ...")."""
    words = place_words()
    for verb in tok.ancestors:
        if verb.pos_ in {"VERB", "AUX"}:
            return verb != anchor and verb.lemma_.lower() in words.speech and \
                anchor in list(verb.subtree)
    return False


def _is_place_noun(tok: Token) -> bool:
    words = place_words()
    return tok.lower_ in words.place_nouns or tok.lemma_.lower() in words.place_nouns


def _phrase_head(tok: Token) -> Token:
    """The place noun a name belongs to ("Kafr Sousah village", "the town of Adwar")."""
    node = tok
    for _ in range(3):
        head = node.head
        if node.dep_ in {"compound", "appos"} and head != node and _is_place_noun(head):
            node = head
        elif node.dep_ == "pobj" and head.lower_ == "of" and _is_place_noun(head.head):
            node = head.head
        else:
            break
    return node


def _score(anchor: Token, tok: Token, place: Place, other_anchors: list[Token],
           displacement: bool) -> float:
    words = place_words()
    score = float(_path(anchor, _phrase_head(tok)))
    intro = _introducer(tok)
    prep = intro.lower_ if intro is not None else ""
    if prep in words.origin:
        score += -1.0 if displacement else 3.0
    elif prep in words.destination:
        score += 3.0
    node = tok
    while node != anchor and node.head != node:
        if node.lower_ in words.landmark:
            score += 2.5
            break
        node = node.head
    if place.precision == "country":
        score += 1.5
    last = place.text.split()[-1].lower() if place.text.split() else ""
    if last in words.facility:
        score += 2.0
    if tok.dep_ == "poss":
        score += 2.0
    if _speaker_seat(tok, anchor):
        score += 4.0
    if any(other != anchor and _in_subtree(tok, other) and _in_subtree(other, anchor)
           for other in other_anchors):
        score += 3.0
    return score


def choose_place(
    anchor: Token,
    sentence: Span,
    places: list[Place],
    other_anchors: list[Token],
    exclude: list[Token] | None = None,
    max_score: float = 99.0,
    displacement: bool = False,
) -> Place | None:
    """The place of the sentence where the event anchored at ``anchor`` happened, or None."""
    parsed = sentence.doc
    scored: list[tuple[float, int, Place, Token]] = []
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
        if _names_actor(tok, place):
            continue
        scored.append((_score(anchor, tok, place, other_anchors, displacement), tok.i, place,
                       tok))
    ranked = sorted((score, i, place) for score, i, place, _ in scored)
    return ranked[0][2] if ranked and ranked[0][0] <= max_score else None


def locate_event(
    parsed: Doc,
    trigger: tuple[int, int],
    places: list[Place],
    max_score: float = LOCATE_MAX_SCORE,
    displacement: bool = False,
) -> tuple[Place | None, list[Place]]:
    """The place of the event whose trigger word is at character span ``trigger``.

    Returns the chosen place (or None) and the candidates it was chosen from: ``places`` of the
    trigger's sentence plus the names the syntax marks as places.
    """
    from tocsin.events.triggers import find_triggers

    span = parsed.char_span(trigger[0], trigger[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return None, []
    anchor = span.root
    sentence = anchor.sent
    own = [p for p in places if sentence.start_char <= p.start < sentence.end_char]
    candidates = own + locative_candidates(sentence, own)
    others = [t.anchor for t in find_triggers(sentence)]
    pick = choose_place(anchor, sentence, candidates, others, max_score=max_score,
                        displacement=displacement)
    return pick, candidates


def destination(anchor: Token, places: list[Place]) -> Place | None:
    """For movements: the place after "to" (a toponym, or a demonym phrase: "Turkish borders")."""
    from tocsin.events.actors import country_of_word

    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ in place_words().destination:
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
