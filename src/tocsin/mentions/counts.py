"""Counts of an event: how many were killed, injured, displaced, arrested or abducted.

Figures are read from the spaCy parse of one sentence and tied to what they count through the
dependency tree ("5 were killed", "killing 5", "5 dead", "left 3 wounded", "the death toll rose
to 12", "2,000 families were displaced"), never by mere proximity, so years, ages and figures of
villages or residents are not counted. Number words, vague quantities, qualifiers, count words
and units live in ``tocsin/data/events/counts.toml``.

Conventions: a range keeps its lower bound ("10 to 15" -> 10, the conservative figure); a
figure of households stays a figure of households (``Counts.unit == "households"``). With
``acled_conventions=True`` vague quantities take ACLED's coding figures ("dozens" = 12,
"hundreds" = 100, "several"/unknown = 10) and ACLED notes' own "coded as N" statements are read.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from tocsin.mentions.count_clauses import cue_verb
from tocsin.mentions.count_mention import CountMention
from tocsin.mentions.totals import TotalReader
from tocsin.records import Counts

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

COUNT_TYPES = ("killed", "injured", "displaced", "arrested", "abducted")
_SKIP_ENTITIES = {"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"}
_RANGE_WORDS = {"to", "-", "–", "or", "and"}
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
           "Sep", "Sept", "Oct", "Nov", "Dec"}


# --------------------------------------------------------------------------- plain strings

_DIGITS = re.compile(r"^\d{1,3}(?:[,\u202f ]\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def _split_words(text: str) -> list[str]:
    text = text.lower().replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"(?<=[a-z])(?=\d)", " ", text)  # "around1.6 million" (mojibake in reports)
    return re.findall(r"\d[\d,.\u202f]*\d|\d|[a-z]+(?:-[a-z]+)*|-|%", text)


# --------------------------------------------------------------------------- the parse


@dataclass
class _Figure:
    start: int  # sentence-relative token offsets
    end: int
    head: Token
    value: int | None
    qualifier: str | None
    vague: bool


def _between(tokens: list[Token], i: int) -> bool:
    return i > 0 and tokens[i - 1].lower_ == "between"


def _figure_head(tokens: list[Token]) -> Token:
    """The token of a figure phrase whose head lies outside the phrase."""
    ids = {t.i for t in tokens}
    for tok in tokens:
        if tok.head.i not in ids or tok.head == tok:
            return tok
    return tokens[-1]


def _is_excluded(token: Token) -> bool:
    """Years, ages, times, percentages, money and ordinals are not counts of people."""
    text = token.text
    if re.fullmatch(r"(1[89]|20)\d\d", text) and not _counted_by_verb(token):
        return True
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.lower_ in ("%", "percent", "year", "years", "-year", "-year-old"):
        return True
    if nxt is not None and nxt.lower_ in ("pm", "am", "p.m.", "a.m.", "hours", "hrs", "gmt"):
        return True
    if nxt is not None and nxt.text.strip(".") in _MONTHS or (
        token.i > 0 and token.nbor(-1).text.strip(".") in _MONTHS
    ):
        return True  # "17 October", "March 3"
    prev = token.nbor(-1) if token.i > 0 else None
    if prev is not None and prev.lower_ in ("aged", "age", "no.", "number", "$", "€", "£",
                                            "usd", "page", "km", "resolution", "article"):
        return True
    if prev is not None and prev.lower_ == "of" and token.i > 1 and token.nbor(-2).lower_ == "age":
        return True
    return False


def _counted_by_verb(token: Token) -> bool:
    return token.dep_ in ("nsubjpass", "dobj", "nsubj") and token.head.pos_ == "VERB"


# --------------------------------------------------------------------------- count types


def _type_index(lexicon: dict[str, Any]) -> dict[str, dict[str, str]]:
    """lemma -> count type, per role (verbs, intransitive, states, nouns, toll)."""
    index: dict[str, dict[str, str]] = {
        "verbs": {}, "intransitive": {}, "states": {}, "nouns": {}, "toll": {}, "of_nouns": {}
    }
    for name, entry in lexicon["types"].items():
        for role in index:
            for lemma in entry.get(role, []):
                index[role].setdefault(lemma, name)
    return index


def _counted_noun(figure: _Figure) -> Token:
    """The noun a figure counts: "1,500 Turkmens" -> Turkmens; "dozens of people" -> people."""
    head = figure.head
    if head.dep_ in ("nummod", "quantmod", "amod", "det", "compound") and head.head.pos_ in (
        "NOUN", "PROPN", "ADJ"
    ):
        head = head.head
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
    return head


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _claims_lives(verb: Token) -> bool:
    return any(c.dep_ == "dobj" and c.lemma_.lower() in ("life", "live") for c in verb.children)


# --------------------------------------------------------------------------- implicit counts


def _kills_by_manner(verb: Token) -> bool:
    """ "shot dead", "beaten to death", "stoned to death": a verb of violence that killed."""
    for child in verb.children:
        if child.lower_ == "dead" and child.dep_ in ("oprd", "advmod", "acomp", "xcomp", "amod",
                                                    "dobj", "ccomp"):
            return True
        if child.dep_ == "prep" and child.lower_ == "to" and any(
            g.lower_ == "death" for g in child.children
        ):
            return True
    return False


# --------------------------------------------------------------------------- public API


def merge_counts(all_counts: Iterable[Counts]) -> Counts:
    """Counts of several sentences about one event: the largest figure per type.

    Sentences of one report often restate a total ("At least 4 were killed ... the blast killed
    2 officers and 2 suspects"), so figures are not added across sentences.
    """
    merged = Counts()
    for counts in all_counts:
        for name in COUNT_TYPES:
            value = getattr(counts, name)
            if value is not None and (getattr(merged, name) is None or value > getattr(merged,
                                                                                    name)):
                setattr(merged, name, value)
                if counts.qualifier:
                    merged.qualifier = counts.qualifier
        if merged.unit is None or counts.unit == "households":
            merged.unit = counts.unit or merged.unit
        for name, value in counts.upper.items():
            merged.upper[name] = max(value, merged.upper.get(name, 0))
    for name, value in list(merged.upper.items()):
        if value <= (getattr(merged, name) or 0):
            del merged.upper[name]
    return merged


class CountRules:
    """The counts lexicon of counts.toml (number words, vague quantities, qualifiers, count
    words per type, units), with its count words indexed by role: reads the counts of a
    sentence."""

    def __init__(self, lexicon: dict[str, Any]) -> None:
        self.lexicon = lexicon
        self.types = _type_index(lexicon)
        self.totals = TotalReader(lexicon["cumulative"], set(self.types["toll"]),
                                  set(lexicon["totals"]["nouns"]))

    @classmethod
    def load(cls) -> CountRules:
        path = resources.files("tocsin").joinpath("data/events/counts.toml")
        return cls(tomllib.loads(path.read_text(encoding="utf-8")))

    def _word_number(self, words: list[str]) -> int | None:
        """Value of a sequence of number words/digits ("two hundred and five", "1.5 million")."""
        nums = self.lexicon["numbers"]
        units, tens, scales = nums["units"], nums["tens"], nums["scales"]
        total, current, seen = 0.0, 0.0, False
        for word in words:
            if word in ("and", "-"):
                continue
            parts = word.split("-") if "-" in word and not _DIGITS.match(word) else [word]
            for part in parts:
                if _DIGITS.match(part):
                    current += float(part.replace(",", "").replace("\u202f", "").replace(" ", ""))
                elif part in ("a", "an"):
                    continue  # "a dozen", "a hundred": the scale alone gives the value
                elif part in units:
                    current += units[part]
                elif part in tens:
                    current += tens[part]
                elif part in scales:
                    scale = scales[part]
                    current = (current or 1) * scale
                    if scale >= 1000:
                        total += current
                        current = 0
                else:
                    return None
                seen = True
        if not seen:
            return None
        return int(round(total + current))

    def _strip_qualifier(self, words: list[str]) -> tuple[list[str], str | None]:
        qualifiers = self.lexicon["qualifiers"]
        for size in (3, 2, 1):
            phrase = " ".join(words[:size])
            if len(words) > size and phrase in qualifiers:
                return words[size:], qualifiers[phrase]
        return words, None

    def _range_lower(self, words: list[str]) -> tuple[list[str], bool]:
        """The lower bound of a range ("between 10 and 15", "10 to 15", "8-10")."""
        if words and words[0] == "between":
            words = words[1:]
        for i, word in enumerate(words):
            if word == "-" and not (words[i - 1][0].isdigit() and words[i + 1][:1].isdigit()):
                continue  # "twenty-two" is one number, "8-10" a range
            if i and word in _RANGE_WORDS and i + 1 < len(words):
                left, right = self._word_number(words[:i]), self._word_number(words[i + 1 :])
                if left is not None and right is not None and left < right:
                    return words[:i], True
        if len(words) == 1 and re.match(r"^\d+-\d+$", words[0]):
            low, high = words[0].split("-")
            if int(low) < int(high):
                return [low], True
        return words, False

    def parse_quantity(self, text: str, *,
                       acled_conventions: bool = False) -> tuple[int | None, str | None]:
        """Value and qualifier of a quantity phrase.

        "more than 1,500" -> (1500, "more than"); "twenty-five" -> (25, None); "10 to 15" -> (10,
        "at least"); "dozens" -> (24, "at least"), or (12, None) with ACLED conventions;
        "a number of" -> (None, None) (no figure), or (10, None) with ACLED conventions.
        """
        words = _split_words(text)
        if not words:
            return None, None
        vague = self.lexicon["vague"]
        joined = " ".join(words)
        body, qualifier = self._strip_qualifier(words)
        body_text = " ".join(body)
        for phrase in (joined, body_text):
            if phrase in vague:
                entry = vague[phrase]
                if acled_conventions:
                    return int(entry["acled"]), None
                return (int(entry["plain"]), "at least") if entry["plain"] else (None, None)
        body, was_range = self._range_lower(body)
        value = self._word_number(body)
        if value is None:
            return None, None
        if was_range and qualifier is None:
            qualifier = "at least"
        return value, qualifier

    def _is_number(self, token: Token) -> bool:
        if token.ent_type_ in _SKIP_ENTITIES:
            return False
        lower = token.lower_
        nums = self.lexicon["numbers"]
        if token.like_num or lower in nums["tens"] or lower in nums["scales"]:
            return True
        return lower in nums["units"] and lower not in ("a", "an", "couple", "pair", "single")

    def _vague_at(self, tokens: list[Token], i: int) -> tuple[str, int] | None:
        """A vague quantity phrase starting at tokens[i]: (phrase, length)."""
        vague = self.lexicon["vague"]
        for size in (4, 3, 2, 1):
            if i + size <= len(tokens):
                phrase = " ".join(t.lower_ for t in tokens[i : i + size])
                if phrase in vague and not phrase.endswith(" of"):
                    return phrase, size
                if phrase in vague and phrase.endswith(" of"):
                    return phrase, size
        return None

    def _figures(self, sentence: Span, acled_conventions: bool) -> list[_Figure]:
        """Every quantity phrase of the sentence with its value, qualifier and head token."""
        tokens = list(sentence)
        figures: list[_Figure] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if self._is_number(tok) and not _is_excluded(tok):
                j = i + 1
                while j < len(tokens):
                    nxt = tokens[j]
                    if self._is_number(nxt) or nxt.lower_ in ("hundred", "thousand", "million"):
                        j += 1
                    elif (
                        nxt.lower_ in _RANGE_WORDS | {"and"}
                        and j + 1 < len(tokens)
                        and self._is_number(tokens[j + 1])
                        and nxt.lower_ != "and"
                    ):
                        j += 2
                    elif (
                        nxt.lower_ == "and"
                        and j + 1 < len(tokens)
                        and self._is_number(tokens[j + 1])
                        and (tokens[j - 1].lower_ in ("hundred", "thousand") or _between(tokens, i))
                    ):
                        j += 2
                    else:
                        break
                start = i
                if i and tokens[i - 1].lower_ in ("a", "an") and \
                        tok.lower_ in ("dozen", "hundred", "thousand", "million"):
                    start = i - 1
                if _between(tokens, i):
                    start = i - 1
                qual_start, qualifier = self._qualifier_before(tokens, start)
                text = " ".join(t.text for t in tokens[start:j])
                value, implied = self.parse_quantity(text, acled_conventions=acled_conventions)
                if value is not None:
                    head = _figure_head(tokens[i:j])
                    figures.append(
                        _Figure(qual_start, j, head, value, qualifier or implied, vague=False)
                    )
                i = j
                continue
            found = self._vague_at(tokens, i)
            if found and not (tok.lower_ == "some" and i + 1 < len(tokens)
                              and self._is_number(tokens[i + 1])):
                phrase, size = found
                value, implied = self.parse_quantity(phrase, acled_conventions=acled_conventions)
                head = _figure_head(tokens[i : i + size])
                if phrase.endswith(" of") or phrase in ("many", "several", "some", "multiple",
                                                        "numerous"):
                    # "dozens of people", "several civilians": the counted noun carries the parse.
                    if phrase.endswith(" of") and i + size < len(tokens):
                        head = tokens[i + size - 1]
                    elif phrase in ("many", "several", "some", "multiple", "numerous"):
                        head = tok.head if tok.dep_ in ("amod", "det", "nummod") else tok
                figures.append(_Figure(i, i + size, head, value, implied, vague=True))
                i += size
                continue
            i += 1
        return figures

    def _qualifier_before(self, tokens: list[Token], start: int) -> tuple[int, str | None]:
        qualifiers = self.lexicon["qualifiers"]
        for size in (3, 2, 1):
            if start - size >= 0:
                phrase = " ".join(t.lower_ for t in tokens[start - size : start])
                if phrase in qualifiers:
                    return start - size, qualifiers[phrase]
        return start, None

    def _unit_of(self, noun: Token | None) -> str | None:
        if noun is None:
            return None
        units = self.lexicon["units"]
        lemma = noun.lemma_.lower()
        if lemma in units["households"] or noun.lower_ in units["households"]:
            return "households"
        if noun.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            return "people"
        return None

    def _phrase_head(self, noun: Token) -> Token:
        """Climb "of" constructions and conjunctions to the token the clause attaches."""
        current = noun
        for _ in range(4):
            if current.dep_ == "conj" and current.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
                current = current.head
            elif current.dep_ == "pobj" and current.head.lower_ == "of" and \
                    current.head.head.pos_ in ("NUM", "NOUN", "PRON", "ADJ") and \
                    current.head.head.lower_ not in self.lexicon["totals"]["nouns"]:
                current = current.head.head
            elif current.dep_ == "appos":
                current = current.head
            else:
                break
        return current

    def _state_child(self, verb: Token) -> Token | None:
        """The state word of "left 3 wounded", "were made homeless", "found dead"."""
        states = self.types["states"]
        for child in verb.children:
            if child.dep_ in ("oprd", "xcomp", "acomp", "ccomp", "advmod", "amod", "attr") and (
                child.lower_ in states
            ):
                return child
        return None

    def _type_from_verb(self, verb: Token, role: str, sentence: Span) -> tuple[str, str] | None:
        """Count type (and cue lemma) that ``verb`` gives to its argument in ``role``."""
        index = self.types
        lemma = "kill" if _kills_by_manner(verb) else _lemma(verb)
        state = self._state_child(verb)
        if state is not None and role in ("nsubjpass", "dobj", "nsubj"):
            return index["states"][state.lower_], state.lower_
        if verb.lower_ in index["states"] and role in ("nsubj", "nsubjpass") and verb.pos_ == "ADJ":
            return index["states"][verb.lower_], verb.lower_
        kind = None
        if role in ("nsubjpass", "dobj") and lemma in index["verbs"]:
            kind = index["verbs"][lemma]
        elif role == "nsubj" and lemma in index["intransitive"]:
            kind = index["intransitive"][lemma]
        elif role == "nsubj" and lemma in index["verbs"] and verb.tag_ == "VBN":
            kind = index["verbs"][lemma]  # reduced passive parsed as a subject
        if kind is None:
            return None
        if kind == "displaced" and not self._displacement_ok(verb, lemma, sentence):
            return None
        if kind == "killed" and lemma == "claim" and not _claims_lives(verb):
            return None
        return kind, lemma

    def _displacement_ok(self, verb: Token, lemma: str, sentence: Span) -> bool:
        disp = self.lexicon["displacement"]
        if lemma in disp["weak_verbs"]:
            subtree = {t.lemma_.lower() for t in verb.subtree} | {t.lower_ for t in verb.subtree}
            return bool(subtree & set(disp["weak_verb_cues"]))
        return True

    def _structure_only(self, lemma: str) -> bool:
        return lemma in self.lexicon["displacement"]["structure_verbs"]

    def _classify(self, figure: _Figure, sentence: Span) -> tuple[str, str, Token] | None:
        """(count type, cue lemma, counted noun) of a figure, or None when it counts nothing."""
        index = self.types
        units = self.lexicon["units"]
        noun = _counted_noun(figure)
        noun_lemma = _lemma(noun)
        # The noun itself says what was counted: "12 deaths", "300 refugees", "5 dead".
        for cand in (noun, figure.head):
            if _lemma(cand) in index["nouns"] or cand.lower_ in index["nouns"]:
                key = _lemma(cand) if _lemma(cand) in index["nouns"] else cand.lower_
                return index["nouns"][key], key, noun
        for child in noun.children:
            if child.dep_ in ("amod", "acl", "compound") and child.lower_ in index["states"]:
                return index["states"][child.lower_], child.lower_, noun
        if noun_lemma in units["not_people"] or noun.lower_ in units["not_people"]:
            structural = None
        else:
            structural = noun
        # Reduced relatives and relative clauses: "people displaced by floods", "who were killed".
        for child in noun.children:
            if child.dep_ in ("acl", "relcl") and child.pos_ in ("VERB", "AUX", "ADJ"):
                role = "nsubjpass" if child.tag_ == "VBN" or any(
                    c.dep_ == "auxpass" for c in child.children
                ) else "nsubj"
                found = self._type_from_verb(child, role, sentence)
                if found and structural is not None:
                    if self._structure_only(found[1]) and self._unit_of(noun) != "households":
                        continue
                    return found[0], found[1], noun
        # "the deaths of over 100 civilians", "the flight of 5,000 people": an event noun's "of"
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and structural is not None:
            owner = _lemma(noun.head.head)
            if owner in index["of_nouns"]:
                return index["of_nouns"][owner], owner, noun
        # The figure (or its noun) is an argument of a count verb.
        anchor = self._phrase_head(noun)
        role = anchor.dep_
        if role == "pobj" and anchor.head.lower_ == "between" and anchor.head.dep_ == "prep":
            anchor, role = anchor.head, "dobj"  # "arrested between 10 and 15 protesters"
        if role in ("nsubj", "nsubjpass", "dobj", "attr") and structural is not None:
            found = self._type_from_verb(anchor.head, role, sentence)
            if found:
                if self._structure_only(found[1]) and self._unit_of(noun) != "households":
                    return None
                return found[0], found[1], noun
            # "forced 500,000 people to flee": subject of a clausal complement
            for child in anchor.head.children:
                if child.dep_ in ("xcomp", "ccomp") and role == "dobj":
                    found = self._type_from_verb(child, "nsubj", sentence)
                    if found:
                        return found[0], found[1], noun
        # "the death toll rose to 12", "the number of dead reached 40"
        return self._from_total(figure, sentence)

    def _from_total(self, figure: _Figure, sentence: Span) -> tuple[str, str, Token] | None:
        index = self.types
        totals = self.lexicon["totals"]["nouns"]
        head = figure.head
        verb = head.head
        if head.dep_ == "pobj":
            verb = head.head.head
        elif head.dep_ not in ("dobj", "attr", "npadvmod", "nummod", "appos"):
            return None
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and _lemma(child) in totals:
                for mod in child.children:
                    key = _lemma(mod)
                    if mod.dep_ in ("compound", "amod", "nmod") and key in index["toll"]:
                        return index["toll"][key], key, child
                    if mod.dep_ == "prep" and mod.lower_ == "of":
                        for pobj in mod.children:
                            if _lemma(pobj) in index["nouns"]:
                                return index["nouns"][_lemma(pobj)], _lemma(pobj), child
        return None

    def _implicit_mentions(self, sentence: Span, used: set[int]) -> list[CountMention]:
        """Patients without a figure that still count one: "a policeman was killed", "killed
        him"."""
        index = self.types
        found: list[CountMention] = []
        for verb in sentence:
            lemma = _lemma(verb)
            if verb.pos_ != "VERB":
                continue
            if _kills_by_manner(verb):
                lemma = "kill"
            if lemma in index["verbs"]:
                if any(c.dep_ == "dobj" for c in verb.children):
                    roles: tuple[str, ...] = ("dobj",)
                elif any(c.dep_ == "auxpass" for c in verb.children):
                    roles = ("nsubjpass",)
                else:
                    roles = ("nsubjpass", "nsubj") if verb.tag_ == "VBN" else ()
                kind = index["verbs"][lemma]
            elif lemma in index["intransitive"]:
                roles, kind = ("nsubj",), index["intransitive"][lemma]
            else:
                continue
            if kind == "displaced":
                continue  # displacement needs a stated figure
            if lemma == "claim" and not _claims_lives(verb):
                continue
            patients = [c for c in verb.children if c.dep_ in roles]
            if not patients and verb.dep_ == "conj":
                # "shot and killed a man": the first verb holds the shared object
                patients = [c for c in verb.head.children if c.dep_ in roles + ("nsubjpass",)]
            if not patients and verb.dep_ in ("acl",) and verb.head.pos_ in ("NOUN", "PROPN"):
                patients = [verb.head]  # "Pastor killed outside police post"
            total = 0
            for patient in patients:
                for member in [patient, *patient.conjuncts]:
                    if member.i in used or any(
                        c.i in used for c in member.children if c.dep_ in ("nummod", "quantmod")
                    ):
                        continue
                    total += self._one_if_singular(member)
            if total:
                found.append(CountMention(kind, total, None, "people", lemma, verb.i))
        return found

    def _one_if_singular(self, noun: Token) -> int:
        units = self.lexicon["units"]
        if noun.lower_ in ("him", "her", "himself", "herself"):
            return 1
        if noun.pos_ not in ("NOUN", "PROPN") or "Plur" in noun.morph.get("Number", []):
            return 0
        if _lemma(noun) in units["not_people"] or _lemma(noun) in units["households"]:
            return 0
        if any(c.dep_ == "nummod" for c in noun.children):
            return 0
        if noun.pos_ == "PROPN" and noun.ent_type_ not in ("PERSON", ""):
            return 0
        if any(c.lower_ in ("no", "any") for c in noun.children):
            return 0
        return 1

    def find_counts(self, sentence: Span, trigger: Token | None = None,
                    acled_conventions: bool = False) -> list[CountMention]:
        """Every figure of the sentence that counts killed, injured, displaced, arrested or
        abducted.

        With a ``trigger``, figures in the trigger's own subtree or attached to it come first.
        """
        mentions: list[CountMention] = []
        used: set[int] = set()
        for figure in self._figures(sentence, acled_conventions):
            classified = self._classify(figure, sentence)
            if classified is None or figure.value is None:
                continue
            kind, cue, noun = classified
            if figure.vague and figure.value == 0:
                continue
            unit = self._unit_of(noun)
            if unit != "households" and kind == "displaced":
                unit = "people"
            mention = CountMention(kind, figure.value, figure.qualifier, unit, cue,
                                   figure.head.i)
            mention.hedged = self._hedged(mention, figure.head)
            mentions.append(mention)
            used.update(t.i for t in sentence[figure.start : figure.end])
        mentions.extend(self._implicit_mentions(sentence, used))
        if acled_conventions:
            mentions.extend(self._acled_note_mentions(sentence))
        if trigger is not None:
            near = {t.i for t in trigger.subtree} | {trigger.i, trigger.head.i}
            mentions.sort(key=lambda m: 0 if m.token in near else 1)
        return mentions

    def _hedged(self, mention: CountMention, head: Token) -> bool:
        """A claim qualifier ("up to") or a modal of possibility on the counting verb."""
        hedges = self.lexicon["hedges"]
        if mention.qualifier in hedges["qualifiers"]:
            return True
        verb = cue_verb(head, mention)
        return any(c.dep_ == "aux" and c.lower_ in hedges["auxiliaries"]
                   for c in verb.children) or verb.lemma_.lower() in hedges["verbs"]

    def _acled_note_mentions(self, sentence: Span) -> list[CountMention]:
        found = []
        for pattern in self.lexicon["acled_notes"]["patterns"]:
            for match in re.finditer(pattern, sentence.text, flags=re.IGNORECASE):
                found.append(CountMention("killed", int(match.group("n")), None, "people", "coded",
                                          sentence.start))
        return found

    def extract_counts(self, sentence: Span, trigger: Token | None = None,
                       acled_conventions: bool = False) -> Counts:
        """Counts of one sentence: per type the sum of its distinct figures, plus qualifier and
        unit (``counts_of``)."""
        return self.counts_of(self.find_counts(sentence, trigger, acled_conventions))

    def counts_of(self, mentions: list[CountMention]) -> Counts:
        """Counts from the figures of one sentence (``find_counts``, perhaps a subset).

        Figures of one type tied to different words add up ("6 were killed by fire and 3 were
        killed by IEDs" -> 9). A hedged claim and a confirmed figure of the same type are never
        added: the confirmed figure is the count and the claim its ``upper`` figure ("as many
        as 60 could have been killed ... nine bodies recovered" -> killed 9, upper 60). An ACLED
        note's "coded as N" statement overrides the text's figure.
        """
        counts = Counts()
        coded = [m for m in mentions if m.cue == "coded"]
        stated = [m for m in mentions if m.cue != "coded"]
        confirmed_types = {m.type for m in stated if not m.hedged}
        for mention in stated:
            if mention.hedged and mention.type in confirmed_types:
                if mention.value > counts.upper.get(mention.type, 0):
                    counts.upper[mention.type] = mention.value
                continue
            current = getattr(counts, mention.type)
            setattr(counts, mention.type, (current or 0) + mention.value)
            if counts.qualifier is None and mention.qualifier:
                counts.qualifier = mention.qualifier
            if mention.type == "displaced" and counts.unit is None:
                counts.unit = mention.unit
        for kind, value in list(counts.upper.items()):
            if value <= (getattr(counts, kind) or 0):
                del counts.upper[kind]
        if coded:
            counts.killed = coded[0].value
        if counts.unit is None and any(getattr(counts, t) is not None for t in COUNT_TYPES):
            counts.unit = "people"
        return counts
