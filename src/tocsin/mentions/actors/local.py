"""ACLED's convention for an acting side that names no country: a crowd that protests, or an
armed group nobody names, takes the country of its event's place ("Protesters (Lebanon)",
"Unidentified Armed Group (Syria)"); the categories and sectors are context.toml's [local]."""

from __future__ import annotations

from collections.abc import Iterable

from tocsin.mentions.actors.normalise import ActorLexicon
from tocsin.records import Actor, EventMention


def localise_actors(mentions: Iterable[EventMention], lex: ActorLexicon) -> None:
    """Give each mention's countryless, unnamed acting side its event's country, in place. Run
    once every event has its final place."""
    for mention in mentions:
        actor, place = mention.actor1, mention.location
        if actor is not None and actor.country is None and actor.group is None \
                and place is not None and place.country \
                and lex.is_local(mention.event, actor.sector):
            mention.actor1 = Actor(actor.text, place.country, actor.sector, actor.group)
