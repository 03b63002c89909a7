"""Modality of an event mention: did it happen, and who says so.

``ModalityRules.classify_modality`` reads the dependency parse around the trigger and returns one of
asserted, negated, forecast, hypothetical, intended, generic, alleged
(``tocsin.records.MODALITIES``) and the source of an attributed claim ("Bilgiç said that ..." ->
"Bilgiç"; the event stays asserted). An event told only inside one party's accusation ("the
spokesman accused the rebels of attacking the market", "allegedly hired to kill him") is
alleged, and its source is the accuser. Cue words live in ``tocsin/data/events/modality.toml``.

The walk goes up from the trigger through the clause chain (complements, adverbial clauses,
conjuncts). Cues met before the first reporting verb count: modal auxiliaries, conditions,
negation, governing verbs of aim or expectation, habitual adverbs. A relative clause or a
copular predicate ends the event's clause. Several cues resolve by strength: hypothetical >
negated > alleged > forecast > intended > generic.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from tocsin.mentions.dates import DateReader

_STRENGTH = ("hypothetical", "negated", "alleged", "forecast", "intended", "generic")
_CLAUSE_UP = {"xcomp", "ccomp", "advcl", "conj", "pcomp", "acomp", "oprd", "csubj", "csubjpass"}
_ARGUMENT_UP = {"nsubj", "nsubjpass", "dobj", "attr", "pobj", "prep", "agent", "compound",
                "appos", "npadvmod"}
_STOP = {"relcl", "acl", "ROOT"}
# how the accused act hangs from the word of accusation: "of attacking", "that they attacked"
_ACCUSED_UP = {"prep", "ccomp", "xcomp", "pcomp", "acl"}


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _hedges_a_figure(verb: Token) -> bool:
    """ "As many as 60 could have been killed": a modal of the past (modal + "have") on a verb
    whose argument is a figure hedges the figure, not the event, which is no forecast."""
    if not any(c.dep_ == "aux" and _lemma(c) == "have" for c in verb.children):
        return False
    return any(arg.dep_ in ("nsubj", "nsubjpass", "dobj") and (
        arg.like_num or any(m.dep_ == "nummod" for m in arg.children))
        for arg in verb.children)


class ModalityRules:
    """The cue words of modality.toml (lists as sets), and the date rules that tell a dated
    statement from a habitual one: classifies the modality of an event mention."""

    def __init__(self, cues: dict[str, Any], dates: DateReader) -> None:
        self.cues = {
            section: {k: set(v) if isinstance(v, list) else v for k, v in entries.items()}
            for section, entries in cues.items()
        }
        self.dates = dates

    @classmethod
    def load(cls, dates: DateReader) -> ModalityRules:
        path = resources.files("tocsin").joinpath("data/events/modality.toml")
        return cls(tomllib.loads(path.read_text(encoding="utf-8")), dates)

    def _local_cues(self, node: Token, sentence: Span) -> set[str]:
        """Cues that sit on one clause head of the chain."""
        c = self.cues
        found: set[str] = set()
        for child in node.children:
            dep, low = child.dep_, child.lower_
            if dep == "mark" and low in c["hypothetical"]["conditions"]:
                found.add("hypothetical")
            if dep == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in c["hypothetical"]["conditions"]
                for m in child.children
            ):
                found.add("hypothetical")
            if dep == "aux":
                if low in c["hypothetical"]["auxiliaries"]:
                    found.add("hypothetical")
                elif low in c["forecast"]["auxiliaries"] and not _hedges_a_figure(node):
                    found.add("forecast")
                elif low in c["intended"]["auxiliaries"]:
                    found.add("intended")
            if dep == "neg" or (dep in ("det", "advmod") and low in c["negation"]["words"]):
                found.add("negated")
            if dep in ("nsubj", "nsubjpass", "dobj", "attr") and self._is_negative(child):
                found.add("negated")
            if dep == "amod" and low in c["forecast"]["modifiers"] and \
                    node.pos_ in ("NOUN", "PROPN"):
                found.add("forecast")
            if dep == "advmod" and low in c["generic"]["adverbs"]:
                found.add("generic")
            if dep == "advmod" and low in c["alleged"]["adverbs"]:
                found.add("alleged")
            if dep == "amod" and low in c["alleged"]["modifiers"] and \
                    node.pos_ in ("NOUN", "PROPN"):
                found.add("alleged")
            if dep == "det" and low in c["generic"]["determiners"] and \
                    node.pos_ in ("NOUN", "PROPN"):
                found.add("generic")  # "any rally held after sunset": a class of events
        if self._purpose_clause(node):
            found.add("intended")
        if self._generic_plural(node, sentence) or self._ongoing_activity(node):
            found.add("generic")
        return found

    def _ongoing_activity(self, node: Token) -> bool:
        """ "The group is engaged in development activities": a present-tense state of being
        busy with a kind of work, not an incident."""
        generic = self.cues["generic"]
        if _lemma(node) not in generic["state_verbs"]:
            return False
        present = any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP")
                      for c in node.children) or node.tag_ in ("VBZ", "VBP")
        activity = any(
            c.dep_ == "prep" and any(o.dep_ in ("pobj", "pcomp") and (
                _lemma(o) in generic["activity_nouns"] or o.tag_ == "VBG") for o in c.children)
            for c in node.children
        )
        return present and activity

    def _is_negative(self, noun: Token) -> bool:
        words = self.cues["negation"]["words"]
        if noun.lower_ in ("nobody", "none", "nothing", "no-one"):
            return True
        return any(d.dep_ in ("det", "neg") and d.lower_ in words for d in noun.children)

    def _purpose_clause(self, node: Token) -> bool:
        """ "in order to control", "so as to avoid": the words before the clause's "to"."""
        markers = self.cues["intended"]["purpose_markers"]
        doc = node.doc
        start = min(t.i for t in node.subtree) if node.dep_ in ("advcl", "xcomp", "acl") else node.i
        window = " ".join(t.lower_ for t in doc[max(0, start - 3) : start + 1])
        return any(marker in window for marker in markers)

    def _generic_plural(self, node: Token, sentence: Span) -> bool:
        """ "Many areas have been attacked": an unanchored quantified plural, perfect tense."""
        if node.pos_ not in ("VERB", "AUX"):
            return False
        quantifiers = self.cues["generic"]["quantifiers"]
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        own_aux = any(c.dep_ in ("aux", "auxpass") for c in node.children)
        if node.dep_ == "conj" and not subjects and not own_aux:
            subjects = [c for c in node.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        quantified = any(
            any(m.lower_ in quantifiers and m.dep_ in ("amod", "det") for m in s.children)
            and not any(m.dep_ == "nummod" for m in s.children)
            for s in subjects
        )
        if not quantified:
            return False
        verb = node.head if node.dep_ == "conj" and not own_aux else node
        perfect = any(c.dep_ == "aux" and _lemma(c) == "have" for c in verb.children)
        if not perfect:
            return False
        return not self.dates.find_dates(sentence.text, None)

    def _governed_by(self, head: Token, c: dict[str, Any]) -> set[str]:
        """The forecast or intended cue that a governing word (verb or noun) carries."""
        words = {_lemma(head), head.lower_}
        if self._forecast_governor(head):
            return {"forecast"}
        if words & c["intended"]["governors"]:
            return {"intended"}
        return set()

    def _forecast_governor(self, head: Token) -> bool:
        """A word that puts what it governs in the future ("is expected to", "threatens to").
        Some only do so in one form: "is going to attack" is a forecast, "a bomb went off,
        killing 14" is not."""
        cues = self.cues["forecast"]
        lemma = _lemma(head)
        if lemma in cues["progressive_only"] and head.lower_ != f"{lemma}ing":
            return False
        return lemma in cues["governors"] or head.lower_ in cues["governors"]

    def _report_negated(self, verb: Token, clause: Token) -> bool:
        """The reporting verb itself is denied ("did not say that", "has no reason to believe
        that"), and the reported clause is a statement, not a question ("did not say when")."""
        if any(t.tag_ in ("WRB", "WP", "WDT") for t in clause.children) or any(
                m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in clause.children):
            return False
        words = self.cues["negation"]["words"]
        if any(ch.dep_ == "neg" for ch in verb.children):
            return True
        noun = verb.head
        return verb.dep_ in ("relcl", "acl") and noun.pos_ == "NOUN" and any(
            d.dep_ == "det" and d.lower_ in words for d in noun.children)

    def _plan_is_to(self, head: Token) -> bool:
        """ "The plan is to evacuate ...", "Their aim was to return ...": a copula whose subject
        is a word of aim or plan."""
        governors = self.cues["intended"]["governors"]
        return _lemma(head) == "be" and any(
            c.dep_ == "nsubj" and (_lemma(c) in governors or c.lower_ in governors)
            for c in head.children)

    def _beneficiary_noun(self, noun: Token) -> bool:
        """The people a place or service is for ("a camp for people fleeing"), not an event."""
        prepositions = self.cues["generic"]["beneficiary_prepositions"]
        return noun.dep_ == "pobj" and noun.head.lower_ in prepositions

    def _source_of(self, verb: Token) -> str | None:
        for child in verb.children:
            if child.dep_ == "nsubj" or (child.dep_ == "agent"):
                tokens = list(child.subtree)
                if child.dep_ == "agent":
                    tokens = tokens[1:]
                if tokens and not (len(tokens) == 1 and tokens[0].pos_ == "PRON"
                                   and tokens[0].lower_ in ("it", "there")):
                    return " ".join(t.text for t in tokens).strip() or None
        return None

    def _according_to(self, sentence: Span) -> str | None:
        for token in sentence:
            if token.lower_ == "according" and token.i + 1 < len(token.doc) and (
                token.nbor(1).lower_ == "to"
            ):
                objects = [c for c in token.nbor(1).children if c.dep_ == "pobj"] or [
                    c for c in token.children if c.dep_ == "pobj"
                ]
                for obj in objects:
                    if _lemma(obj) not in self.cues["attribution"]["not_sources"]:
                        return " ".join(t.text for t in obj.subtree)
        return None

    def _root_reporter(self, trigger: Token, sentence: Span) -> str | None:
        """Subject of a reporting root verb when the parse lost the "that" clause under it."""
        root = sentence.root
        if root == trigger or trigger.i < root.i or \
                _lemma(root) not in self.cues["attribution"]["verbs"]:
            return None
        if not any(t.lower_ == "that" and t.dep_ == "mark" for t in sentence if t.i > root.i):
            return None
        return self._source_of(root)

    def classify_modality(self, trigger: Token, sentence: Span) -> tuple[str, str | None]:
        """(modality, claim source) of the event that ``trigger`` denotes in ``sentence``."""
        c = self.cues
        found: set[str] = set()
        source: str | None = None
        if trigger.dep_ == "relcl" and any(
            ch.dep_ in ("nsubj", "nsubjpass") and ch.lower_ in c["writer"]["pronouns"]
            for ch in trigger.children
        ):
            # "people we met were worried": the writer's own doing, told to describe someone
            found.add("generic")
        reported = False  # crossed a reporting verb: cues above it belong to the report
        in_clause = True
        node = trigger
        for _ in range(40):
            if in_clause and not reported:
                found |= self._local_cues(node, sentence)
            head = node.head
            if head is node:
                break
            dep = node.dep_
            head_lemma = _lemma(head)
            if dep in _ACCUSED_UP and not reported and in_clause and (
                    head_lemma in c["alleged"]["governors"] or head.lower_ in
                    c["alleged"]["governors"]):
                found.add("alleged")  # "accused the rebels of attacking", "allegations of ..."
                if source is None:
                    source = self._source_of(head)
                reported = True
            elif dep == "ccomp" and head_lemma in c["attribution"]["verbs"]:
                if head_lemma in c["negation"]["verbs"] and not reported and in_clause:
                    found.add("negated")
                elif not reported and in_clause and self._report_negated(head, node):
                    # "has no reason to believe that he was killed"; "could not confirm that
                    # the men were killed" leaves it unknown
                    found.add("hypothetical" if head_lemma in c["attribution"]["unconfirmed"]
                              else "negated")
                if source is None:
                    source = self._source_of(head)
                reported = True
            elif in_clause and not reported:
                if dep in ("acl", "amod") and self._beneficiary_noun(head):
                    found.add("generic")  # "a safe zone for the civilians escaping ...": a class
                if dep == "acl" and head.pos_ == "NOUN":
                    found |= self._governed_by(head, c)  # "a plan to demolish stalls"
                if dep in _STOP:
                    in_clause = False
                elif dep in _ARGUMENT_UP and _lemma(head) == "be" and any(
                    ch.dep_ in ("attr", "acomp") and ch != node for ch in head.children
                ):
                    in_clause = False  # "the bombing ... is not part of ...": a claim about it
                elif dep == "conj":
                    pass  # a coordinate verb ("set fire ... and shot") governs nothing
                elif dep in _CLAUSE_UP or dep in ("pobj", "prep"):
                    if self._forecast_governor(head):
                        found.add("forecast")
                    elif head_lemma in c["intended"]["governors"] or head.lower_ in c["intended"][
                        "governors"
                    ] or self._plan_is_to(head):
                        # what an appeal or a plan asks for is wanted, not denied: "urged the
                        # parties to stop shelling" is no statement that shelling did not happen
                        found.discard("negated")
                        found.add("intended")
                    elif head_lemma in c["negation"]["verbs"]:
                        found.add("negated")
                    elif dep == "ccomp" and head_lemma in c["attribution"]["unconfirmed"] and \
                            self._report_negated(head, node):
                        found.add("hypothetical")  # "could not confirm that the men were killed"
                elif dep not in _ARGUMENT_UP:
                    in_clause = False
            node = head
        if source is None:
            source = self._according_to(sentence)
        if source is None:
            source = self._root_reporter(trigger, sentence)
        for modality in _STRENGTH:
            if modality in found:
                return modality, source
        return "asserted", source
