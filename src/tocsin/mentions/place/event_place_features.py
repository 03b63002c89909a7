"""The features of the learned event-place ranker: one row per candidate place of an event
mention's sentence, and one row for "no place stated".

Every feature is a number or a closed-class category: dependency arcs and tokens between the
trigger and the place, the preposition that introduces the place (as its class in
``event_place.toml``: locative, origin, destination, target), where the place sits against the
trigger (below it, above it, before it, in another clause), the gazetteer's precision for it,
whether it contains another candidate, whether it hangs from a speech verb ("said in X"), and
the checks of ``ranking`` that make a toponym something else than where the event happened (an
actor, a source, a reference point, a landmark ...). No word of any training text is a feature;
the word lists are the project's own (``event_place.toml``).

The "no place" row carries the features of the trigger that make a sentence less likely to
say where its event happened: negation, a modal, a speech verb, a noun trigger, how many
candidates there are. Candidate rows and the "no place" row use disjoint columns of one weight
vector (``FEATURES``), so a conditional logit over the rows of one mention learns both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tocsin.mentions.place.candidates import is_demonym, mistagged_name
from tocsin.mentions.place.ranking import (
    LOCATE_MAX_SCORE,
    _across_quote,
    _between,
    _clause_crossings,
    _contains,
    _finer,
    _in_object,
    _in_subtree,
    _introducer,
    _nested_phrases,
    _never_the_place,
    _not_running_text,
    _path,
    _phrase_head,
    _reference_point,
    _seat_of_other_subject,
    _speaker_seat,
    _taken_by_other_verb,
    names_actor,
    place_token,
    rank_places,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from tocsin.mentions.place.words import PlaceLexicon
    from tocsin.records import Place

CANDIDATE_FEATURES: tuple[str, ...] = (
    "arcs",               # dependency arcs from the trigger to the place's phrase (capped 12)
    "log_arcs",
    "tokens",             # tokens between trigger and place, in tens (capped 4)
    "nearest_arcs",       # no other candidate is fewer arcs away
    "nearest_tokens",     # no other candidate is fewer tokens away
    "before_trigger",
    "below_trigger",      # in the trigger's subtree
    "above_trigger",      # the trigger is in the place's subtree
    "on_trigger",         # its preposition hangs from the trigger itself ("killed in X")
    "prep_locative",
    "prep_origin",
    "prep_destination",
    "prep_target",
    "prep_of",
    "prep_other",
    "prep_none",
    "displacement_origin",  # a displacement's origin ("fled from X", "fled their homes in X")
    "displacement_destination",
    "landmark",
    "precision_country",
    "precision_admin1",
    "precision_admin2",
    "precision_town",
    "precision_unknown",  # a name only the syntax marks as a place
    "facility",
    "possessor",
    "speaker_seat",       # "said in X that ..."
    "other_subject",
    "other_event",        # governed by another event of the sentence
    "clauses",            # clause boundaries between trigger and place
    "same_clause",
    "name_part",
    "place_possessor",
    "reference_point",    # "80 km south of X"
    "background",         # "the 1967 X war"
    "nested_phrases",
    "other_verb_object",
    "across_quote",
    "target_phrase",
    "in_subject",
    "in_object",
    "contains_other",     # names the area around another candidate
    "wider_area",         # the gazetteer puts another candidate inside it
    "actor_word",         # a word of the event's own actors
    "describes",          # a demonym or an adjective ("Turkish borders")
    "names_actor",        # "U.S. soldiers", "the United States has captured"
    "never_place",        # a source ("according to X"), an organisation's name, an origin noun
    "capitals",           # written all in capitals: a headline or a dateline
    "dateline",           # opens the sentence before a dash or a bracket ("DORI, May 3 --")
    "only_candidate",
    "arcs_rank_0",        # the nearest candidate by arcs (ties share the rank) ...
    "arcs_rank_1",        # ... the second nearest
    "first_locative",     # the nearest candidate by arcs that a locative preposition introduces
    "rule_kept",          # the hand rules (``ranking.rank_places``) keep it as a candidate
    "rule_score",         # their score for it (arcs plus penalties, /5, capped at 3)
    "rule_best",          # their choice
)

# Where the place stands against the trigger, crossed with the preposition that introduces it.
_PREPS = ("prep_locative", "prep_origin", "prep_destination", "prep_of", "prep_other",
          "prep_none")
_SITES = ("on_trigger", "below_trigger", "above_trigger", "before_trigger", "same_clause",
          "in_object", "in_subject", "precision_country", "precision_unknown", "only_candidate")
CROSSED: tuple[tuple[str, str], ...] = tuple((a, b) for a in _PREPS for b in _SITES)
CANDIDATE_FEATURES = CANDIDATE_FEATURES + tuple(f"{a}*{b}" for a, b in CROSSED)

NONE_FEATURES: tuple[str, ...] = (
    "none",               # the "no place stated" option
    "none_candidates",    # log(1 + number of candidates)
    "none_negated",
    "none_modal",
    "none_speech_trigger",
    "none_spot_trigger",
    "none_passive",
    "none_noun_trigger",
    "none_displacement",
    "none_about",         # an event of words ("accused", "demanded")
    "none_rules",         # the hand rules find no place
)

FEATURES: tuple[str, ...] = CANDIDATE_FEATURES + NONE_FEATURES
_INDEX = {name: k for k, name in enumerate(FEATURES)}
_DASHES = {"--", "-", "\u2014", "\u2013", "(", ":"}
_PRECISION = {"country": "precision_country", "admin1": "precision_admin1",
              "region": "precision_admin1", "admin2": "precision_admin2",
              "town": "precision_town", "point": "precision_town"}


@dataclass(frozen=True)
class MentionRows:
    """The candidates of one mention and its feature rows: one per candidate, in order, then
    the "no place" row last."""

    places: tuple[Place, ...]
    rows: tuple[tuple[float, ...], ...]


def _row(values: dict[str, float]) -> tuple[float, ...]:
    row = [0.0] * len(FEATURES)
    for name, value in values.items():
        row[_INDEX[name]] = float(value)
    return tuple(row)


def _prep_class(lex: PlaceLexicon, intro: Token | None) -> str:
    words = lex.words
    if intro is None:
        return "prep_none"
    prep = intro.lower_
    for name, members in (("prep_origin", words.origin), ("prep_destination", words.destination),
                          ("prep_target", words.target), ("prep_locative", words.locative)):
        if prep in members:
            return name
    return "prep_of" if prep == "of" else "prep_other"


def _dateline(tok: Token) -> bool:
    """The name opens its sentence and a dash, colon or bracket follows it within a few
    tokens."""
    sent = tok.sent
    if tok.i - sent.start > 3:
        return False
    return any(t.text in _DASHES for t in tok.doc[tok.i + 1 : min(tok.i + 5, sent.end)])


def _candidate_values(lex: PlaceLexicon, anchor: Token, tok: Token, place: Place,
                      other_anchors: list[Token], exclude: list[Token],
                      displacement: bool) -> dict[str, float]:
    words = lex.words
    head = _phrase_head(lex, tok)
    arcs = min(_path(anchor, head), 12)
    intro = _introducer(lex, tok)
    prep = _prep_class(lex, intro)
    clauses = _clause_crossings(lex, anchor, tok)
    v: dict[str, float] = {
        "arcs": arcs,
        "log_arcs": math.log1p(arcs),
        "tokens": min(abs(tok.i - anchor.i) / 10.0, 4.0),
        "before_trigger": tok.i < anchor.i,
        "below_trigger": _in_subtree(tok, anchor),
        "above_trigger": _in_subtree(anchor, tok),
        "on_trigger": intro is not None and intro.head == anchor,
        prep: 1.0,
        "clauses": clauses,
        "same_clause": clauses == 0,
        _PRECISION.get(place.precision or "", "precision_unknown"): 1.0,
    }
    in_object = _in_object(tok, anchor)
    if displacement:
        v["displacement_origin"] = prep == "prep_origin" or in_object
        v["displacement_destination"] = prep == "prep_destination"
    node = tok
    while node != anchor and node.head != node:
        if node.lower_ in words.landmark:
            v["landmark"] = 1.0
            break
        node = node.head
    last = place.text.split()[-1].lower() if place.text.split() else ""
    v["facility"] = last in words.facility
    v["possessor"] = tok.dep_ == "poss"
    v["speaker_seat"] = _speaker_seat(lex, tok, anchor)
    v["other_subject"] = _seat_of_other_subject(lex, tok, anchor)
    v["other_event"] = any(other != anchor and _in_subtree(tok, other) and
                           _in_subtree(other, anchor) for other in other_anchors)
    v["name_part"] = tok.dep_ == "compound" and tok.head.pos_ == "PROPN" and \
        tok.head.ent_type_ in {"PERSON", "ORG"} and tok.head.lower_ not in words.place_nouns \
        and tok.head.lower_ not in words.facility
    v["place_possessor"] = tok.dep_ == "poss" and tok.head.lower_ in words.place_nouns
    v["reference_point"] = _reference_point(lex, tok)
    v["background"] = tok.dep_ in {"compound", "nmod", "amod"} and \
        tok.head.lemma_.lower() in words.background_nouns
    v["nested_phrases"] = min(_nested_phrases(anchor, head), 3)
    v["other_verb_object"] = _taken_by_other_verb(lex, tok, anchor)
    v["across_quote"] = _across_quote(anchor, tok)
    v["target_phrase"] = any(t.pos_ == "ADP" and t.lower_ in words.target and t.head == anchor
                             for t in _between(anchor, head) or [])
    for child in anchor.children:
        if child.dep_ in {"nsubj", "nsubjpass"} and child != tok and _in_subtree(tok, child):
            v["in_subject"] = 1.0
        elif child.dep_ == "dobj" and child != tok and _in_subtree(tok, child):
            v["in_object"] = 1.0
    v["actor_word"] = any(tok.i == e.i or (_in_subtree(tok, e) and tok.head.i == e.i and
                                           tok.dep_ in {"amod", "compound", "poss"})
                          for e in exclude)
    v["describes"] = (tok.pos_ == "ADJ" and not mistagged_name(lex, tok)) or \
        is_demonym(lex, place.text)
    v["names_actor"] = names_actor(lex, tok, place)
    v["never_place"] = _never_the_place(lex, tok, place)
    v["capitals"] = _not_running_text(lex, place.text)
    v["dateline"] = _dateline(tok)
    return {k: float(x) for k, x in v.items() if x}


def _none_values(lex: PlaceLexicon, anchor: Token, candidates: int, displacement: bool,
                 about: bool) -> dict[str, float]:
    words = lex.words
    lemma = anchor.lemma_.lower()
    children = list(anchor.children)
    return {
        "none": 1.0,
        "none_candidates": math.log1p(candidates),
        "none_negated": float(any(c.dep_ == "neg" for c in children)),
        "none_modal": float(any(c.tag_ == "MD" for c in children)),
        "none_speech_trigger": float(lemma in words.speech),
        "none_spot_trigger": float(lemma in words.spot_verbs),
        "none_passive": float(any(c.dep_ == "auxpass" for c in children)),
        "none_noun_trigger": float(anchor.pos_ in {"NOUN", "PROPN"}),
        "none_displacement": float(displacement),
        "none_about": float(about),
    }


def _relative(values: list[dict[str, float]]) -> None:
    """The features of a candidate against the others of its mention, in place."""
    arcs = sorted({v.get("arcs", 0.0) for v in values})
    locative = [v.get("arcs", 0.0) for v in values if "prep_locative" in v]
    for v in values:
        rank = arcs.index(v.get("arcs", 0.0))
        if rank < 2:
            v[f"arcs_rank_{rank}"] = 1.0
        if len(values) == 1:
            v["only_candidate"] = 1.0
        if "prep_locative" in v and v.get("arcs", 0.0) == min(locative):
            v["first_locative"] = 1.0
        for a, b in CROSSED:
            if a in v and b in v:
                v[f"{a}*{b}"] = v[a] * v[b]


def mention_rows(lex: PlaceLexicon, anchor: Token, sentence: Span, places: list[Place],
                 other_anchors: list[Token], exclude: list[Token] | None = None,
                 displacement: bool = False, about: bool = False) -> MentionRows:
    """The candidate places of the event at ``anchor`` among ``places`` (those of
    ``sentence`` the parser can find, metonyms aside) and their feature rows, then the "no
    place" row (``about``: the event is one of words, ``about_categories``)."""
    ruled = rank_places(lex, anchor, sentence, places, other_anchors, exclude, displacement,
                        sentence_rules=True)
    rule_scores = {(p.start, p.end): score for score, p in ruled}
    rule_best = (ruled[0][1].start, ruled[0][1].end) \
        if ruled and ruled[0][0] <= LOCATE_MAX_SCORE else None
    parsed = sentence.doc
    found: list[tuple[Place, Token]] = []
    for place in places:
        if place.metonym or not (sentence.start_char <= place.start < sentence.end_char):
            continue
        tok = place_token(parsed, place)
        if tok is not None:
            found.append((place, tok))
    values = [_candidate_values(lex, anchor, tok, place, other_anchors, exclude or [],
                                displacement) for place, tok in found]
    for k, (place, tok) in enumerate(found):
        others = [(p, t) for j, (p, t) in enumerate(found) if j != k]
        if any(_contains(lex, tok, place, t, p, True) for p, t in others):
            values[k]["contains_other"] = 1.0
        if any(_finer(p, place) for p, _ in others):
            values[k]["wider_area"] = 1.0
        key = (place.start, place.end)
        if key in rule_scores:
            values[k]["rule_kept"] = 1.0
            values[k]["rule_score"] = min(rule_scores[key] / 5.0, 3.0)
            values[k]["rule_best"] = float(key == rule_best)
    if values:
        low_arcs = min(v["arcs"] if "arcs" in v else 0.0 for v in values)
        low_tokens = min(v.get("tokens", 0.0) for v in values)
        for v in values:
            v["nearest_arcs"] = float(v.get("arcs", 0.0) == low_arcs)
            v["nearest_tokens"] = float(v.get("tokens", 0.0) == low_tokens)
        _relative(values)
    rows = [_row(v) for v in values]
    none = _none_values(lex, anchor, len(found), displacement, about)
    none["none_rules"] = float(rule_best is None)
    rows.append(_row(none))
    return MentionRows(tuple(p for p, _ in found), tuple(rows))
