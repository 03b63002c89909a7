"""Stand-in modality rules, used only while ``tocsin.mentions.modality`` is not installed.

Walks from the event's governing verb up to the root of its sentence and reads the cues that
qualify it: negation, modal verbs and "about to" (forecast), "if" and fear (hypothetical), aims
and purposes (intended), and habitual or unspecific statements (generic).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_FORECAST_AUX = {"may", "might", "could", "would"}
_INTENT = {"aim", "plan", "intend", "seek", "want", "try", "hope", "order", "strive", "attempt"}
_HYPOTHETICAL = {"fear", "threaten", "risk"}
_REQUEST = {"urge", "call", "appeal", "ask", "demand"}
_GENERIC_ADVERBS = {"traditionally", "usually", "often", "regularly", "frequently", "always"}
_SPEECH = {"say", "stress", "tell", "claim", "report", "state", "announce", "add", "warn"}


def _has_if(token: Token) -> bool:
    if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in token.children):
        return True
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"}
                                  for m in c.children)
        for c in token.children
    )


def _generic(token: Token, sentence: Span) -> bool:
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    if any(c.lower_ in _GENERIC_ADVERBS for c in token.children):
        return True
    subjects = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
    perfect = any(c.lower_ in {"has", "have"} and c.dep_ == "aux" for c in token.children)
    many = any(d.lower_ in {"many", "several"} for s in subjects for d in s.children)
    dated = any(t.ent_type_ in {"DATE", "TIME"} for t in sentence)
    return perfect and many and not dated


def fallback_modality(trigger: Token, sentence: Span) -> tuple[str, str | None]:
    """(modality, claim source) of the event whose governing verb is ``trigger``."""
    source: str | None = None
    node = trigger
    first = True
    while True:
        children = list(node.children)
        if any(c.dep_ == "neg" for c in children):
            return "negated", source
        if any(c.dep_ == "aux" and c.lower_ in _FORECAST_AUX for c in children):
            return "forecast", source
        if _has_if(node):
            return "hypothetical", source
        if node.lemma_.lower() == "about" or (
            node.dep_ == "xcomp" and node.head.lower_ == "about"
        ):
            return "forecast", source
        if not first or node == trigger:
            lemma = node.lemma_.lower()
            if node != trigger:
                if lemma in _INTENT:
                    return "intended", source
                if lemma in _HYPOTHETICAL:
                    return "hypothetical", source
                if lemma in _REQUEST and node.dep_ != "conj":
                    return "intended", source
                if lemma in _SPEECH and source is None:
                    subj = [c for c in children if c.dep_ == "nsubj"]
                    source = subj[0].text if subj else None
        if node == trigger and _generic(node, sentence):
            return "generic", source
        if node == trigger and node.dep_ in {"xcomp", "advcl"} and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in children
        ) and not any(c.dep_.startswith("nsubj") for c in children):
            head = node.head
            if head.lemma_.lower() not in {"force", "begin", "start", "continue", "manage"}:
                return "intended", source
        first = False
        if node.head == node or node.dep_ == "ROOT":
            break
        if node.dep_ == "conj":
            node = node.head
            continue
        node = node.head
    return "asserted", source
