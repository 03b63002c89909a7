"""A toll that names its incident counts for that incident: "The death toll from Friday's strike
has risen to 31" restates the count of the strike that an earlier sentence reported.

``attach_tolls`` gives such a figure to the nearest earlier event mention of the document whose
category carries counts, which is asserted, and whose date agrees with the date the toll's
phrase names ("Friday's"), when it names one. A toll that names no incident is a total
(``totals``), and a toll whose own sentence reports its event is counted there already.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tocsin.mentions.count_clauses import cue_verb

if TYPE_CHECKING:
    from collections.abc import Collection

    from spacy.tokens import Doc, Span, Token

    from tocsin.mentions.lexicons import Lexicons
    from tocsin.records import EventMention

_SUBJECTS = ("nsubj", "nsubjpass")


def _incident_phrase(verb: Token, totals: Collection[str]) -> Span | None:
    """The words that name the toll's incident ("from Friday's strike"), if it names one."""
    for subject in verb.children:
        if subject.dep_ not in _SUBJECTS or subject.lemma_.lower() not in totals:
            continue
        for mod in subject.children:
            if mod.dep_ == "prep" and any(p.dep_ == "pobj" for p in mod.children):
                return verb.doc[mod.left_edge.i : mod.right_edge.i + 1]
    return None


def attach_tolls(parsed: Doc, mentions: list[EventMention], lexicons: Lexicons,
                 published: dt.date | None, total_tokens: Collection[int] = ()) -> None:
    """Give each toll that names its incident to that incident's mention (in place)."""
    counts = lexicons.counts
    reader = counts.totals
    toll_nouns = set(counts.lexicon["totals"]["nouns"])
    counted = set(counts.lexicon["counted_categories"])
    for sentence in parsed.sents:
        if not any(t.lemma_.lower() in toll_nouns for t in sentence):
            continue
        own = [m for m in mentions if sentence.start_char <= m.evidence.start < sentence.end_char]
        for figure in counts.find_counts(sentence):
            if figure.cue not in reader.toll_cues or figure.token in total_tokens:
                continue
            if any(getattr(m.counts, figure.type) is not None for m in own):
                continue
            phrase = _incident_phrase(cue_verb(parsed[figure.token], figure), toll_nouns)
            if phrase is None:
                continue
            stated = lexicons.dates.resolve_date(phrase, published)
            earlier = [m for m in mentions if m.evidence.start < sentence.start_char
                       and m.event in counted and m.modality == "asserted"]
            if stated.precision not in (None, "published"):
                earlier = [m for m in earlier if m.date is not None
                           and m.date.start == stated.start]
            if not earlier:
                continue
            target = earlier[-1].counts
            current = getattr(target, figure.type)
            if current is None or figure.value > current:
                setattr(target, figure.type, figure.value)
                target.qualifier = figure.qualifier
                if target.unit is None:
                    target.unit = figure.unit or "people"
