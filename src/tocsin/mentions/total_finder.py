"""Finding the totals of a document: every figure whose own clause states a period
(``totals.TotalReader``) becomes a ``Total`` record, kept apart from incidents (issue 16).

Each statement also carries the words of its clause (``TotalStatement.tokens``): an event word
among them is the total's, not an incident (``find_events`` drops it), and a figure among them
is no incident's count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tocsin.mentions.count_clauses import clause_tokens
from tocsin.mentions.evidence import evidence_of
from tocsin.records import DateSpan, Document, Place, Total

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from tocsin.mentions.lexicons import Lexicons
    from tocsin.mentions.totals import Period


@dataclass
class TotalStatement:
    """A total and the token indices (in the Doc) of the clause that states it."""

    total: Total
    tokens: frozenset[int]


def _start(period: Period, lexicons: Lexicons, published: dt.date | None) -> DateSpan:
    if period.start_tokens is None:  # "so far this year", "over the past year"
        stated = lexicons.dates.parse_date_expression(period.text, published)
        if stated is not None and stated.start is not None and \
                stated.precision not in (None, "published"):
            return DateSpan(stated.start, published, stated.precision)
        return DateSpan(None, published, None)
    resolved = lexicons.dates.resolve_date(period.start_tokens, published)
    if resolved.precision in (None, "published") or resolved.start is None:
        return DateSpan(None, published, None)
    precision = "day" if resolved.precision == "range" else resolved.precision
    return DateSpan(resolved.start, published, precision)


def _place(places: list[Place], doc: Doc, tokens: set[int]) -> Place | None:
    chars = {(doc[i].idx, doc[i].idx + len(doc[i])) for i in tokens}
    starts = {start for start, _ in chars}
    for place in places:
        if place.metonym or place.lat is None:
            continue
        if place.start in starts:
            return place
    return None


def find_totals(document: Document, parsed: Doc, places: list[Place],
                lexicons: Lexicons) -> list[TotalStatement]:
    """Every cumulative figure of ``parsed``, in text order."""
    reader = lexicons.counts.totals
    found: list[TotalStatement] = []
    for sentence in parsed.sents:
        if not any(t.lower_ in reader.cue_words for t in sentence):
            continue
        for mention in lexicons.counts.find_counts(sentence):
            if mention.cue == "coded":
                continue
            stated = reader.statement(mention, sentence, lexicons.dates, document.published)
            if stated is None:
                continue
            verb, period = stated
            tokens = clause_tokens(verb, leave_out=period.heads)
            span = _start(period, lexicons, document.published)
            _, source = lexicons.modality.classify_modality(verb, sentence)
            total = Total(
                category=mention.type, value=mention.value,
                evidence=evidence_of(document, sentence), qualifier=mention.qualifier,
                unit=mention.unit or "people", period=span, period_text=period.text,
                location=_place(places, parsed, tokens), source=source,
            )
            found.append(TotalStatement(total, frozenset(tokens | {mention.token})))
    return found
