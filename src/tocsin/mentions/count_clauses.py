"""The clause a figure belongs to, read from the dependency parse.

A figure counts for the verb that says what happened to the people counted ("4,700 civilians
*killed* since ...", "the toll has *risen* to 52"): ``cue_verb`` finds it. ``clause_tokens`` are
the words of that verb's own clause, without the clauses that have a subject of their own.
``statement_head`` climbs from a clause to the statement it extends: a participle or a verb
that shares its subject ("hit a market, *killing* 12", "exploded and *killed* 12") is part of
the clause above it; a clause with its own subject ("... and hundreds of thousands *have fled*")
is a statement of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from tocsin.mentions.count_mention import CountMention

_VERBAL = {"VERB", "AUX"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
# Dependents that open a clause of their own.
_CLAUSES = {"ccomp", "advcl", "conj", "relcl", "acl", "xcomp", "parataxis", "csubj", "pcomp"}
# A clause without its own subject that extends the one above it.
_EXTENDING = {"advcl", "xcomp", "conj"}


def has_subject(verb: Token) -> bool:
    return any(c.dep_ in _SUBJECTS for c in verb.children)


def clause_head(token: Token) -> Token:
    """The nearest verb at or above ``token`` (the root of its sentence when there is none)."""
    current = token
    for _ in range(30):
        if current.pos_ in _VERBAL and current.dep_ not in ("aux", "auxpass"):
            return current
        if current.head is current:
            return current
        current = current.head
    return current


def cue_verb(token: Token, mention: CountMention) -> Token:
    """The verb of the clause that counts ``mention`` (its figure head is ``token``)."""
    noun = token.head if token.dep_ in ("nummod", "quantmod") else token
    for child in noun.children:  # "4,700 civilians killed since ...": a reduced relative
        if child.dep_ in ("acl", "relcl", "amod") and mention.cue in (child.lemma_.lower(),
                                                                       child.lower_):
            return child
    current = token
    for _ in range(30):
        if current.pos_ in _VERBAL and current.dep_ not in ("aux", "auxpass"):
            return current
        if current.head is current:
            break
        current = current.head
    return clause_head(token)


def clause_tokens(verb: Token, leave_out: set[int] | None = None) -> set[int]:
    """Indices of the words of ``verb``'s own clause: its subtree without the dependent clauses
    that have a subject of their own (nor the subtrees of ``leave_out`` heads)."""
    skip = leave_out or set()
    found: set[int] = set()
    stack = [verb]
    while stack:
        node = stack.pop()
        found.add(node.i)
        for child in node.children:
            if child.i in skip:
                continue
            if child.dep_ in _CLAUSES and child.pos_ in _VERBAL and has_subject(child):
                continue
            stack.append(child)
    return found


def statement_head(token: Token) -> Token:
    """The clause that the clause of ``token`` extends, climbing participles and verbs that
    share the subject above them; a clause with its own subject stops the climb."""
    verb = clause_head(token)
    for _ in range(10):
        if verb.dep_ in _EXTENDING and not has_subject(verb) and verb.head.pos_ in _VERBAL:
            verb = verb.head
        else:
            break
    return verb
