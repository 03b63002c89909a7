"""Who did what to whom: the heads of actor1 (agent) and actor2 (patient) of a trigger.

Reads the dependency parse in active and passive voice, through coordination, control verbs and
relative clauses, with a left-context fallback for clauses the parser got wrong. Words that name
nobody (``context.toml`` [not_actors]) are no actor, and rescuers and medics ([responders]) are
neither attacker nor, unless the attack's own words name them, target of an attack.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token

    from tocsin.mentions.typing.triggers import Trigger

_RELATIVE = {"which", "who", "that", "whom"}
_PATIENT_PREPS = {"against", "on", "upon", "at"}
_RECIPIENT_PREPS = {"to", "for"}
# Categories whose grammatical subject is the one affected (people who flee).
_SUBJECT_IS_PATIENT = {"flee", "escape", "uproot"}
_NOMINAL_SUBJECT_ROLES = {"nsubj"}


@dataclass
class Roles:
    agent: Token | None = None
    patient: Token | None = None
    associate: Token | None = None  # "backed by Russian airstrikes"
    agent_is_modifier: bool = False  # agent read from a demonym on the trigger noun


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _pobj(prep: Token) -> Token | None:
    objs = _children(prep, "pobj")
    if objs:
        return objs[0]
    for c in prep.children:  # "next to X": prep -> prep -> pobj
        if c.dep_ == "prep":
            inner = _pobj(c)
            if inner is not None:
                return inner
    return None


def _resolve_relative(tok: Token) -> Token:
    if tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


def verb_subject(verb: Token) -> tuple[Token | None, bool]:
    """(subject, passive) of a verb, inherited through conj/xcomp/relcl when not its own."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            return _resolve_relative(c), False
        if c.dep_ == "nsubjpass":
            return _resolve_relative(c), True
    for aux in _children(verb, "aux", "auxpass"):
        for c in aux.children:
            if c.dep_ in {"nsubj", "nsubjpass"}:
                return c, c.dep_ == "nsubjpass"
    if verb.dep_ == "conj" and verb.head != verb:
        return verb_subject(verb.head)
    if verb.dep_ == "xcomp" and verb.head != verb:
        head = verb.head
        objs = _children(head, "dobj")
        if objs:
            return objs[0], False
        subj, _ = verb_subject(head)
        return subj, False
    if verb.dep_ == "advcl" and verb.head != verb and _controlled(verb):
        subj, _ = verb_subject(verb.head)  # "crossed into Turkey to escape / escaping ..."
        return subj, False
    if verb.dep_ in {"acl", "relcl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        return None, False
    return None, False


def _controlled(verb: Token) -> bool:
    """An adverbial clause without a subject of its own, whose subject is the main clause's:
    a participle ("..., escaping an offensive") or a purpose infinitive ("... to escape")."""
    if any(c.dep_ == "mark" for c in verb.children):
        return False
    return verb.tag_ == "VBG" or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _left_fallback(verb: Token) -> Token | None:
    """Nearest noun to the left in the same clause, for clauses the parser split wrongly."""
    sent = verb.sent
    for tok in reversed(list(sent[: verb.i - sent.start])):
        if tok.lower_ in {"that", ",", ";"} or tok.dep_ == "mark":
            break
        if tok.pos_ in {"NOUN", "PROPN", "PRON"} and tok.dep_ not in {"compound", "poss", "amod"}:
            return tok
    return None


def _agent_phrase(verb: Token) -> Token | None:
    """The object of the verb's "by" agent; shared along coordinated verbs ("was shot and
    killed by gunmen")."""
    for c in verb.children:
        if c.dep_ == "agent":
            return _pobj(c)
    for c in verb.children:
        if c.dep_ == "conj" and c.tag_ == "VBN":
            for cc in c.children:
                if cc.dep_ == "agent":
                    return _pobj(cc)
    if verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head.tag_ == "VBN":
        for c in verb.head.children:
            if c.dep_ == "agent":
                return _pobj(c)
    return None


def prep_object(tok: Token, preps: set[str]) -> Token | None:
    """The object of the first of ``tok``'s prepositions in ``preps`` ("clashed *with* X")."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            obj = _pobj(c)
            if obj is not None:
                return obj
    return None


def _associate(agent: Token | None) -> Token | None:
    if agent is None:
        return None
    for c in agent.children:
        if c.dep_ == "acl" and c.lemma_.lower() in {"back", "support", "aid", "assist"}:
            return _agent_phrase(c)
    return None


def verb_roles(trigger: Trigger) -> Roles:
    verb = trigger.token
    roles = Roles()
    subject, passive = verb_subject(verb)
    lemma = verb.lemma_.lower()
    if verb.dep_ == "amod" and verb.tag_ == "VBN":
        # "displaced people": a past participle describes who underwent the event.
        roles.patient = verb.head
        roles.agent = _agent_phrase(verb)
    elif verb.dep_ == "amod":
        # "aircraft are pounding villages" parsed with the verb as an adjective of its object.
        roles.patient = verb.head
        roles.agent = subject or _left_fallback(verb)
    elif verb.dep_ == "acl" and subject is None:
        noun = verb.head
        if verb.tag_ == "VBN":
            roles.patient = noun
            roles.agent = _agent_phrase(verb)
        else:
            roles.agent = noun
    elif passive:
        roles.patient = subject
        roles.agent = _agent_phrase(verb)
    elif verb.tag_ == "VBN" and any(c.dep_ == "agent" for c in verb.children):
        # A participle clause with its own agent: "..., killed by an unknown armed group".
        roles.agent = _agent_phrase(verb)
        objs = _children(verb, "dobj")
        roles.patient = objs[0] if objs else None
        passive = True
    else:
        roles.agent = subject
        objs = _children(verb, "dobj")
        roles.patient = objs[0] if objs else None
    if lemma in _SUBJECT_IS_PATIENT and not passive:
        roles.patient, roles.agent = roles.agent, prep_object(verb, {"by", "due", "because"})
        roles.associate = None
        return roles
    if roles.patient is None:
        roles.patient = prep_object(verb, _PATIENT_PREPS)
    if roles.patient is None and trigger.category in {"AID", "REQUEST", "THREATEN"}:
        roles.patient = prep_object(verb, _RECIPIENT_PREPS)
    if roles.agent is None and not passive and verb.dep_ not in {"acl", "amod"}:
        roles.agent = _left_fallback(verb) if verb.dep_ == "ROOT" else None
    roles.associate = _associate(roles.agent)
    return roles


def noun_roles(trigger: Trigger) -> Roles:
    noun, anchor = trigger.token, trigger.anchor
    roles = Roles()
    poss = _children(noun, "poss")
    if poss:
        roles.agent = poss[0]
    if roles.agent is None and anchor != noun:
        subject, passive = verb_subject(anchor)
        if noun.dep_ in _NOMINAL_SUBJECT_ROLES:
            subject = None
        elif passive:
            subject = _agent_phrase(anchor)
        roles.agent = subject
    if roles.agent is None:
        for c in noun.children:
            if c.dep_ == "acl":
                roles.agent = _agent_phrase(c)
    if roles.agent is None:
        demonyms = [c for c in noun.children if c.dep_ in {"amod", "compound"} and c.pos_ in
                    {"ADJ", "PROPN"}]
        if demonyms:
            roles.agent = noun
            roles.agent_is_modifier = True
    roles.patient = prep_object(noun, _PATIENT_PREPS | {"of"} if noun.lemma_.lower() in
                                 {"bombing", "shelling", "bombardment"} else _PATIENT_PREPS)
    if roles.patient is None:
        roles.patient = prep_object(noun, _RECIPIENT_PREPS)
    if roles.patient is None and anchor != noun:
        roles.patient = prep_object(anchor, _PATIENT_PREPS | {"to"})
    roles.associate = _associate(roles.agent)
    return roles


def find_roles(trigger: Trigger) -> Roles:
    roles = verb_roles(trigger) if trigger.token.pos_ == "VERB" else noun_roles(trigger)
    return _sensible(roles, trigger)


@cache
def _role_rules() -> dict[str, Any]:
    path = resources.files("tocsin.data.actors").joinpath("context.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    responders = data.get("responders", {})
    return {
        "not_actors": frozenset(data.get("not_actors", {}).get("words", ())),
        "responders": frozenset(w.lower() for w in responders.get("words", ())),
        "attacks": frozenset(responders.get("categories", ())),
    }


def names_nobody(head: Token) -> bool:
    """A pronoun of the writer or reader, or a bare quantifier ("us all", "we", "many")."""
    if head.lower_ not in _role_rules()["not_actors"]:
        return False
    return head.text != "US" and not any(c.dep_ == "prep" and c.lower_ == "of"
                                         for c in head.children)  # "many of the rebels"


def is_responder(head: Token) -> bool:
    """Rescuers and medics: the head's lemma, or a responder phrase ending at the head."""
    words = _role_rules()["responders"]
    if head.lemma_.lower() in words or head.lower_ in words:
        return True
    left = [t for t in head.subtree if t.i <= head.i and t.dep_ in ("compound", "amod")]
    for start in left:
        phrase = head.doc[start.i : head.i + 1]
        if phrase.text.lower() in words or " ".join(
                t.lemma_.lower() for t in phrase) in words:
            return True
        if phrase[:-1].text.lower() in words:  # "Civil Defence rescuers", "Red Crescent teams"
            return True
    return False


def _named_by_trigger(patient: Token, trigger: Trigger) -> bool:
    """The trigger's own argument: its object or passive subject, or the object of its own
    preposition ("an attack on paramedics")."""
    token = trigger.token
    return patient.head == token or (patient.head.head == token and patient.dep_ == "pobj")


def _sensible(roles: Roles, trigger: Trigger) -> Roles:
    if roles.agent is not None and names_nobody(roles.agent):
        roles.agent, roles.agent_is_modifier, roles.associate = None, False, None
    if roles.patient is not None and names_nobody(roles.patient):
        roles.patient = None
    if trigger.category in _role_rules()["attacks"]:
        if roles.agent is not None and not roles.agent_is_modifier and \
                is_responder(roles.agent):
            roles.agent, roles.associate = None, None
        if roles.patient is not None and is_responder(roles.patient) and \
                not _named_by_trigger(roles.patient, trigger):
            roles.patient = None
    return roles


def speaker_of(token: Token) -> Token | None:
    """The subject of the nearest speech verb governing ``token`` ("He stressed that ...")."""
    node = token
    while node.head != node:
        node = node.head
        if node.lemma_.lower() in {"say", "stress", "tell", "state", "add", "announce"}:
            subj = _children(node, "nsubj")
            return subj[0] if subj else None
    return None


def protest_target(trigger: Token) -> Token | None:
    """An institution the protest was held at ("next to the Russian Consulate")."""
    for tok in trigger.subtree:
        if tok.dep_ == "pobj" and tok.head.lower_ in {"to", "at", "outside", "near", "before"}:
            if tok.lemma_.lower() in {"consulate", "embassy", "ministry", "parliament",
                                      "office", "headquarters", "palace"}:
                return tok
    return None
