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
) -> Place | None:
    """Where the event of ``category`` anchored at ``anchor`` (trigger word ``token``) happened:
    a place of ``places`` or a name the sentence's syntax marks as a place, or None.

    ``other_anchors`` are the other events of the sentence; ``actors`` the heads of this one's
    actors (never its place); ``about`` the head of what it is about."""
    candidates = places
    if about is not None and category in lex.words.about_categories:
        span = (about.left_edge.idx, about.right_edge.idx + len(about.right_edge))
        candidates = [p for p in candidates if not span[0] <= p.start < span[1]]
    parsed = anchor.doc
    joined = join_bracket_cuts(parsed, anchor.sent)
    if joined is not parsed:
        anchor = joined[anchor.i]
        other_anchors = [joined[t.i] for t in other_anchors]
        actors = [joined[t.i] for t in actors]
    sentence = anchor.sent
    displacement = category == "DISPLACEMENT"
    found = event_candidates(lex, sentence, candidates)
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
