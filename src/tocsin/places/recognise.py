"""Toponym recognition: which spans of a parsed text name places.

Four sources, in order of trust: spaCy place entities (GPE, LOC, FAC); other entities whose
whole text, or whose leading words, are a gazetteer name ("Latakia" tagged ORG, "the Aleppo
governorate", "Syrian Observatory"); adjectival demonyms used as modifiers ("Russian aircraft",
never the group noun "Turkmens"); and a token-level gazetteer matcher over capitalised n-grams,
guarded against common words, sentence-initial verbs and fuzzy spellings (the matcher uses exact
name keys only). Nothing is taken from comment forms or photo captions (``page_furniture``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as package_files
from typing import TYPE_CHECKING, Any

from tocsin.places.admin_qualifiers import qualified_spans
from tocsin.places.name_index import NameIndex, name_index
from tocsin.places.names import normalise_name, variants
from tocsin.places.page_furniture import furniture_ranges, in_ranges
from tocsin.places.recognition_rules import RecognitionRules, recognition_rules

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from tocsin.places.gazetteer import Gazetteer

NAME = "name"
DEMONYM = "demonym"
PART = "part"  # the source of a part of a town named with its town ("Giza's Haram district")

_LEADING = {"the", "The", "THE"}
_TRAILING_POS = {"PART", "PUNCT"}  # "'s", stray quotes and commas
_JOINERS = {"-", "‐", "–", "'", "’", ".", "&"}
# Lowercase words inside multi-word names ("Trinidad and Tobago", "Rio de Janeiro").
_NAME_PARTICLES = frozenset(
    {"of", "and", "de", "del", "da", "do", "dos", "du", "des", "la", "al", "el", "upon", "on"}
)
# A lone English noun found only by the matcher must name a place at least this big, or a
# country or first-order admin area.
MAJOR_POPULATION = 100_000
MAJOR_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "TERR", "ADM1", "CONT"})
# A single word rescued from another entity must name a place at least this big (or an area).
EMBEDDED_MIN_POPULATION = 15_000
_ADJECTIVAL_DEPS = {"amod", "compound", "nmod", "npadvmod"}


@dataclass
class Mention:
    """A toponym span: character and token offsets, and how it was found."""

    start: int
    end: int
    text: str
    token_start: int
    token_end: int
    sentence: int
    kind: str = NAME  # NAME or DEMONYM
    source: str = "entity"  # entity, rescued, embedded, demonym, matcher, part, gold
    country: str | None = None  # ISO3, for demonyms
    target: str | None = None  # the name a place adjective refers to ("European" -> Europe)


def sentence_index(parsed: Doc) -> list[int]:
    """For each token, the index of its sentence."""
    index = [0] * len(parsed)
    try:
        sents = list(parsed.sents)
    except ValueError:  # no sentence boundaries set
        return index
    for number, sent in enumerate(sents):
        for i in range(sent.start, sent.end):
            index[i] = number
    return index


def _trim(parsed: Doc, start: int, end: int) -> tuple[int, int]:
    """Token range without leading articles or spaces, trailing possessives or punctuation."""
    while start < end and (
        parsed[start].text in _LEADING or parsed[start].is_space or parsed[start].is_punct
    ):
        start += 1
    while end > start and (
        parsed[end - 1].pos_ in _TRAILING_POS
        or parsed[end - 1].is_space
        or parsed[end - 1].text in {"'s", "’s"}
    ):
        if _abbreviation_stop(parsed, end - 1) and end - 1 > start:
            break  # "W.Va.", "U.S.": the last stop belongs to the abbreviation
        end -= 1
    return start, end


def _abbreviation_stop(parsed: Doc, i: int) -> bool:
    """True when token ``i`` is a full stop written right after an abbreviation with stops."""
    if parsed[i].text != "." or i == 0:
        return False
    before = parsed[i - 1]
    return not before.whitespace_ and "." in before.text and before.text[:1].isupper()


def _cut_at_hyphen(parsed: Doc, end: int) -> bool:
    """True when the span ending at token ``end`` stops inside a hyphenated word."""
    return (
        0 < end < len(parsed)
        and parsed[end].text in _HYPHENS
        and not parsed[end - 1].whitespace_
    )


_HYPHENS = frozenset({"-", "‐", "‑", "–"})


# Sectors of the actor dictionary (data/actors/organisations.tsv) whose members are armed groups.
_ARMED_SECTORS = frozenset({"REB", "MIL-NS", "CRM"})


@lru_cache(maxsize=1)
def armed_group_names() -> frozenset[str]:
    """Normalised names of the armed groups the actor dictionary lists: never toponyms, however
    a gazetteer's alternate names collide with them."""
    text = package_files.files("tocsin").joinpath("data", "actors", "organisations.tsv")
    lines = [line for line in text.read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return frozenset(normalise_name(r["name"]) for r in rows if r["sector"] in _ARMED_SECTORS)


def _is_capitalised(token: Token) -> bool:
    text = token.text
    return bool(text) and (text[0].isupper() or (text[0].isdigit() is False and text.isupper()))


class Recogniser:
    """Finds toponym mentions in parsed documents against one gazetteer."""

    def __init__(
        self, gazetteer: Gazetteer, rules: RecognitionRules | None = None, nlp: Any = None
    ) -> None:
        self.gazetteer = gazetteer
        self.rules = rules or recognition_rules()
        self.english = english_words(nlp) | self.rules.common_words
        self.nouns = english_words(nlp, ("noun",))
        self._index: NameIndex | None = None
        self._demonyms: dict[str, str | None] = {}

    @property
    def index(self) -> NameIndex:
        if self._index is None:
            self._index = name_index(self.gazetteer)
        return self._index

    # -- name tests -------------------------------------------------------------------------

    def known(self, text: str) -> bool:
        """True when ``text`` is a gazetteer name or alias (exact key, no fuzzy variants); the
        names of armed groups in the actor dictionary never are ("Hamas" is not Hamm)."""
        if text in self.rules.place_names:
            return True
        key = normalise_name(text)
        if key in self.rules.never_places or key in armed_group_names():
            return False
        if key in self.index:
            return True
        alias = self.gazetteer.alias(text)
        return bool(alias) and normalise_name(alias) in self.index

    def _known_loosely(self, word: str) -> bool:
        """A gazetteer name, alias or demonym, or a transliteration variant of a name."""
        if normalise_name(word) in self.rules.never_places:
            return False
        if self.known(word) or self.demonym(word) or self.gazetteer.alias(word):
            return True
        if word.isupper():
            return False
        return any(v in self.index for v in variants(word, limit=24))

    def demonym(self, word: str) -> str | None:
        """ISO3 country of an adjectival form ("Syrian" -> "SYR"); None for groups and others."""
        if word not in self._demonyms:
            country = self.gazetteer.demonym(word)
            if country and self.gazetteer.group_word(word):
                country = None
            self._demonyms[word] = country
        return self._demonyms[word]

    def _common(self, parsed: Doc, start: int, end: int) -> bool:
        """True when every word of the range is a common English word (or there is none)."""
        words = [parsed[i].text.casefold() for i in range(start, end) if parsed[i].is_alpha]
        return not words or all(w in self.english for w in words)

    # -- recognition -----------------------------------------------------------------------

    def recognise(self, parsed: Doc) -> list[Mention]:
        text = parsed.text
        furniture = furniture_ranges(text)
        sentences = sentence_index(parsed)
        taken = [False] * len(parsed)  # token already part of a mention
        blocked = [False] * len(parsed)  # token inside an entity the matcher must not search
        prefix_only: dict[int, int] = {}  # entity start token -> end, searched only at its start
        mentions: list[Mention] = []

        def add(
            start: int,
            end: int,
            source: str,
            kind: str = NAME,
            country: str | None = None,
            target: str | None = None,
        ) -> None:
            if start >= end or any(taken[start:end]):
                return
            if end < len(parsed) and _abbreviation_stop(parsed, end):
                end += 1  # "Beckley, W.Va. Police ...": the stop ends the abbreviation too
            first, last = parsed[start], parsed[end - 1]
            if in_ranges(first.idx, furniture):
                return
            for i in range(start, end):
                taken[i] = True
            mentions.append(
                Mention(
                    first.idx,
                    last.idx + len(last.text),
                    text[first.idx : last.idx + len(last.text)],
                    start,
                    end,
                    sentences[start],
                    kind,
                    source,
                    country,
                    target,
                )
            )

        rules = self.rules
        self._qualified(parsed, add)
        for ent in parsed.ents:
            label = ent.label_
            if label in rules.blocked_labels:
                for i in range(ent.start, ent.end):
                    blocked[i] = True
                if label == "PERSON":
                    self._place_tagged_person(parsed, ent, add)
                elif label == "MONEY":
                    self._country_in_amount(parsed, ent, add)
                continue
            start, end = _trim(parsed, ent.start, ent.end)
            if start >= end:
                continue
            span = parsed[start:end]
            if label in rules.place_labels:
                if self._plausible_entity(span, label):
                    add(start, end, "entity")
                continue
            if label in rules.rescue_labels:
                self._rescue(parsed, span, label, add)
                if label in ("ORG", "NORP"):
                    for i in range(ent.start, ent.end):
                        blocked[i] = True
                    prefix_only[start] = end

        self._party_towns(parsed, taken, add)
        self._demonyms_in(parsed, taken, blocked, add)
        self._match(parsed, taken, blocked, add)
        self._parts_of_places(parsed, taken, add)
        mentions.sort(key=lambda m: m.start)
        mentions = self._extended(parsed, mentions, taken)
        mentions = self._not_people(parsed, mentions)
        return self._joined(text, mentions)

    def _not_people(self, parsed: Doc, mentions: list[Mention]) -> list[Mention]:
        """A lone word the document also uses in a person's full name ("Kobe Bryant ... Bryant
        tweeted") is that person, not a small place of that name; countries, admin areas and
        big towns stay ("George Washington" does not unmake Washington)."""
        people = {
            t.text
            for ent in parsed.ents
            if ent.label_ == "PERSON" and len(ent) > 1
            for t in ent
            if t.is_alpha and t.text[:1].isupper()
        }
        if not people:
            return mentions
        return [
            m for m in mentions
            if m.token_end - m.token_start != 1
            or m.kind != NAME
            or m.text not in people
            or self._major(m.text)
        ]

    def _party_towns(self, parsed: Doc, taken: list[bool], add: Any) -> None:
        """A legislator's party letter and home town ("Rep. Ann Lee, D-Charleston"): the known
        name after the letter and the hyphen is a toponym, whatever the tagger made of it."""
        for i in range(len(parsed) - 2):
            letter, hyphen = parsed[i], parsed[i + 1]
            if (
                letter.text in self.rules.party_letters
                and hyphen.text in _HYPHENS
                and not letter.whitespace_
                and not hyphen.whitespace_
                and not taken[i + 2]
                and _is_capitalised(parsed[i + 2])
                and self.known(parsed[i + 2].text)
            ):
                add(i + 2, i + 3, "embedded")

    def _parts_of_places(self, parsed: Doc, taken: list[bool], add: Any) -> None:
        """Parts of a town named with their town: "Giza's Haram district", "the Karrada
        district of Baghdad", "Tahrir Square in Cairo". The capitalised words before a part
        word (``part_words``) and the part word are one mention (source PART) when a place
        already found stands right before it with "'s" or right after it with "of" or "in";
        the resolver places it in that place (``Resolver._parts_in_their_places``)."""
        words = self.rules.part_words
        n = len(parsed)
        for i in range(1, n):
            if parsed[i].lower_ not in words or taken[i]:
                continue
            start = i
            while start > 0 and i - start < 4 and not taken[start - 1] and (
                _is_capitalised(parsed[start - 1]) or parsed[start - 1].text in _JOINERS
            ):
                start -= 1
            if start == i or not _is_capitalised(parsed[start]):
                continue
            before = start >= 2 and parsed[start - 1].text in ("'s", "’s") and taken[start - 2]
            after = (
                i + 2 < n and parsed[i + 1].lower_ in ("of", "in") and taken[i + 2]
            ) or (
                i + 3 < n and parsed[i + 1].lower_ in ("of", "in")
                and parsed[i + 2].lower_ == "the" and taken[i + 3]
            )
            if before or after:
                add(start, i + 1, PART)

    def _qualified(self, parsed: Doc, add: Any) -> None:
        """Admin areas listed in parentheses and the name they qualify: "Kompa (Karimama,
        Alibori)". A part is taken when the gazetteer knows it; the name before them when at
        least one part is taken and it is a proper name, known or not."""
        text = parsed.text
        if "(" not in text:
            return
        for found in qualified_spans(text, self.rules.head_area_words):
            taken_parts = 0
            for start, end in found.parts:
                span = parsed.char_span(start, end, alignment_mode="expand")
                if span is None or span.text.isupper() or not self._area_name(span.text):
                    continue  # an acronym in parentheses names an organisation ("(ASL)")
                add(span.start, span.end, "qualifier")
                taken_parts += 1
            if not taken_parts or found.head is None:
                continue
            head = parsed.char_span(*found.head, alignment_mode="expand")
            if head is None:
                continue
            names = [t for t in head if t.text[:1].isupper()]
            if not names or normalise_name(names[0].text) in self.rules.never_alone:
                continue
            if self.known(head.text) or (
                any(t.pos_ == "PROPN" for t in names)
                and not self._common(parsed, names[0].i, names[-1].i + 1)
                and not self.demonym(names[0].text)
            ):
                add(head.start, head.end, "qualified")

    def _area_name(self, text: str) -> bool:
        """A name inside parentheses that the gazetteer holds (any population)."""
        if normalise_name(text) in self.rules.never_places or self.gazetteer.group_word(text):
            return False
        return bool(self.known(text) or self._in_gazetteer(text))

    def _in_gazetteer(self, text: str) -> bool:
        """True when the full gazetteer (not only the matcher's index) has the name."""
        return bool(self.gazetteer.lookup(text))

    def _extended(self, parsed: Doc, mentions: list[Mention], taken: list[bool]) -> list[Mention]:
        """The longest gazetteer name wins over its prefix ("Al Bab", not "Al"; "Los Angeles
        Tetela", not "Los Angeles"); lone articles ("Al", "el") and things named after a person
        ("Molotov cocktail") are dropped."""
        rules = self.rules
        out = []
        n = len(parsed)
        for m in mentions:
            if m.kind == NAME and m.source not in ("qualified", "demonym", PART):
                self._extend_right(parsed, m, taken, n)
            self._trim_joiner(parsed, m)
            key = normalise_name(m.text)
            if not m.text or key in rules.never_places:
                continue
            if key in rules.never_alone and not (m.source == "entity" and self._major_town(m.text)):
                continue  # "Beni" tagged as a place is the city, never the particle of "Beni Walid"
            if m.token_end < n and parsed[m.token_end].lower_ in rules.never_before:
                continue
            out.append(m)
        return out

    @staticmethod
    def _trim_joiner(parsed: Doc, m: Mention) -> None:
        """A mention cut out of a hyphenated name keeps no leading hyphen ("-Raqqa")."""
        while m.text and not m.text[:1].isalnum() and m.token_end - m.token_start > 1:
            m.token_start += 1
            m.start = parsed[m.token_start].idx
            m.text = parsed.text[m.start : m.end]

    def _extend_right(self, parsed: Doc, m: Mention, taken: list[bool], n: int) -> None:
        best = m.token_end
        limit = min(n, m.token_end + 3)
        end = m.token_end
        while end < limit and not taken[end]:
            token = parsed[end]
            if not token.is_alpha or token.is_sent_start:
                break
            if not (token.text[:1].isupper() or token.lower_ in _NAME_PARTICLES):
                break
            end += 1
            if token.text[:1].isupper():
                piece = parsed.text[m.start : parsed[end - 1].idx + len(parsed[end - 1].text)]
                if self.known(piece) or self._in_gazetteer(piece):
                    best = end
        if best == m.token_end:
            return
        for i in range(m.token_end, best):
            taken[i] = True
        last = parsed[best - 1]
        m.end = last.idx + len(last.text)
        m.text = parsed.text[m.start : m.end]
        m.token_end = best

    def _joined(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """Two mentions that make one name together ("Washington, D.C.") become one."""
        out: list[Mention] = []
        for m in mentions:
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.kind == NAME
                and m.kind == NAME
                and text[prev.end : m.start] == ", "
                and self.known(text[prev.start : m.end])
            ):
                prev.end, prev.text = m.end, text[prev.start : m.end]
                prev.token_end = m.token_end
                continue
            out.append(m)
        return out

    def _plausible_entity(self, span: Span, label: str) -> bool:
        """A place entity from spaCy, unless it is a lone common word or a verb ("Connecting"),
        or a lone word that is no place name anywhere ("Buhari" tagged GPE). A facility (FAC)
        must be a gazetteer name, hold one, or end in a facility word ("Street", "Airport")."""
        if (
            len(span) == 1
            and label == "GPE"
            and not self._known_loosely(span.text)
            and not (span[0].pos_ == "PROPN" and self._in_gazetteer(span.text))
            and not self._placed_by_context(span)
        ):
            return False
        if label == "FAC" and not self._facility(span):
            return False
        if any(t.pos_ == "PROPN" for t in span) or self._major(span.text):
            return True  # a province the tagger took for a verb ("Sagaing") is still one
        if len(span) == 1 and span[0].text.casefold() in self.rules.common_words:
            return False
        if all(t.pos_ in ("VERB", "AUX", "ADV", "PRON", "DET") for t in span):
            return False
        return self.known(span.text) or span[0].text[:1].isupper()

    def _placed_by_context(self, span: Span) -> bool:
        """A name the gazetteer lacks that the text itself calls a place: followed by a word
        for a kind of place ("Masambo village") or by a comma and a place the gazetteer knows,
        with or without "near" or "in" ("Masambo, near Beni", "Kalama, North Kivu")."""
        parsed = span.doc
        end = span.end
        if end >= len(parsed) or span[0].pos_ != "PROPN":
            return False
        if parsed[end].lower_ in self.rules.head_area_words:
            return True
        if parsed[end].text != ",":
            return False
        at = end + 1
        if at < len(parsed) and parsed[at].lower_ in ("near", "in"):
            at += 1
        stop = at
        while stop < len(parsed) and stop - at < 3 and _is_capitalised(parsed[stop]):
            stop += 1
        return stop > at and self._area_name(parsed[at:stop].text)

    def _facility(self, span: Span) -> bool:
        words = [t.text.casefold() for t in span if t.is_alpha]
        if any(w in self.rules.facility_words for w in words):
            return True
        if self.known(span.text) or self.gazetteer.alias(span.text):
            return True
        return any(
            self.known(t.text) and self._lone_word_ok(t.text) for t in span if t.is_alpha
        ) or any(
            self.known(span[i : i + 2].text) for i in range(len(span) - 1)
        )

    def _place_tagged_person(self, parsed: Doc, ent: Span, add: Any) -> None:
        """A prominent place spaCy took for a person: a name of several words that is a country,
        an admin area or a big town ("Tamil Nadu", "Sri Lanka"), a lone such word right after a
        locative preposition ("in Abuja"), or a known name followed by its country or province."""
        start, end = _trim(parsed, ent.start, ent.end)
        if start >= end or not _is_capitalised(parsed[start]):
            return
        if self._placed_by_apposition(parsed, start, end) or self._after_an_address(
            parsed, start, end
        ):
            add(start, end, "rescued")
            return
        if not all(_is_capitalised(t) or not t.is_alpha for t in ent):
            return
        text = parsed[start:end].text
        if end - start == 1 and self._modifies_a_thing(parsed[start]) and self.known(text) and (
            self._lone_word_ok(text)
        ):
            add(start, end, "rescued")  # "the Gainesville sewer system"
            return
        if self._placed_by_position(parsed, start) and self.known(text) and (
            end - start > 1 or self._lone_word_ok(text, positioned=True)
        ):
            add(start, end, "rescued")  # "south of Gao"
            return
        if not self.known(text) or not self._major(text):
            return
        if end - start == 1:
            before = parsed[start - 1].lower_ if start > 0 else ""
            if before not in self.rules.locative_words or not self._lone_word_ok(text):
                return
        add(start, end, "rescued")

    def _modifies_a_thing(self, token: Token) -> bool:
        """True when a capitalised word modifies a common noun that is not a person's role or
        group ("the Gainesville sewer system", "another Gainesville business"; not "the Obama
        administration"): a place name used as a modifier."""
        head = token.head
        return (
            token.dep_ in ("compound", "nmod", "amod")
            and head.i != token.i
            and head.pos_ == "NOUN"
            and head.text.islower()
            and head.lemma_ not in self.rules.person_heads
        )

    def _after_an_address(self, parsed: Doc, start: int, end: int) -> bool:
        """True for a known name right after a street address and a comma ("of 1935 Orchard
        St., Alexandria, was arrested"): the town of the address."""
        if start < 2 or parsed[start - 1].text != ",":
            return False
        street = parsed[start - 2].lower_.rstrip(".")
        if street == "" and start >= 3:  # "St" "." ","
            street = parsed[start - 3].lower_
        return street in self.rules.facility_words and self.known(parsed[start:end].text)

    def _placed_by_apposition(self, parsed: Doc, start: int, end: int) -> bool:
        """True when the name is followed by ", <country or first-order area>" or "in <...>"
        ("Maaret al-Nouman, Syria", "Maarat al-Numan in Idlib province") and the gazetteer
        holds the name, exactly or by its folded key, inside that area: news writes a town
        with its country or province that way, not a person."""
        if end + 1 >= len(parsed) or parsed[end].lower_ not in (",", "in"):
            return False
        area_end = end + 1
        while (area_end < len(parsed) and area_end - end <= 3
               and _is_capitalised(parsed[area_end])):
            area_end += 1
        if area_end == end + 1:
            return False
        area_text = parsed[end + 1 : area_end].text
        areas = [
            e for e in self.gazetteer.lookup(self.gazetteer.alias(area_text) or area_text)
            if e.feature_class == "A" and (e.feature_code.startswith("PCL")
                                           or e.feature_code == "ADM1")
        ]
        if not areas:
            return False
        name = parsed[start:end].text
        for entry in [*self.gazetteer.lookup(name), *self.gazetteer.lookup_folded(name)]:
            for area in areas:
                if entry.country2 == area.country2 and (
                    area.feature_code.startswith("PCL") or entry.admin1_code == area.admin1_code
                ):
                    return True
        return False

    def _country_in_amount(self, parsed: Doc, ent: Span, add: Any) -> None:
        """The country of a currency in an amount ("11 billion US dollars")."""
        for token in ent:
            if token.text[:1].isupper() and self._country_name(token.text):
                add(token.i, token.i + 1, "embedded")

    def _country_name(self, text: str) -> bool:
        name = self.gazetteer.alias(text) or text
        return any(e.feature_code.startswith("PCL") for e in self.gazetteer.lookup(name))

    def _named_with_article(self, text: str) -> bool:
        """True when a place of this name bears the article in its own name ("The Hague",
        "The Gambia"), unlike "the Benue State" or "the Netherlands" as news writes them."""
        return any(e.name.casefold().startswith("the ") for e in self.gazetteer.lookup(text))

    def _major_town(self, text: str) -> bool:
        return any(
            e.feature_class == "P" and e.population >= MAJOR_POPULATION
            for e in self.gazetteer.lookup(text)
        )

    def _major(self, text: str) -> bool:
        name = self.gazetteer.alias(text) or text
        return any(
            e.population >= MAJOR_POPULATION or e.feature_code in MAJOR_CODES
            for e in self.gazetteer.lookup(name)
        )

    def _rescue(self, parsed: Doc, span: Span, label: str, add: Any) -> None:
        """Whole-entity or leading-word toponyms inside a non-place entity."""
        whole = span.text
        if len(span) > 1 and self.gazetteer.alias(whole):  # "European Union", "DR Congo"
            add(span.start, span.end, "rescued")
            return
        if (
            len(span) == 3
            and span[1].text in _JOINERS
            and span[0].lower_ in self.rules.never_alone
            and self._known_loosely(whole)
        ):
            add(span.start, span.end, "rescued")  # "Ar-Raqqa", "As-Suwayda" tagged ORG
            return
        if (
            len(span) > 1
            and span[-1].lower_ in self.rules.thoroughfare_words
            and span[-1].text[:1].isupper()
            and all(_is_capitalised(t) or t.like_num or t.text in _JOINERS for t in span)
        ):
            add(span.start, span.end, "rescued")  # "Royal Street" tagged ORG
            return
        if (
            len(span) <= 3
            and self.known(whole)
            and not self._common(parsed, span.start, span.end)
            and (len(span) > 1 or self._lone_word_ok(whole))
        ):
            if label == "NORP" and self.demonym(whole):
                return  # "Syrian" tagged NORP: the demonym rule decides
            add(span.start, span.end, "rescued")
            return
        if label not in ("ORG", "NORP"):
            return
        # leading words: "Bayır-Bucak Turkmens", "the Aleppo governorate", "Syrian Observatory"
        for end in range(min(span.end - 1, span.start + self.rules.max_tokens), span.start, -1):
            last = parsed[end - 1]
            if not last.is_alpha and self.gazetteer.alias(last.text) is None:
                continue  # "U.S. Department of ...": an alias may hold dots
            piece = parsed[span.start : end]
            if self._common(parsed, span.start, end) and not self.gazetteer.alias(piece.text):
                continue
            if end - span.start == 1 and not self._lone_word_ok(piece.text):
                continue
            if parsed[end - 1].text.casefold() in self.rules.common_words:
                continue  # "Colorado State", "Walker County" name the body, not the place
            if _cut_at_hyphen(parsed, end):
                continue  # "Champs" of "Champs-Elysees": a word of a hyphenated name
            if self.known(piece.text) and all(
                _is_capitalised(t) or t.text in _JOINERS for t in piece
            ):
                if parsed[span.end - 1].lower_ in self.rules.thoroughfare_words:
                    end = span.end  # "Douglas County Road": the road is the place
                add(span.start, end, "embedded")
                return
        if label == "ORG" and self._inner(parsed, span, add):
            return
        first = parsed[span.start]
        country = self.demonym(first.text)
        if country and label != "NORP" and len(span) > 1:
            add(span.start, span.start + 1, "demonym", DEMONYM, country)

    def _inner(self, parsed: Doc, span: Span, add: Any) -> bool:
        """Prominent places named further inside an organisation's name ("Air France", "Bank of
        America", "FrontCounter BC"): countries, admin areas and towns of 100,000 or more; after
        "in" ("St. Mary's School in Lombard"), any place the gazetteer knows."""
        found = False
        i = span.start + 1
        while i < span.end:
            for end in range(min(span.end, i + 4), i, -1):
                piece = parsed[i:end]
                if not all(_is_capitalised(t) or t.text in _JOINERS for t in piece):
                    continue
                after_in = parsed[i - 1].lower_ == "in" and parsed[i].pos_ == "PROPN"
                if not self.known(piece.text) or (
                    not after_in and self._common(parsed, i, end)
                ):
                    continue
                if end - i == 1 and not after_in and not self._lone_word_ok(piece.text):
                    continue
                if self._major(piece.text) or after_in:
                    add(i, end, "embedded")  # or "Lutheran School in Lombard": any known town
                    found = True
                    i = end - 1
                    break
            i += 1
        return found

    def _demonyms_in(self, parsed: Doc, taken: list[bool], blocked: list[bool], add: Any) -> None:
        """Adjectival demonyms that modify a noun: "Russian aircraft", "the Turkish government"."""
        i = 0
        n = len(parsed)
        while i < n:
            token = parsed[i]
            if taken[i] or not token.text[:1].isupper() or token.tag_ in ("NNS", "NNPS"):
                i += 1
                continue
            # two-word forms first ("South Korean", "Saudi Arabian")
            if i + 1 < n and not taken[i + 1] and token.text not in _LEADING:
                pair = parsed[i : i + 2]
                country = self.demonym(pair.text)
                target = None if country else self.rules.place_adjectives.get(pair.text)
                if (country or target) and self._modifies(parsed[i + 1]):
                    add(i, i + 2, "demonym", DEMONYM, country, target)
                    i += 2
                    continue
            country = self.demonym(token.text)
            target = None if country else self.rules.place_adjectives.get(token.text)
            if (country or target) and self._modifies(token) and not self._in_person(token):
                add(i, i + 1, "demonym", DEMONYM, country, target)
            i += 1

    @staticmethod
    def _in_person(token: Token) -> bool:
        """A demonym inside a person's name; not one that spaCy swept into it ("Slovak
        architect ..." tagged PERSON from the demonym on): the entity's first word, followed
        by a lowercase word."""
        if token.ent_type_ != "PERSON":
            return False
        nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
        starts = token.ent_iob_ == "B"
        return not (starts and nxt is not None and nxt.text[:1].islower())

    @staticmethod
    def _modifies(token: Token) -> bool:
        """True when the word is used as a modifier of a following noun, not as a noun itself."""
        if token.tag_ in ("NNS", "NNPS") or token.text.endswith("s") and token.pos_ != "ADJ":
            return False
        head = token.head
        if token.dep_ in _ADJECTIVAL_DEPS and head.i > token.i:
            return True
        return token.pos_ == "ADJ" and token.dep_ not in ("ROOT", "acomp", "attr", "conj")

    def _match(self, parsed: Doc, taken: list[bool], blocked: list[bool], add: Any) -> None:
        """Gazetteer n-grams over capitalised tokens outside the entities already handled."""
        rules = self.rules
        max_tokens = min(rules.max_tokens, max(self.index.max_words, 1) * 2)
        n = len(parsed)
        i = 0
        while i < n:
            token = parsed[i]
            if taken[i] or blocked[i] or not _is_capitalised(token) or not token.is_alpha:
                i += 1
                continue
            found = 0
            for length in range(min(max_tokens, n - i), 0, -1):
                end = i + length
                piece = parsed[i:end]
                last = parsed[end - 1]
                if any(taken[i:end]) or any(blocked[i:end]) or not last.is_alpha:
                    continue
                if piece.sent.start != token.sent.start and piece.sent != token.sent:
                    continue
                if not all(
                    _is_capitalised(t) or t.text in _JOINERS or t.text in _NAME_PARTICLES
                    for t in piece
                ):
                    continue
                if not self._matchable(parsed, i, end):
                    continue
                if self.known(piece.text):
                    found = length
                    break
            if found and found == 1 and not self._lone_match_ok(parsed, i):
                found = 0
            if found > 1 and token.text in _LEADING and not self._named_with_article(
                parsed[i : i + found].text
            ):
                i += 1  # "The Benue State Commissioner": the article is no part of the name
                continue
            if found:
                add(i, i + found, "matcher")
                i += found
            else:
                i += 1

    def _lone_match_ok(self, parsed: Doc, i: int) -> bool:
        """A one-word matcher hit is no part of a person's name ("Pep Guardiola", "Mr. Adams":
        right after another capitalised word), and a state's two-letter code ("GA", "ID") is taken
        only as the qualifier after a comma ("Macon, GA")."""
        token = parsed[i]
        word = token.text
        if i > 0 and not token.is_sent_start and not word.isupper():
            before = parsed[i - 1]
            if (
                before.text[:1].isupper()
                and (before.is_alpha or before.text.endswith("."))
                and before.text not in _LEADING
                and before.text.casefold().rstrip(".") not in self.english
                and not self._country_name(word)
            ):
                return False
        if word.isupper() and len(word) == 2 and not self._country_name(word):
            return i > 1 and parsed[i - 1].text == ","
        return True

    def _matchable(self, parsed: Doc, start: int, end: int) -> bool:
        """Guards for a matcher-only hit: no common words, proper nouns, no lone short words."""
        if self._common(parsed, start, end):
            return False
        if end - start == 1:
            token = parsed[start]
            if token.pos_ != "PROPN":
                return False
            if len(token.text) < self.rules.min_single_word_chars and not token.text.isupper():
                return False
            if token.ent_type_ and token.ent_type_ not in self.rules.rescue_labels:
                return False
            if not self.single_word_ok(token.text) and not self._placed_by_position(
                parsed, start
            ):
                return False
        return any(parsed[i].pos_ == "PROPN" for i in range(start, end))

    def _placed_by_position(self, parsed: Doc, start: int) -> bool:
        """True when the words before ``start`` place it relative to somewhere: "near X",
        "outside X", "south of X", "the outskirts of X"."""
        if start == 0:
            return False
        before = parsed[start - 1].lower_
        if before in self.rules.proximity_words:
            return True
        return (
            before == "of"
            and start > 1
            and parsed[start - 2].lower_ in self.rules.relative_position_words
        )

    def _lone_word_ok(self, word: str, positioned: bool = False) -> bool:
        """A single word taken from inside another entity: long enough, and not a common word,
        a stray abbreviation or a name that only small places bear ("Wang", "Julia"). A word
        ``positioned`` by the words before it ("near Timbuktu", "south of Gao") may be short or
        a common noun too."""
        if len(word) < (3 if positioned else self.rules.min_single_word_chars) and not (
            word.isupper()
        ):
            return False
        if word.casefold() in self.english or not (positioned or self.single_word_ok(word)):
            return False
        if word in self.rules.place_names or word.isupper():
            return True
        return any(
            e.population >= EMBEDDED_MIN_POPULATION or e.feature_class in ("A", "L")
            for e in self.gazetteer.lookup(word)
        )

    def single_word_ok(self, word: str) -> bool:
        """A lone word found without spaCy's place label: an abbreviation must be a known alias
        ("UAE", not "PSC"), and an English noun ("Leader", "Recovery") must name a major place."""
        if word in self.rules.place_names:
            return True
        if word.isupper() and len(word) > 1:
            if self.gazetteer.alias(word) is not None:
                return True
            # a name in capitals (datelines "BEIRUT (AP)", headlines), not an acronym ("PSC")
            return len(word) >= self.rules.min_caps_word_chars and self._prominent(word)
        if word.casefold() in self.nouns:
            return any(
                e.population >= MAJOR_POPULATION or e.feature_code in MAJOR_CODES
                for e in self.gazetteer.lookup(word)
            )
        return True


    def _prominent(self, word: str) -> bool:
        """True when ``word`` names a country, admin area, region or a place of at least
        ``EMBEDDED_MIN_POPULATION`` people."""
        return any(
            e.population >= EMBEDDED_MIN_POPULATION or e.feature_class in ("A", "L")
            for e in self.gazetteer.lookup(word)
        )


def english_words(nlp: Any, parts: tuple[str, ...] = ("verb", "adj", "adv")) -> frozenset[str]:
    """Verbs, adjectives and adverbs the spaCy lemmatizer knows ("massacre", "bay", "nice").

    A single word the gazetteer matcher finds on its own must not be one of them; nouns are not
    listed because the lemmatizer's noun list holds proper names too.
    """
    if nlp is None or "lemmatizer" not in getattr(nlp, "pipe_names", ()):
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    table = lookups.get_table("lemma_index")
    words: set[str] = set()
    for pos in parts:
        words.update(w for w in table.get(pos, []) if "_" not in w)
    return frozenset(words)


_recognisers: dict[tuple[int, int], Recogniser] = {}


def recogniser_for(gazetteer: Gazetteer, nlp: Any = None) -> Recogniser:
    """One recogniser per gazetteer and spaCy pipeline per process."""
    key = (id(gazetteer), id(nlp))
    cached = _recognisers.get(key)
    if cached is None or cached.gazetteer is not gazetteer:
        cached = Recogniser(gazetteer, nlp=nlp)
        _recognisers[key] = cached
    return cached


def recognise(parsed: Doc, gazetteer: Gazetteer, nlp: Any = None) -> list[Mention]:
    """Every toponym mention of ``parsed``, in text order; ``nlp`` adds the common-word guard."""
    return recogniser_for(gazetteer, nlp).recognise(parsed)
