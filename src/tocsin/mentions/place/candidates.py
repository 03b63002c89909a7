"""The event-place candidates of a sentence that the geoparser missed: proper names that the
syntax itself marks as places ("in Kafr Sousah", "the village of Khan Touman", "Daraa province"),
which small gazetteers and the parser's entity labels often miss (``locative_candidates``). Also
the word checks the scoring in ``ranking`` shares: demonyms, place nouns, capitalised names
the tagger took for adjectives or common nouns. Every function takes the ``PlaceLexicon``
(``Lexicons.places``) it reads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin.records import Place

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from tocsin.mentions.place.words import PlaceLexicon

NAME_DEPS = {"compound", "flat", "nmod"}
_NOT_NAME_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
_HYPHENS = ("-", "\u2010", "\u2011")


def is_demonym(lex: PlaceLexicon, text: str) -> bool:
    actors = lex.actors
    lower = text.lower()
    for word in (lower, lower[:-1] if lower.endswith("s") else lower):
        hit = actors.countries.get(word)
        if (hit and hit[1] == "demonym") or word in actors.groups:
            return True
    return False


def is_place_noun(lex: PlaceLexicon, tok: Token) -> bool:
    words = lex.words
    return tok.lower_ in words.place_nouns or tok.lemma_.lower() in words.place_nouns


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


def mistagged_name(lex: PlaceLexicon, tok: Token) -> bool:
    """A capitalised word the tagger took for an adjective, a common noun or a verb that
    modifies a place noun inside the sentence ("Palouch village", "the Al-Seen airbase"): a
    name, unless it is a direction ("Northern province") or opens the sentence."""
    text = tok.text
    return tok.pos_ in {"ADJ", "NOUN", "VERB"} and tok.i > tok.sent.start and \
        text[:1].isupper() and not text.isupper() and tok.dep_ in {"amod", "compound", "nmod"} \
        and _names_places(lex, tok.head) and tok.head.i > tok.i and \
        not any(text.lower().startswith(d) for d in lex.words.directions) and \
        tok.ent_type_ != "NORP" and text.lower() not in lex.adjectives


def _names_places(lex: PlaceLexicon, noun: Token) -> bool:
    """``noun`` is a place noun, a part noun or a candidate noun ("village", "fringes")."""
    words = lex.words
    nouns = words.part_nouns | words.candidate_nouns
    return is_place_noun(lex, noun) or noun.lemma_.lower() in nouns or noun.lower_ in nouns


def _name_like(lex: PlaceLexicon, span: Span, articles: bool = False,
               framed: bool = False) -> bool:
    """``span`` reads as a proper name; with ``articles`` (running text) also one written with a
    lower-case Arabic article ("al-Rai", "the al-Tarikh area": ``article_prefixes``), but not a
    word broken before a hyphen ("the Shiite- dominated Sadr city"). A ``framed`` name ("the
    town of X") is a name whatever entity label the parser gave it ("the village of Sogam last
    September" is no date)."""
    text = span.text
    if articles:
        text = _strip_article(lex, text)
    if not text[:1].isupper() or not framed and span.root.ent_type_ in _NOT_NAME_LABELS:
        return False
    if articles and text.endswith(_HYPHENS):
        return False
    actors = lex.actors
    lower = text.lower()
    if lower in actors.organisations or lower in actors.sectors or lower in actors.titles:
        return False
    return not is_demonym(lex, text)


def _strip_article(lex: PlaceLexicon, text: str) -> str:
    """``text`` without a lower-case article prefix ("al-Rai" -> "Rai")."""
    for prefix in lex.words.article_prefixes:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix):].lstrip(" -")
    return text


def _marked_as_place(lex: PlaceLexicon, tok: Token, plurals: bool) -> bool:
    """The syntax of ``tok`` makes it a place name: "in X", "the village of X", "X province"
    (with ``plurals`` also "the towns of X", "the southern sector of X", "X's perimeter" and
    "X, a border town")."""
    words = lex.words
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in words.locative | words.origin | words.destination:
        return True
    if plurals and any(c.dep_ == "appos" and is_place_noun(lex, c) for c in tok.children):
        return True
    deps = {"compound", "appos", "nmod", "poss"} if plurals else {"compound", "appos"}
    if plurals and tok.pos_ != "PROPN":
        deps = deps | {"amod"}  # a mistagged name ("Bemal village")
    noun = head.head if tok.dep_ == "pobj" and head.lower_ == "of" else \
        head if tok.dep_ in deps else None
    if noun is None:
        return False
    if plurals:
        return _names_places(lex, noun)
    return noun.lower_ in words.place_nouns


def _named_place(lex: PlaceLexicon, tok: Token) -> bool:
    """A proper name that says itself it is a place ("Al-Rasoul Checkpoint", "Kuweires
    Military Airport")."""
    words = lex.words
    return tok.lower_ in words.place_nouns or tok.lower_ in words.facility


def locative_candidates(lex: PlaceLexicon, sentence: Span, places: list[Place],
                        conjuncts: bool = False, articles: bool = False) -> list[Place]:
    """Proper names of ``sentence`` that its syntax marks as places, which ``places`` lacks.

    A name after a locative preposition ("in Kafr Sousah"), after a place noun ("the village
    of Khan Touman") or before one ("Daraa province") is a place even when the gazetteer does
    not know it; such candidates carry no coordinates. With ``conjuncts``, the names
    coordinated with such a name are places too ("the towns of Khan Touman, Aleis and
    Alzorba"), and so are names that end in a place noun ("Al-Rasoul Checkpoint"). With
    ``articles``, names written with a lower-case article count ("the al-Tarikh area").
    """
    covered = [(p.start, p.end) for p in places]
    found: list[Place] = []
    for tok in sentence:
        if tok.pos_ != "PROPN" and not (conjuncts and mistagged_name(lex, tok)) or \
                tok.dep_ in NAME_DEPS and tok.head.pos_ == "PROPN":
            continue
        first = tok
        while conjuncts and first.dep_ == "conj" and first.head != first and \
                first.head.pos_ == "PROPN":
            first = first.head
        if not _marked_as_place(lex, first, plurals=conjuncts) and not (
                conjuncts and _named_place(lex, tok)):
            continue
        span = _name_span(tok)
        framed = conjuncts and (first.dep_ == "pobj" and first.head.lower_ == "of" and
                                is_place_noun(lex, first.head.head) or
                                first.dep_ in {"compound", "amod"} and
                                is_place_noun(lex, first.head))
        if not _name_like(lex, span, articles, framed):
            continue
        if any(a < span.end_char and span.start_char < b for a, b in covered):
            continue
        found.append(Place(text=span.text, start=span.start_char, end=span.end_char,
                           sentence=-1))
        covered.append((span.start_char, span.end_char))
    return found
