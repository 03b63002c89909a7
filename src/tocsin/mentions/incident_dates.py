"""The date of one event: the date expression governing the event's own clause.

A sentence may hold several dates and several incidents ("Saturday's bombing came a week after
44 people were killed in Istanbul on 10 December"). Each date expression found by
``DateReader`` is tied to the place it hangs from in the parse, and an event takes, in order:

1. a date inside its own noun phrase ("*Saturday's* bombing", "the killing of a judge *on 2
   October*"), or a date whose phrase holds the event ("*on 3 November*, when a bomber killed");
2. a date of its own clause (the nearest in the tree when there are several);
3. a date of a clause above it ("officials said *on Monday* that ...", "stormed the church *on
   24 December* and abducted the priest").

Dates of clauses below or beside the event's belong to other incidents. Two kinds of phrase
link an incident to another: "a week after X" / "two days before X" put X that far from the
clause it modifies (each side dated from the other when it states no date of its own), and
"since X" makes the main clause a period from X's date to publication. A clause in the future
("will hold a rally on Friday", "due to resume on 3 March") reads a weekday or a day without a
year forward. "The day before", "a day earlier" and "since then" count from the date the text
last stated (the previous sentence's), else from publication.

When the event's sentence gives it no date, a neighbouring sentence of the same paragraph lends
the date of an event of the same family (violence, talks, aid), or the date of its main clause
when that clause tells of no event ("the spokesman said on Friday that ..."), unless it tells of
an incident marked as past ("a similar attack"); else the date is the publication date
(precision "published"). The words and families are in ``tocsin/data/events/dates.toml``
([incidents]).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tocsin.mentions.dates import filled
from tocsin.mentions.sentence_list import sentence_list, sentence_position
from tocsin.records import DateSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from tocsin.mentions.dates import DateMatch, DateReader
    from tocsin.mentions.typing.triggers import Trigger

_CLAUSE_DEPS = {"ROOT", "advcl", "relcl", "ccomp", "acl", "conj", "pcomp", "csubj", "csubjpass",
                "parataxis"}
_ANCHORED = {"anchored", "anchored_count", "anchored_since"}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_NUMBERS = {"a": 1, "an": 1, "the": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
            "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _clause(token: Token) -> Token:
    """The head of the clause ``token`` belongs to (xcomp and nouns stay in their clause)."""
    while token.head.i != token.i and token.dep_ != "ROOT":
        if token.dep_ in _CLAUSE_DEPS and (token.dep_ != "conj" or token.pos_ in {"VERB", "AUX"}):
            return token
        token = token.head
    return token


def _inside(token: Token, top: Token) -> bool:
    return token.i == top.i or top in token.ancestors


def _distance(a: Token, b: Token) -> int:
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    common = next((i for i, t in enumerate(up_a) if t in up_b), len(up_a))
    return common + (up_b.index(up_a[common]) if common < len(up_a) else len(up_b))


_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})

# How many linked incidents ("a week after X, which came two days after Y") a date is followed
# through.
MAX_LINK_DEPTH = 3


@dataclass
class _Link:
    """"a week after X" (kind "relation", ``days`` from the host to X) or "since X" (kind
    "since"): X the complement, ``host`` the word the phrase modifies."""

    kind: str
    complement: Token
    host: Token
    days: int
    precision: str
    start: int  # character offsets of the linking words, in the document
    end: int


@dataclass
class _Candidate:
    span: DateSpan
    rank: int
    distance: int
    start: int


class IncidentDates:
    """The dates of one parsed document's events (built once per document)."""

    def __init__(self, reader: DateReader, parsed: Doc, published: dt.date | None,
                 triggers: dict[int, list[Trigger]]) -> None:
        self.reader = reader
        self.rules = reader.rules["incidents"]
        self.parsed = parsed
        self.published = published
        self.triggers = triggers
        self._relation = re.compile(filled(self.rules["relation"], reader.rules), re.IGNORECASE)
        self._links: dict[int, list[_Link]] = {}
        self._found: dict[tuple[int, bool], list[DateMatch]] = {}

    # ------------------------------------------------------------------ the entry

    def date_of(self, sentence: Span, token: Token, category: str | None) -> DateSpan:
        """The date of the event of ``token`` (its trigger word) in ``sentence``."""
        own = self._own_date(sentence, token, category=category)
        if own is not None:
            return own
        lent = self._neighbour_date(sentence, category)
        if lent is not None:
            return lent
        return self._published()

    # ------------------------------------------------------------------ one sentence

    def _published(self) -> DateSpan:
        if self.published is None:
            return DateSpan()
        return DateSpan(self.published, self.published, "published")

    def _own_date(self, sentence: Span, token: Token, outside: Token | None = None,
                  depth: int = 0, category: str | None = None) -> DateSpan | None:
        """The date the sentence states for the event of ``token``; None when it states none.
        Dates inside ``outside`` (a complement of another incident) are left out. A chain of
        linked incidents is followed at most MAX_LINK_DEPTH steps (a parse can make a link's
        host sit inside its own complement). A linked incident whose host the sentence leaves
        undated ("The attack came a week after ...") counts from the date the neighbouring
        sentences give an event of ``category``'s family, else from publication."""
        links = self.links(sentence)
        matches = self._dates(sentence, self._future(token))
        candidates: list[_Candidate] = []
        for match in matches:
            head = self._head(sentence, match)
            if head is None or (outside is not None and _inside(head, outside)):
                continue
            candidate = self._candidate(sentence, token, match, head, links)
            if candidate is not None:
                candidates.append(candidate)
        if candidates:
            best = min(candidates, key=lambda c: (c.rank, c.distance, c.start))
            return best.span
        for link in links:
            if (
                link.kind == "relation"
                and _inside(token, link.complement)
                and not _inside(link.host, link.complement)
                and depth < MAX_LINK_DEPTH
            ):
                base = self._own_date(sentence, link.host, outside=link.complement,
                                      depth=depth + 1)
                if base is None and category is not None:
                    base = self._neighbour_date(sentence, category)
                return self._shifted(base or self._published(), link.days, link, sentence)
        return None

    def _candidate(self, sentence: Span, token: Token, match: DateMatch, head: Token,
                   links: list[_Link]) -> _Candidate | None:
        span = match.span
        assert span is not None
        start = sentence.start_char + match.start
        first = sentence.start_char + match.start
        last = sentence.start_char + match.end
        for link in links:
            if not (_inside(head, link.complement) or first <= link.start < last):
                continue
            if _inside(token, link.complement):
                continue  # the event is the linked incident itself: the date is its own
            rank = self._rank(sentence, token, link.host)
            if rank is None:
                return None
            if link.kind == "since":
                text = self._text(sentence, link.start, sentence.start_char + match.end)
                period = DateSpan(span.start, self.published or span.end, "range", text)
                return _Candidate(period, rank, _distance(token, link.host), start)
            return _Candidate(self._shifted(span, -link.days, link, sentence, match), rank,
                              _distance(token, link.host), start)
        if any(link.kind == "relation" and _inside(token, link.complement)
               and not _inside(head, link.complement) for link in links):
            return None  # the host's date: the linked incident is dated from it, shifted
        rank = self._rank(sentence, token, head)
        if rank is None:
            return None
        return _Candidate(span, rank, _distance(token, head), start)

    def _rank(self, sentence: Span, token: Token, head: Token) -> int | None:
        """Where the date hanging from ``head`` stands to the event word ``token``: 0 in its
        noun phrase; 1 in its clause, or holding the event in its own phrase ("on 3 November,
        when ..."); 2 in a clause above it; 3 in a participle below it that tells of no event
        ("a bus carrying workers on Sunday"); None in another clause."""
        if head.i == token.i:
            return 1
        if token.pos_ in {"NOUN", "PROPN"} and _inside(head, token):
            return 0
        if _inside(token, head) or _clause(head).i == _clause(token).i:
            return 1
        if _inside(token, _clause(head)):
            return 2
        below = _clause(head)
        if (below.dep_ == "conj" and below.head.i == _clause(token).i
                and not any(c.dep_ in _SUBJECT_DEPS for c in below.children)):
            return 2  # "distributed food ... and set up tents on Saturday": one subject, one day
        events = {i for t in self.triggers.get(sentence.start, []) for i in (t.token.i, t.anchor.i)}
        if _inside(below, _clause(token)) and below.i not in events and (
                below.dep_ == "acl" or (below.dep_ == "advcl" and below.tag_ in {"VBG", "VBN"})):
            return 3
        return None

    def _shifted(self, span: DateSpan, days: int, link: _Link, sentence: Span,
                 match: DateMatch | None = None) -> DateSpan:
        """``span`` moved by ``days``, with the link's precision; its text runs from the linking
        words to the date expression it was counted from (if any)."""
        start = span.start or self.published
        if start is None:
            return DateSpan()
        date = start + dt.timedelta(days=days)
        first, last = link.start, link.end
        if match is not None:
            first = min(first, sentence.start_char + match.start)
            last = max(last, sentence.start_char + match.end)
        return DateSpan(date, date, link.precision, self._text(sentence, first, last))

    def _dates(self, sentence: Span, future: bool) -> list[DateMatch]:
        """The dates of ``sentence``; "the following day" counts from the date stated before
        it in the sentence, else from the previous sentence's."""
        key = (sentence.start, future)
        if key not in self._found:
            found = [m for m in self.reader.find_dates(sentence.text, self.published,
                                                       anchor=self._anchor(sentence),
                                                       future=future) if m.span is not None]
            stated: DateMatch | None = None
            for i, match in enumerate(found):
                if match.rule not in _ANCHORED:
                    stated = match
                elif stated is not None:
                    (again,) = self.reader.find_dates(match.text, self.published,
                                                      anchor=stated.span, future=future)
                    found[i] = replace(match, span=again.span)
            self._found[key] = found
        return self._found[key]

    def _text(self, sentence: Span, start: int, end: int) -> str:
        base = sentence.start_char
        return sentence.text[start - base:end - base]

    def _head(self, sentence: Span, match: DateMatch) -> Token | None:
        start = sentence.start_char + match.start
        end = sentence.start_char + match.end
        tokens = [t for t in sentence if t.idx < end and start < t.idx + len(t)]
        inside = {t.i for t in tokens}
        for tok in tokens:
            if tok.head.i not in inside or tok.head.i == tok.i:
                return tok
        return tokens[0] if tokens else None

    def _future(self, token: Token) -> bool:
        auxiliaries = set(self.rules["future_auxiliaries"])
        heads = set(self.rules["future_heads"])
        top = _clause(token)
        for word in [token, *token.ancestors]:
            if any(c.dep_ == "aux" and c.lower_ in auxiliaries for c in word.children):
                return True
            if any(c.lower_ in heads and c.dep_ in {"acomp", "xcomp", "amod"}
                   for c in word.children) or (word.i != token.i and word.lower_ in heads):
                return True
            if word.i == top.i:
                break
        return False

    def links(self, sentence: Span) -> list[_Link]:
        """The "a week after X" and "since X" phrases of ``sentence``."""
        if sentence.start in self._links:
            return self._links[sentence.start]
        found: list[_Link] = []
        base = sentence.start_char
        for match in self._relation.finditer(sentence.text):
            word = self._token_at(sentence, base + match.start("dir"))
            complement = self._complement(word) if word is not None else None
            if word is None or complement is None:
                continue
            number = match.group("num") or "the"
            count = int(number) if number.isdigit() else _NUMBERS.get(number.lower(), 1)
            unit = match.group("unit").lower().rstrip("s")
            days = count * _UNIT_DAYS[unit]
            sign = -1 if match.group("dir").lower() == "after" else 1
            host = self._host(word, complement, match, base)
            for part in (complement, self._stranded_verb(word, complement)):
                if part is not None:
                    found.append(_Link("relation", part, host, sign * days, unit,
                                       base + match.start(), base + match.end()))
        for word in sentence:
            if word.lower_ not in self.rules["period_start"]:
                continue
            complement = self._complement(word)
            if complement is not None:
                host = complement.head if word.dep_ == "mark" else word.head
                found.append(_Link("since", complement, host, 0, "range", word.idx,
                                   word.idx + len(word)))
        self._links[sentence.start] = found
        return found

    @staticmethod
    def _token_at(sentence: Span, char: int) -> Token | None:
        return next((t for t in sentence if t.idx == char), None)

    @staticmethod
    def _complement(word: Token) -> Token | None:
        if word.dep_ == "mark":
            return word.head
        return next((c for c in word.children if c.dep_ in {"pobj", "pcomp"}), None)

    @staticmethod
    def _stranded_verb(word: Token, complement: Token) -> Token | None:
        """The verb of a clause the parser split after "after"/"before": in "came a week after a
        bombing at a mosque killed 22", the noun phrase is taken as the preposition's object
        and "killed" hangs from "came"; the finite verb right after the object phrase, with
        no subject of its own, belongs to the linked incident too."""
        if word.dep_ != "prep" or complement.pos_ not in {"NOUN", "PROPN"}:
            return None
        doc = word.doc
        after = complement.right_edge.i + 1
        if after >= len(doc):
            return None
        verb = doc[after]
        if verb.tag_ not in {"VBD", "VBZ", "VBP"} or verb.head.i != word.head.i:
            return None
        if any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
            return None
        return verb

    @staticmethod
    def _host(word: Token, complement: Token, match: re.Match[str], base: int) -> Token:
        if word.dep_ == "mark":
            return complement.head
        host = word.head
        while host.head.i != host.i and base + match.start() <= host.idx < base + match.end():
            host = host.head
        return host

    # ------------------------------------------------------------------ other sentences

    def _neighbours(self, sentence: Span) -> list[Span]:
        """The sentences just before and after ``sentence`` in its paragraph, in that order."""
        sents = sentence_list(self.parsed)
        index = sentence_position(self.parsed, sentence)
        if index is None:
            return []
        out = []
        for step in (-1, 1):
            j = index + step
            if not 0 <= j < len(sents):
                continue
            earlier, later = sorted((sents[j], sentence), key=lambda s: s.start)
            joint = self.parsed[earlier.end - 1 : later.start + 1]
            first = joint.start_char
            between = joint.text_with_ws[earlier.end_char - 1 - first:
                                         later.start_char + 1 - first]
            if "\n\n" not in between.replace("\r", ""):
                out.append(sents[j])
        return out

    def _anchor(self, sentence: Span) -> DateSpan | None:
        """The date the text last stated before ``sentence`` (in its paragraph), if any."""
        for other in self._neighbours(sentence):
            if other.start > sentence.start:
                continue
            for match in self.reader.find_dates(other.text, self.published):
                if match.span is not None and match.rule not in _ANCHORED:
                    return match.span
        return None

    def _neighbour_date(self, sentence: Span, category: str | None) -> DateSpan | None:
        families = self.rules["families"]
        family = families.get(category or "")
        if family is None:
            return None
        background = set(self.rules["background_modifiers"])
        for other in self._neighbours(sentence):
            found = self.triggers.get(other.start, [])
            if any(c.lower_ in background for t in found for c in t.token.children):
                continue
            for trigger in found:
                if families.get(trigger.category) != family:
                    continue
                date = self._own_date(other, trigger.token)
                if date is not None:
                    return date
            # a sentence whose main verb tells of no event ("the spokesman said on Friday
            # that ...") lends the date of that clause
            root = other.root
            if all(t.token.i != root.i and t.anchor.i != root.i for t in found):
                date = self._own_date(other, root)
                if date is not None:
                    return date
        return None
