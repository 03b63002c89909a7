"""Which event of a sentence a figure belongs to: the one whose clause states it.

A figure is an event's count when its clause is the event's own statement or extends it
("An airstrike hit a market, *killing 12 people*"), or when its clause is a statement of its
own that reports no other kind of event ("A bomb went off and 12 people were killed"). A figure
in a clause that reports another kind of event ("... and hundreds of thousands have fled") is
that event's, not the first one's; a figure of a cumulative total (``totals``) is no event's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin.mentions.count_clauses import cue_verb, statement_head

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from spacy.tokens import Span

    from tocsin.mentions.count_mention import CountMention
    from tocsin.mentions.typing.triggers import Trigger


def own_counts(sentence: Span, mentions: Sequence[CountMention], trigger: Trigger,
               triggers: Sequence[Trigger], total_tokens: Collection[int] = ()) -> \
        list[CountMention]:
    """The figures of ``mentions`` (one sentence's) that belong to ``trigger``'s event;
    ``triggers`` are every event word of the sentence, ``total_tokens`` the words of its
    cumulative totals."""
    doc = sentence.doc
    categories: dict[int, set[str]] = {}
    for other in triggers:
        categories.setdefault(statement_head(other.anchor).i, set()).add(other.category)
    own = statement_head(trigger.anchor).i
    kept = []
    for mention in mentions:
        if mention.token in total_tokens:
            continue
        statement = statement_head(cue_verb(doc[mention.token], mention)).i
        if statement == own:
            kept.append(mention)
            continue
        stated = categories.get(statement, set())
        if not stated or trigger.category in stated:
            kept.append(mention)
    return kept
