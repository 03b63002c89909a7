"""Trigger detection: the words of a parsed sentence that report an event, from the trigger lexicon.

A verb in the lexicon is a trigger wherever it appears (subject to its condition). A noun is a
trigger only when a support verb makes it a reported event ("launched a military campaign",
"a massacre will occur") or when it heads its sentence; elsewhere it merely names an event that
another clause talks about ("fled due to heavy airstrikes").
"""

from __future__ import annotations

from dataclasses import dataclass
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
    condition: tuple[bool, frozenset[str]] | None  # (must have, child lemmas or relations)
    on_relation: bool = False  # the condition names dependency relations ("dep=dobj")


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
    support_verbs: dict[str, str]  # lemma -> "object" or "subject"
    mode_cues: dict[str, str]  # word or two lemmas -> mode

    @classmethod
    def load(cls) -> TriggerLexicon:
        table: dict[str, list[LexiconEntry]] = {}
        for row in read_table(_PACKAGE, "triggers.tsv"):
            condition = None
            on_relation = False
            if row["condition"]:
                key, _, words = row["condition"].partition("=")
                must = not key.endswith("!")
                on_relation = key.rstrip("!") == "dep"
                condition = (must, frozenset(w.strip().lower() for w in words.split("|")))
            entry = LexiconEntry(row["lemma"].lower(), row["pos"], row["category"], row["mode"],
                                 condition, on_relation)
            table.setdefault(entry.lemma, []).append(entry)
        return cls(
            {k: tuple(v) for k, v in table.items()},
            {r["lemma"]: r["role"] for r in read_table(_PACKAGE, "support_verbs.tsv")},
            {r["word"].lower(): r["mode"] for r in read_table(_PACKAGE, "mode_cues.tsv")},
        )

    def find_triggers(self, sentence: Span) -> list[Trigger]:
        """Every trigger of the sentence, in text order; one per word."""
        found: list[Trigger] = []
        for token in sentence:
            if token.pos_ not in {"VERB", "NOUN", "PROPN", "ADJ"}:
                continue
            is_verb = token.pos_ == "VERB"
            for entry, text in self._entries_for(token):
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
        return found

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
        role = self.support_verbs.get(head.lemma_.lower())
        if role == "object" and node.dep_ in {"dobj", "nsubjpass", "attr"}:
            return head
        if role == "subject" and node.dep_ in {"nsubj"}:
            return head
        # "carried out" as an adjectival participle: "the attacks carried out by ..."
        for child in node.children:
            if child.dep_ == "acl" and self.support_verbs.get(child.lemma_.lower()) == "object":
                return node
        return None

    def _entries_for(self, token: Token) -> list[tuple[LexiconEntry, str]]:
        lex = self.entries
        lemma = token.lemma_.lower()
        out: list[tuple[LexiconEntry, str]] = []
        # Two-word nominal triggers: a modifier right before the noun ("military campaign").
        if token.i > token.sent.start:
            prev = token.doc[token.i - 1]
            for key in (f"{prev.lemma_.lower()} {lemma}",
                        f"{prev.text.lower()} {token.text.lower()}"):
                for entry in lex.get(key, ()):
                    out.append((entry, f"{prev.text} {token.text}"))
            if out:
                return out
        for entry in lex.get(lemma, ()) + lex.get(token.text.lower(), ()):
            out.append((entry, token.text))
        return out


def _condition_holds(entry: LexiconEntry, token: Token) -> bool:
    if entry.condition is None:
        return True
    must, words = entry.condition
    if entry.on_relation:
        present = any(child.dep_.lower() in words for child in token.children)
        return present if must else not present
    present = any(
        child.lemma_.lower() in words or child.text.lower() in words for child in token.children
    )
    return present if must else not present
