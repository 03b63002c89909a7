"""The place of one event mention: the single configuration ``find_events`` uses for every
event word, whether the lexicon found it or the caller gave it (``verbs=``).

The candidates are the sentence's toponyms minus those inside the phrase the event is about
and the words of its actors; the ranking is ``rank_places`` of ``ranking``. A movement with no
place of its own is placed where it went (``destination``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin.mentions.place.bracket_cuts import join_bracket_cuts
from tocsin.mentions.place.candidates import locative_candidates
from tocsin.mentions.place.ranking import LOCATE_MAX_SCORE, choose_place, destination
from tocsin.mentions.place.words import place_words

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from tocsin.places.gazetteer_protocol import Gazetteer
    from tocsin.records import Place

# Measured choice (issue 13); see bench/event_place_config.py.
SENTENCE_RULES = True


def place_of_event(
    anchor: Token,
    token: Token,
    category: str,
    sentence: Span,
    places: list[Place],
    other_anchors: list[Token],
    actors: list[Token],
    about: Token | None,
    gazetteer: Gazetteer | None,
) -> Place | None:
    """Where the event of ``category`` anchored at ``anchor`` (trigger word ``token``) happened:
    a place of ``places`` or a name the sentence's syntax marks as a place, or None.

    ``actors`` are the heads of its actors (never its place); ``about`` the head of what the
    event is about, whose places are not where it happened for ``about_categories``."""
    candidates = places
    if about is not None and category in place_words().about_categories:
        span = (about.left_edge.idx, about.right_edge.idx + len(about.right_edge))
        candidates = [p for p in candidates if not span[0] <= p.start < span[1]]
    displacement = category == "DISPLACEMENT"
    if SENTENCE_RULES:
        parsed = sentence.doc
        joined = join_bracket_cuts(parsed, sentence)
        if joined is not parsed:
            anchor = joined[anchor.i]
            sentence = anchor.sent
            other_anchors = [joined[t.i] for t in other_anchors]
            actors = [joined[t.i] for t in actors]
        own = [p for p in candidates if sentence.start_char <= p.start < sentence.end_char]
        candidates = own + locative_candidates(sentence, own, conjuncts=True,
                                               gazetteer=gazetteer, articles=True)
    place = choose_place(anchor, sentence, candidates, other_anchors, exclude=actors,
                         max_score=LOCATE_MAX_SCORE, displacement=displacement,
                         sentence_rules=SENTENCE_RULES)
    if displacement and place is None:
        place = destination(token, places)  # no origin named: where to
    return place
