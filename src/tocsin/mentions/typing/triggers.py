"""Trigger detection: the words of a parsed sentence that report an event, from the trigger lexicon.

A verb in the lexicon is a trigger wherever it appears (subject to its condition). A noun is a
trigger only when a support verb makes it a reported event ("launched a military campaign",
"a massacre will occur") or when it heads its sentence; elsewhere it merely names an event that
another clause talks about ("fled due to heavy airstrikes").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import TYPE_CHECKING

from tocsin.mentions.typing.ontology import read_table

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_PACKAGE = "tocsin.data.events"


@dataclass(frozen=True)
class LexiconEntry:
    lemma: str
    pos: str
    category: str
    mode: str
    # (what is looked at, must have, words): "child" lemmas of its dependents, "dep" relations
    # of its dependents, "arg" lemmas of its subject or object, "near" lemmas of its dependents
    # and of the objects of its prepositions; all must hold
    conditions: tuple[tuple[str, bool, frozenset[str]], ...] = ()


@dataclass(frozen=True)
class Trigger:
    """A trigger found in a sentence: the word, the verb that governs it, and what it signals."""

    token: Token
    anchor: Token  # the trigger itself for verbs; the support verb for nouns
    category: str
    mode: str | None
    text: str


@dataclass(frozen=True)
class TriggerLexicon:
    """The trigger words (triggers.tsv), the support verbs that make a noun a reported event
    (support_verbs.tsv) and the mode cues of assaults (mode_cues.tsv), parsed once by ``load``."""

    entries: dict[str, tuple[LexiconEntry, ...]]  # lemma (possibly two words) -> entries
    # lemma -> its roles: "object", "subject", "either", "via:PREP", "aspect", "circumstance",
    # "manner:NOUN"
    support_verbs: dict[str, frozenset[str]]
    mode_cues: dict[str, str]  # word or two lemmas -> mode
    actors: dict[str, tuple[str, str]] = field(default_factory=dict)  # noun -> (category, mode)
    actor_stops: frozenset[str] = frozenset()  # verbs that report nothing of those actors

    @classmethod
    def load(cls) -> TriggerLexicon:
        return cls(
            lexicon_entries(read_table(_PACKAGE, "triggers.tsv")),
            _roles(read_table(_PACKAGE, "support_verbs.tsv")),
            {r["word"].lower(): r["mode"] for r in read_table(_PACKAGE, "mode_cues.tsv")},
            {r["noun"].lower(): (r["category"], r["mode"])
             for r in read_table(_PACKAGE, "actor_triggers.tsv")},
            frozenset(r["verb"].lower() for r in read_table(_PACKAGE, "actor_trigger_stops.tsv")),
        )

    def find_triggers(self, sentence: Span) -> list[Trigger]:
        """Every trigger of the sentence, in text order; one per word."""
        found: list[Trigger] = []
        for token in sentence:
            if token.pos_ not in {"VERB", "NOUN", "PROPN", "ADJ"}:
                continue
            is_verb = token.pos_ == "VERB"
            for entry, text in self._entries_for(token, sentence.start):
                if entry.pos == "VERB" and not is_verb:
                    continue
                if entry.pos == "NOUN" and is_verb:
                    continue
                if not _condition_holds(entry, token):
                    continue
                if is_verb:
                    anchor: Token | None = token
                else:
                    anchor = self._noun_anchor(token)
                if anchor is None:
                    continue
                found.append(Trigger(token, anchor, entry.category, entry.mode or None, text))
                break
            else:
                by_actor = self._actor_trigger(token) if is_verb else None
                if by_actor is not None:
                    found.append(by_actor)
        return found

    def _actor_trigger(self, verb: Token) -> Trigger | None:
        """A verb whose subject is a protester, striker or rioter reports a protest
        (actor_triggers.tsv): "protesters blocked the road", "strikers marched to the mine"."""
        if not self.actors or verb.lemma_.lower() in self.actor_stops:
            return None
        for child in verb.children:
            if child.dep_ != "nsubj":
                continue
            for who in (child, *counted_nouns(child)):
                kind = self.actors.get(who.lemma_.lower())
                if kind is not None:
                    return Trigger(verb, verb, kind[0], kind[1] or None, verb.text)
        return None

    def is_crowd(self, side: Token | None) -> bool:
        """``side`` names protesters, demonstrators or rioters (a PROTEST noun of
        actor_triggers.tsv), or a quantity of them ("hundreds of protesters")."""
        if side is None:
            return False
        return any(self.actors.get(who.lemma_.lower(), ("",))[0] == "PROTEST"
                   for who in (side, *counted_nouns(side)))

    def refine_mode(self, category: str, mode: str | None, words: list[Token]) -> str | None:
        """For ASSAULT, a mode cue among ``words`` (actor, instrument) overrides the trigger's
        mode."""
        if category != "ASSAULT":
            return mode
        cues = self.mode_cues
        lowered = [t.lemma_.lower() for t in words]
        texts = [t.text.lower() for t in words]
        for i in range(len(words)):
            for key in (
                f"{lowered[i]} {lowered[i + 1]}" if i + 1 < len(words) else None,
                lowered[i],
                texts[i],
            ):
                if key and key in cues:
                    return cues[key]
        return mode

    def _noun_anchor(self, token: Token) -> Token | None:
        """The verb that makes a noun trigger a reported event, or None."""
        node = token
        while node.dep_ == "conj" and node.head != node:
            node = node.head
        if node.dep_ == "ROOT":
            return node
        head = node.head
        if node.dep_ == "pobj" and head.lower_ == "of" and head.head.i != head.i:
            aspect = head.head  # "the resumption of shelling", "a wave of arrests"
            if "aspect" in self._support_roles(aspect):
                return self._noun_anchor(aspect) or aspect
        if node.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head.i != head.i:
            if f"via:{head.lower_}" in self._support_roles(head.head):
                return head.head  # "resulted in the deaths of 80", "led to the flight of"
            if "circumstance" in self.support_verbs.get(head.lower_, ()):
                return node  # "during the protest", "amid clashes": it took place
            if f"manner:{node.lemma_.lower()}" in self.support_verbs.get(head.lower_, ()) \
                    and head.head.pos_ == "VERB" and not any(c.dep_ == "det" for c in
                                                             node.children):
                return head.head  # "set fire to the house in protest": the act protests
        roles = self._support_roles(head)
        if roles & {"object", "either"} and node.dep_ in {"dobj", "nsubjpass", "attr"}:
            return head
        if roles & {"subject", "either"} and node.dep_ in {"nsubj"}:
            return head
        # "carried out" as an adjectival participle: "the attacks carried out by ..."
        for child in node.children:
            if child.dep_ == "acl" and "object" in self.support_verbs.get(child.lemma_.lower(),
                                                                          ()):
                return node
        return None

    def _support_roles(self, word: Token) -> frozenset[str]:
        """The support roles of ``word``, by its lemma or, when the lemmatizer got a verb wrong
        ("staged" -> "stag"), by its form without the inflection."""
        for lemma in verb_lemmas(word):
            roles = self.support_verbs.get(lemma)
            if roles is not None:
                return roles
        return frozenset()

    @cached_property
    def _last_words(self) -> frozenset[str]:
        """The last word of every entry ("campaign" of "military campaign", "in" of "sit-in"):
        a word that is none of them starts no entry lookup."""
        return frozenset(key.replace("-", " ").split()[-1] for key in self.entries)

    def _entries_for(self, token: Token, sent_start: int) -> list[tuple[LexiconEntry, str]]:
        lemma = token.lemma_.lower()
        lower = token.lower_
        if lemma not in self._last_words and lower not in self._last_words:
            repaired = next((v for v in islice(verb_lemmas(token), 1, None)
                             if v in self.entries), None)
            if repaired is None:
                return []
            lemma = repaired  # "raped" lemmatised as "rap"
        lex = self.entries
        out: list[tuple[LexiconEntry, str]] = []
        prev = token.doc[token.i - 1] if token.i > sent_start else None
        # Hyphenated nominal triggers the tokenizer splits: "sit - in".
        if prev is not None and prev.text == "-" and token.i >= sent_start + 2:
            first = token.doc[token.i - 2]
            text = f"{first.text}-{token.text}"
            for entry in lex.get(text.lower(), ()):
                out.append((entry, text))
            if out:
                return out
        # Two-word nominal triggers: a modifier right before the noun ("military campaign").
        if prev is not None:
            for key in (f"{prev.lemma_.lower()} {lemma}", f"{prev.lower_} {lower}"):
                for entry in lex.get(key, ()):
                    out.append((entry, f"{prev.text} {token.text}"))
            if out:
                return out
        for entry in lex.get(lemma, ()) + lex.get(lower, ()):
            out.append((entry, token.text))
        return out

_INFLECTIONS = (("ed", "e"), ("ed", ""), ("es", ""), ("s", ""), ("ing", "e"), ("ing", ""))


def verb_lemmas(word: Token) -> Iterator[str]:
    """The lemma of ``word``, then for a verb the lemmas its form gives without an inflection:
    the small model's lemmatizer gets some verbs wrong ("staged" -> "stag", "raped" -> "rap").
    Lazy: a caller that stops at the lemma pays for nothing else."""
    yield word.lemma_.lower()
    if word.pos_ != "VERB":
        return
    form = word.lower_
    for ending, keep in _INFLECTIONS:
        if form.endswith(ending) and len(form) > len(ending) + 2:
            yield form[: -len(ending)] + keep


def _roles(rows: list[dict[str, str]]) -> dict[str, frozenset[str]]:
    """support_verbs.tsv as each word's roles (a word may have several rows)."""
    table: dict[str, set[str]] = {}
    for row in rows:
        table.setdefault(row["lemma"], set()).add(row["role"])
    return {lemma: frozenset(roles) for lemma, roles in table.items()}


def lexicon_entries(rows: list[dict[str, str]]) -> dict[str, tuple[LexiconEntry, ...]]:
    """The rows of triggers.tsv as entries by lemma (a word or two), in file order."""
    table: dict[str, list[LexiconEntry]] = {}
    for row in rows:
        conditions = []
        for part in filter(None, (row["condition"] or "").split(";")):
            key, _, words = part.strip().partition("=")
            must = not key.endswith("!")
            kind = key.rstrip("!")
            if kind not in _CONDITION_KINDS:
                raise ValueError(f"triggers.tsv: unknown condition {part!r} of {row['lemma']}")
            conditions.append((kind, must, frozenset(w.strip().lower() for w in
                                                     words.split("|"))))
        entry = LexiconEntry(row["lemma"].lower(), row["pos"], row["category"], row["mode"],
                             tuple(conditions))
        table.setdefault(entry.lemma, []).append(entry)
    return {k: tuple(v) for k, v in table.items()}

_CONDITION_KINDS = frozenset({"child", "dep", "arg", "obj", "near"})


def _condition_holds(entry: LexiconEntry, token: Token) -> bool:
    for kind, must, words in entry.conditions:
        if kind == "dep":
            present = any(child.dep_.lower() in words for child in token.children)
        else:
            if kind == "arg":
                seen = _participants(token)
            elif kind == "obj":
                seen = _participants(token, _OBJECT_DEPS)
            elif kind == "near":
                seen = [*token.children, *(g for c in token.children if c.dep_ == "prep"
                                           for g in c.children if g.dep_ == "pobj")]
            else:
                seen = list(token.children)
            present = any(w.lemma_.lower() in words or w.lower_ in words for w in seen)
        if present != must:
            return False
    return True


_PARTICIPANT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})
_OBJECT_DEPS = frozenset({"nsubjpass", "dobj"})


def _participants(token: Token, deps: frozenset[str] = _PARTICIPANT_DEPS) -> list[Token]:
    """The subject and object of ``token`` (or the dependents in ``deps``), and for a quantity
    ("dozens of protesters", "a stash of rifles") the noun after its "of" too."""
    found: list[Token] = []
    for child in token.children:
        if child.dep_ in deps:
            found.extend((child, *counted_nouns(child)))
    return found


def counted_nouns(noun: Token) -> list[Token]:
    """The noun after "of" in a quantity ("dozens of protesters" -> protesters), if any."""
    return [c for prep in noun.children if prep.dep_ == "prep" and prep.lower_ == "of"
            for c in prep.children if c.dep_ == "pobj"]
