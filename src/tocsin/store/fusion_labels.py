"""The few mention columns that decide which mentions fusion can fuse apart, read without the
mentions themselves: SQL only (``tocsin.distributed.fusion_plan`` turns them into groups).

Each row carries ``event``, ``mode``, ``modality``, ``placed`` (the mention has a place),
``location_country``, ``location_metonym``, ``actor1_country`` and ``actor2_country``, after
the mention's or Event's id when one is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, and_, case, exists, func, literal, or_, select

from tocsin.store.event_store import (
    event_mentions,
    fusion_mentions,
    links,
    select_in,
)

_COLUMNS = (
    event_mentions.c.event,
    event_mentions.c.mode,
    event_mentions.c.modality,
    event_mentions.c.location_text.is_not(None).label("placed"),
    event_mentions.c.location_country,
    event_mentions.c.location_metonym,
    event_mentions.c.actor1_country,
    event_mentions.c.actor2_country,
)
_NOT_FUSED = ~exists().where(fusion_mentions.c.mention_id == event_mentions.c.id)


def distinct_label_rows(connection: Connection) -> list[Any]:
    """The distinct label columns of every stored mention (a few hundred rows, not a row a
    mention)."""
    return list(connection.execute(select(*_COLUMNS).distinct()))


def pending_label_rows(connection: Connection) -> list[Any]:
    """``id`` and label columns of the mentions no fusion has seen yet."""
    return list(connection.execute(select(event_mentions.c.id, *_COLUMNS).where(_NOT_FUSED)))


def label_rows(connection: Connection, mention_ids: Iterable[str]) -> list[Any]:
    """``id`` and label columns of the mentions ``mention_ids``."""
    query = select(event_mentions.c.id, *_COLUMNS)
    return select_in(connection, query, event_mentions.c.id, mention_ids)


def mixed_event_label_rows(
    connection: Connection, family_of: Mapping[str, str], borderless: Iterable[str]
) -> list[Any]:
    """``event_id`` and label columns of the mentions of the stored Events whose mentions may
    not all have the same labels (after a change of the fusion rules, say): another modality,
    another family (``family_of``: category or "category/mode" -> family, a category in none
    being its own), or, outside the ``borderless`` families, another place country or, for a
    mention without one, other actors' countries. A superset: the caller compares labels."""
    m = event_mentions.c
    specific = [
        (and_(m.event == key.split("/", 1)[0], m.mode == key.split("/", 1)[1]), family)
        for key, family in sorted(family_of.items())
        if "/" in key
    ]
    general = [(m.event == key, family) for key, family in sorted(family_of.items())
               if "/" not in key]  # fmt: skip
    family = case(*specific, *general, else_=m.event)
    placed = and_(
        m.location_text.is_not(None),
        m.location_country.is_not(None),
        func.coalesce(m.location_metonym, False).is_(False),
    )
    actors = literal("~") + func.coalesce(m.actor1_country, "") + "," + func.coalesce(
        m.actor2_country, ""
    )
    where = case(
        (family.in_(sorted(borderless)), literal("*")),
        (placed, literal("=") + m.location_country),
        else_=actors,
    )
    differs = or_(*(func.min(x) != func.max(x) for x in (m.modality, family, where)))
    mixed = (
        select(links.c.event_id)
        .join(event_mentions, m.id == links.c.mention_id)
        .group_by(links.c.event_id)
        .having(differs)
    )
    query = (
        select(links.c.event_id, *_COLUMNS)
        .join(event_mentions, m.id == links.c.mention_id)
        .where(links.c.event_id.in_(mixed))
    )
    return list(connection.execute(query))


