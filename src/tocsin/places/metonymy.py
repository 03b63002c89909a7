"""Metonymy: places that stand for an actor rather than a location.

A country or capital that is the subject of a verb of saying, deciding or acting ("Ankara aims
to ...", "Moscow said") or that owns an actor noun ("Russia's bombing", "Turkey's government")
stands for its government; one that only qualifies a currency ("the US dollar") names no
place. An adjectival demonym ("Russian aircraft", "the Turkish government") names an actor's
affiliation, not where something happened. All keep their resolution and are marked
``metonym`` so that event location never picks them. Words are in ``metonymy.toml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tocsin.places.recognise import DEMONYM, Mention
from tocsin.places.resolution_rules import MetonymyRules, metonymy_rules

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}


def _actor_like(entry: Any, precision: str, rules: MetonymyRules) -> bool:
    return precision in rules.actor_precisions or entry.feature_code in rules.actor_codes


def _head_token(parsed: Doc, mention: Mention) -> Token | None:
    if mention.token_start >= mention.token_end or mention.token_end > len(parsed):
        return None
    span = parsed[mention.token_start : mention.token_end]
    return span.root


def is_metonym(parsed: Doc | None, mention: Mention, entry: Any, precision: str) -> bool:
    """True when the mention names an actor (government, affiliation), not a location."""
    if mention.kind == DEMONYM:
        return True
    if parsed is None or entry is None:
        return False
    rules = metonymy_rules()
    if not _actor_like(entry, precision, rules):
        return False
    root = _head_token(parsed, mention)
    if root is None:
        return False
    head = root.head
    if root.dep_ in _SUBJECT_DEPS and head.lemma_.casefold() in rules.subject_verbs:
        return True
    if root.dep_ in _SUBJECT_DEPS and head.pos_ == "AUX":
        # "Ankara is expected to", "Moscow has said": look at the verb the auxiliary heads
        verbs = [t for t in head.children if t.pos_ == "VERB"]
        return any(v.lemma_.casefold() in rules.subject_verbs for v in verbs)
    if root.dep_ == "poss" and head.lemma_.casefold() in rules.possessed_nouns:
        return True
    if root.dep_ in {"compound", "amod"}:
        # "the US dollar", "the US dollar exchange rate": a currency, no place
        words = {head.lemma_.casefold(), *(t.lemma_.casefold() for t in head.children
                                           if t.dep_ == "compound")}
        return bool(words & rules.modified_nouns)
    return False
