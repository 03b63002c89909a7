"""Which word of a detected sentence reports its incident, and of what kind.

The trigger lexicon accepts a noun only where a support verb makes it a reported event, and a
word only where its condition holds; a sentence the detector found may name its incident
elsewhere ("injured as a result of *an explosion*", "condemned *the shooting*"). Here every
verb and noun of the sentence is looked up among the lexicon's unconditioned one-word triggers of
incidents ACLED codes, wherever it stands; of the words found, the one nearest the root of the
parse reports the incident. A sentence without such a word makes no mention, whatever the
detector said: word vectors are too coarse to name the kind of an incident (the vector table
gives "killed", "police" and "airstrike" one vector).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from tocsin.mentions.typing.ontology import AcledCoding
from tocsin.mentions.typing.triggers import LexiconEntry, TriggerLexicon, verb_lemmas

_TAKES = {"VERB": ("VERB", "*"), "NOUN": ("NOUN", "*")}


@dataclass(frozen=True)
class EventWords:
    """The lexicon's unconditioned one-word triggers of incidents ACLED codes, by lemma."""

    entries: dict[str, LexiconEntry]

    @classmethod
    def build(cls, lexicon: TriggerLexicon, coding: AcledCoding) -> EventWords:
        """The first unconditioned entry of each one-word lemma, when ACLED codes what it
        reports."""
        chosen: dict[str, LexiconEntry] = {}
        for lemma, found in lexicon.entries.items():
            plain = [e for e in found if not e.conditions]
            if plain and " " not in lemma and coding.codes(plain[0].category, plain[0].mode):
                chosen[lemma] = plain[0]
        return cls(chosen)

    def entry_of(self, token: Token) -> LexiconEntry | None:
        takes = _TAKES.get(token.pos_)
        if takes is None:
            return None
        lemmas = verb_lemmas(token) if token.pos_ == "VERB" else (token.lemma_.lower(),)
        for lemma in lemmas:
            entry = self.entries.get(lemma)
            if entry is not None and entry.pos in takes:
                return entry
        return None

    def find(self, sentence: Span) -> tuple[Token, LexiconEntry] | None:
        """The sentence's event word nearest the root of the parse, with its entry."""
        found = [(sum(1 for _ in token.ancestors), token.i, token, entry)
                 for token in sentence if (entry := self.entry_of(token)) is not None]
        if not found:
            return None
        _, _, token, entry = min(found, key=lambda f: (f[0], f[1]))
        return token, entry


def anchor_of(word: Token) -> Token:
    """The verb that reports a detected event noun (its subject, object or the object of one
    of its prepositions: "condemned *the shooting*"), else the word itself."""
    if word.pos_ != "NOUN":
        return word
    head = word.head
    if word.dep_ == "pobj" and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    if word.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and head.pos_ in ("VERB", "AUX"):
        return head
    return word
