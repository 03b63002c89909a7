"""The few mention columns that decide which mentions fusion can fuse apart, read without the
mentions themselves: SQL only (``tocsin.distributed.fusion_plan`` turns them into groups).

Each row carries ``event``, ``mode``, ``modality``, ``placed`` (the mention has a place),
``location_country``, ``location_metonym``, ``actor1_country`` and ``actor2_country``, after
the mention's or Event's id when one is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, exists, func, select

from tocsin.store.event_store import (
    documents,
    event_mentions,
    fingerprints,
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


def mixed_event_label_rows(connection: Connection) -> list[Any]:
    """``event_id`` and the distinct label columns of the stored Events whose mentions do not
    all share the same label columns (after a change of the fusion rules, say)."""
    pairs = (
        select(links.c.event_id, *_COLUMNS)
        .join(event_mentions, event_mentions.c.id == links.c.mention_id)
        .distinct()
        .cte("event_labels")
    )
    mixed = select(pairs.c.event_id).group_by(pairs.c.event_id).having(func.count() > 1)
    return list(connection.execute(select(pairs).where(pairs.c.event_id.in_(mixed))))


def documents_missing_fingerprints(connection: Connection) -> list[tuple[str, str]]:
    """(id, text) of the documents that hold a mention no fusion has seen yet and have no
    stored MinHash."""
    query = (
        select(documents.c.id, documents.c.text)
        .where(~exists().where(fingerprints.c.document_id == documents.c.id))
        .where(
            exists().where(event_mentions.c.document_id == documents.c.id).where(_NOT_FUSED)
        )
    )
    return [(r.id, r.text) for r in connection.execute(query)]
