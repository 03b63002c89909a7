"""Cumulative figures: totals over a period, which are not incidents (issue 16).

"Bombardments have killed more than 37,100 people in Gaza since the war began" reports no
event on the publication day: it is an aggregate over a period. ``TotalReader`` tells, for each
figure, whether its own clause states a period; ``total_finder.find_totals`` reads each
sentence's figures (``CountRules.find_counts``) and keeps, as ``Total`` records, those whose own
clause states a period: a start ("since ..."), a running adverbial ("so far", "in total"), a
protracted period ("during the war"), or a restated toll with no incident of its own ("the
death toll has risen to 52"). The cue words are the ``[cumulative]`` section of
``data/events/counts.toml``.

Each statement also carries the words of its clause (``TotalStatement.tokens``): an event word
among them is the total's, not an incident (``find_events`` drops it), and a figure among them
is no incident's count. The clause that states the period's start ("since Russia invaded on
February 24") is left out: it may report a past incident with its own date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tocsin.mentions.count_clauses import cue_verb

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from tocsin.mentions.count_mention import CountMention
    from tocsin.mentions.dates import DateReader


# Dependents of a verb that may hold a running adverbial ("so far", "in total", "to date").
_ADVERBIAL = {"advmod", "npadvmod", "prep", "advcl", "obl", "dep"}


@dataclass
class Period:
    text: str
    start_tokens: Span | None  # the words that state the period's start, when any
    heads: set[int]  # heads of the period's phrase (left out of the total's clause)


def _phrase_tokens(head: Token) -> set[int]:
    """The words of a dependent phrase, without the clauses that hang on its nouns ("the
    largest displacement *brought on ... so far*")."""
    found: set[int] = set()
    stack = [head]
    while stack:
        node = stack.pop()
        found.add(node.i)
        stack.extend(c for c in node.children if c.dep_ not in ("acl", "relcl", "appos"))
    return found


def _perfect_or_present(verb: Token) -> bool:
    if any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children):
        return True
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    # "4,700 civilians killed since ...": the participle of a noun phrase, or a passive with
    # a present auxiliary ("are now dead", "is put at")
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in verb.children)


class TotalReader:
    """The ``[cumulative]`` rules of counts.toml: tells a total's figure from an incident's."""

    def __init__(self, rules: dict[str, Any], toll_cues: set[str], toll_nouns: set[str]) -> None:
        self.toll_cues = toll_cues  # the words before "toll" ("death", "injury")
        self.toll_nouns = toll_nouns  # "toll", "number", "tally" ...
        self.openers = set(rules["period_openers"])
        self.running = sorted(rules["running"], key=len, reverse=True)
        self.needs_perfect = set(rules["needs_perfect"])
        self.prepositions = set(rules["period_prepositions"])
        self.weak_prepositions = set(rules["weak_period_prepositions"])
        self.period_nouns = set(rules["period_nouns"])
        self.toll_verbs = set(rules["toll_verbs"])
        self.episode_days = int(rules["episode_days"])
        # a sentence without one of these words states no total (the last word of each
        # running phrase: "so far", "in total", "to date")
        self.cue_words = self.openers | self.period_nouns | toll_nouns | {
            phrase.split()[-1] for phrase in self.running}

    # ------------------------------------------------------------------ the period

    def _period_noun(self, prep: Token) -> bool:
        return any(p.dep_ == "pobj" and (p.lemma_.lower() in self.period_nouns
                                          or p.lower_ in self.period_nouns)
                   for p in prep.children)

    def _long_since(self, span: Span, dates: DateReader, published: dt.date | None) -> bool:
        """A start that opens an aggregate: a stated day more than ``episode_days`` before
        publication ("since February 24"), or, undated, a clause or a period noun ("since the
        war began", "since the start of the year"). A recent start ("since Thursday", "since the
        middle of the week") opens one episode, an event dated as a range."""
        resolved = dates.resolve_date(span, published)
        if resolved.start is not None and resolved.precision not in (None, "published"):
            return published is None or \
                (published - resolved.start).days > self.episode_days
        return any(t.pos_ in ("VERB", "AUX") or t.lemma_.lower() in self.period_nouns
                   or t.lower_ in self.period_nouns for t in span)

    def period_of(self, verb: Token, dates: DateReader,
                  published: dt.date | None) -> Period | None:
        """The period that ``verb``'s clause states, if it states one."""
        perfect = _perfect_or_present(verb) or verb.dep_ in ("acl", "amod")
        for child in verb.children:
            low = child.lower_
            opens = (child.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in self.openers for m in child.children)) or \
                (child.dep_ == "prep" and low in self.openers)
            if opens:
                span = child.doc[child.left_edge.i : child.right_edge.i + 1]
                if self._long_since(span, dates, published):
                    return Period(span.text, span, {child.i})
        # running adverbials modify the verb itself: "so far" inside a noun phrase ("the largest
        # displacement so far") makes no total
        doc = verb.doc
        adverbials = sorted(i for child in verb.children if child.dep_ in _ADVERBIAL
                            for i in _phrase_tokens(child))
        text = " " + " ".join(doc[i].lower_ for i in adverbials) + " "
        for phrase in self.running:
            if f" {phrase} " in text and (perfect or phrase not in self.needs_perfect):
                return Period(phrase, None, set())
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in self.prepositions and \
                    child.lower_ not in self.openers and self._period_noun(child) and \
                    (perfect or child.lower_ not in self.weak_prepositions):
                span = doc[child.left_edge.i : child.right_edge.i + 1]
                return Period(span.text, None, {child.i})
        return None

    def _toll_period(self, verb: Token) -> Period | None:
        """ "the death toll has risen to 52": a restated toll that names no incident."""
        if verb.lemma_.lower() not in self.toll_verbs or not _perfect_or_present(verb):
            return None
        for child in verb.children:
            if child.dep_ not in ("nsubj", "nsubjpass") or \
                    child.lemma_.lower() not in self.toll_nouns:
                continue
            for mod in child.children:
                if mod.dep_ == "prep" and not self._period_noun(mod):
                    return None  # "the toll from Friday's strike": that strike's count
                if mod.dep_ == "poss" or mod.ent_type_ in ("DATE", "TIME"):
                    return None  # "Friday's toll"
            span = verb.doc[child.left_edge.i : verb.i + 1]  # "the death toll has risen"
            return Period(span.text, None, set())
        return None

    # ------------------------------------------------------------------ statements

    def statement(self, mention: CountMention, sentence: Span, dates: DateReader,
                  published: dt.date | None) -> tuple[Token, Period] | None:
        """(verb, period) when ``mention`` is a cumulative figure."""
        figure = sentence.doc[mention.token]
        verb = cue_verb(figure, mention)
        period = self.period_of(verb, dates, published)
        if period is None and mention.cue in self.toll_cues:
            period = self._toll_period(verb)
        if period is None:
            return None
        return verb, period
