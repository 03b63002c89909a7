"""The place of one event mention: the single configuration ``find_events`` uses for every
event word, whether the lexicon found it or the caller gave it (``verbs=``).

The candidates (``event_candidates``) are the sentence's toponyms plus the names its syntax
marks as places (``candidates.locative_candidates``), in the sentence joined again where the
parser cut it at a bracket (``bracket_cuts``). Toponyms inside the phrase the event is about
(``about_categories``) are never its place. The choice among the candidates and "no place
stated" is the learned ranker's (``event_place_model``, a conditional logit over
``event_place_features``, trained on the fit split of the event-location data: 0.799 of the
gold verbs placed right in 5-fold cross-validation, against 0.762 for the hand rules); with
TOCSIN_EVENT_PLACE_RANKER=rules it is ``ranking.choose_place`` with the rules for an event verb
in running text (``sentence_rules``), as before. A movement with no place of its own is placed
where it went (``ranking.destination``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING

from tocsin.mentions.place.bracket_cuts import join_bracket_cuts
from tocsin.mentions.place.candidates import locative_candidates
from tocsin.mentions.place.event_place_features import MentionRows, mention_rows
from tocsin.mentions.place.event_place_model import configured_event_place_ranker
from tocsin.mentions.place.ranking import LOCATE_MAX_SCORE, choose_place, destination

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from tocsin.mentions.place.words import PlaceLexicon
    from tocsin.records import Place

# Training (``event_place_training``) watches each mention's candidates and feature rows here:
# called with the trigger's anchor, the rows, the rules' choice and the category.
Observer = Callable[["Token", MentionRows, "Place | None", str], None]
OBSERVER: ContextVar[Observer | None] = ContextVar("event_place_observer", default=None)


def event_candidates(lex: PlaceLexicon, sentence: Span, places: list[Place]) -> list[Place]:
    """The places of ``sentence`` that may be where its events happened: its toponyms from
    ``places``, then the names its syntax marks as places."""
    own = [p for p in places if sentence.start_char <= p.start < sentence.end_char]
    return own + locative_candidates(lex, sentence, own, conjuncts=True, articles=True)


def place_of_event(
    lex: PlaceLexicon,
    anchor: Token,
    token: Token,
    category: str,
    places: list[Place],
    other_anchors: list[Token],
    actors: list[Token],
    about: Token | None,
    same_kind: frozenset[int] = frozenset(),
) -> Place | None:
    """Where the event of ``category`` anchored at ``anchor`` (trigger word ``token``) happened:
    a place of ``places`` or a name the sentence's syntax marks as a place, or None.

    ``other_anchors`` are the other events of the sentence; ``actors`` the heads of this one's
    actors (never its place); ``about`` the head of what it is about; ``same_kind`` the token
    indices of the other anchors whose events are of this one's category."""
    candidates = places
    spans: list[tuple[int, int]] = []
    if category in lex.words.about_categories:
        # what a speech act is about: its object, and the clause saying why ("summoned the
        # envoy to protest against raids on villages in Latakia")
        heads = [about] if about is not None else []
        heads += [c for c in anchor.children if c.dep_ in _PURPOSE_DEPS]
        spans = [(h.left_edge.idx, h.right_edge.idx + len(h.right_edge)) for h in heads]
        candidates = [p for p in candidates if not _inside_any(p, spans)]
    parsed = anchor.doc
    joined = join_bracket_cuts(parsed, anchor.sent)
    if joined is not parsed:
        anchor = joined[anchor.i]
        other_anchors = [joined[t.i] for t in other_anchors]
        actors = [joined[t.i] for t in actors]
    sentence = anchor.sent
    displacement = category == "DISPLACEMENT"
    found = event_candidates(lex, sentence, candidates)
    if spans:  # nor a name the syntax marks as a place inside what it is about
        found = [p for p in found if not _inside_any(p, spans)]
    if not displacement:
        found = [p for p in found if not _across_the_border_from(lex, sentence, p)]
    found = [p for p in found if not _target_of_words(lex, sentence, p)]
    apart = [t for t in other_anchors if t.i not in same_kind]
    found = [p for p in found if not _placed_by_a_subordinate_event(sentence, p, anchor, apart)]
    ranker = configured_event_place_ranker()
    observer = OBSERVER.get()
    place: Place | None = None
    if ranker is None or observer is not None:
        place = choose_place(lex, anchor, sentence, found, other_anchors, exclude=actors,
                             max_score=LOCATE_MAX_SCORE, displacement=displacement,
                             sentence_rules=True)
    if ranker is not None or observer is not None:
        rows = mention_rows(lex, anchor, sentence, found, other_anchors, actors, displacement,
                            category in lex.words.about_categories)
        if observer is not None:
            observer(anchor, rows, place, category)
        if ranker is not None:
            best = ranker.best(rows.rows)
            place = rows.places[best] if best < len(rows.places) else None
    if displacement and place is None:
        place = destination(lex, token, places)  # no origin named: where to
    return place


def _placed_by_a_subordinate_event(sentence: Span, place: Place, anchor: Token,
                                   others: list[Token]) -> bool:
    """True for a place inside the clause of another event that does not hold this one ("the
    demonstration took place hours after the ministry in Ankara summoned the envoy"): it is
    that event's place. ``others`` leaves out events of the same kind, whose clause tells more
    of the same incident ("shot dead by gunmen who opened fire on his car in Monterrey")."""
    tok = _first_token(sentence, place)
    if tok is None:
        return False
    if any(
        other.i != anchor.i
        and other.pos_ in ("VERB", "AUX")
        and other.dep_ in _SUBORDINATE_DEPS
        and _under(tok, other)
        and not _under(anchor, other)
        for other in others
    ):
        return True
    # a clause dated against this one ("hours after the ministry in Ankara called in the
    # envoy") tells of another incident, an event word or not
    for node in [tok, *tok.ancestors]:
        if node.i == anchor.i or _under(anchor, node):
            return False
        if node.dep_ in _SUBORDINATE_DEPS and any(
            c.dep_ == "mark" and c.lower_ in _SEQUENCE_MARKS for c in node.children
        ):
            return True
    return False


# Clauses of their own hanging from another word ("hours after the ministry summoned ...").
_SUBORDINATE_DEPS = frozenset({"advcl", "pcomp", "ccomp", "relcl", "acl"})
_SEQUENCE_MARKS = frozenset({"after", "before", "since", "until"})


def _under(tok: Token, root: Token) -> bool:
    return tok.i == root.i or root in tok.ancestors


_PURPOSE_DEPS = frozenset({"xcomp", "advcl", "ccomp"})


def _inside_any(place: Place, spans: list[tuple[int, int]]) -> bool:
    return any(start <= place.start < end for start, end in spans)


def _first_token(sentence: Span, place: Place) -> Token | None:
    """The token of ``sentence`` where ``place``'s name begins, if any."""
    return next((t for t in sentence if t.idx == place.start), None)


def _name_head(sentence: Span, place: Place) -> Token | None:
    """The head word of ``place``'s name in ``sentence`` ("Kivu" of "North Kivu")."""
    tok = _first_token(sentence, place)
    while tok is not None and tok.dep_ in ("compound", "flat") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _target_of_words(lex: PlaceLexicon, sentence: Span, place: Place) -> bool:
    """True for a place named as whom words or acts are aimed at ("chanted slogans against
    Moscow", "a campaign against Kyiv"): the opponent, not where it happened."""
    tok = _name_head(sentence, place)
    if tok is None:
        return False
    return tok.dep_ == "pobj" and tok.head.lower_ in lex.words.target


def _across_the_border_from(lex: PlaceLexicon, sentence: Span, place: Place) -> bool:
    """True for a place named as the far side of a border ("bombed the villages across the
    border from Yayladağ"): the event happened on the other side, never there."""
    tok = _name_head(sentence, place)
    if tok is None:
        return False
    head = tok.head
    if head.lower_ not in lex.words.origin or head.i == 0:
        return False
    before = head.doc[head.i - 1]  # "the border from X", however the parser attached "from"
    return before.lower_ in lex.words.border_nouns or head.head.lower_ in lex.words.border_nouns
