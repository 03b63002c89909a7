"""The Event tables and the fusion state in the store: SQL only, no fusion logic.

``tocsin.incremental_fusion`` decides what to fuse and how; this module reads and writes what it
needs: the mentions no fusion has seen yet (``pending_mention_ids``), each mention's component
(``fusion_mentions``), the mentions of stored Events, and the fused Events themselves
(``store_events``: only rows that really change are written, ``events.updated_at`` says when
each row last changed, and an id that re-fusion retires is kept in ``event_aliases``).
Writes happen in ``fusion_transaction``, which no other fusion runs alongside.
"""

from __future__ import annotations

import datetime as dt
import json
import struct
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, text, update

from tocsin.records import Event
from tocsin.store.database import Database
from tocsin.store.engine import WRITE_OPTION
from tocsin.store.event_rows import comparable, event_row, read_events
from tocsin.store.fusion_tables import (
    CorrectionRow,
    DocumentFingerprintRow,
    EventAliasRow,
    FusionBlockRow,
    FusionMentionRow,
)
from tocsin.store.models import DocumentRow, EventMentionLink, EventRow, MentionRow

events: Table = EventRow.__table__  # type: ignore[assignment]
links: Table = EventMentionLink.__table__  # type: ignore[assignment]
event_mentions: Table = MentionRow.__table__  # type: ignore[assignment]
documents: Table = DocumentRow.__table__  # type: ignore[assignment]
corrections_table: Table = CorrectionRow.__table__  # type: ignore[assignment]
fusion_mentions: Table = FusionMentionRow.__table__  # type: ignore[assignment]
fusion_blocks: Table = FusionBlockRow.__table__  # type: ignore[assignment]
fingerprints: Table = DocumentFingerprintRow.__table__  # type: ignore[assignment]
aliases: Table = EventAliasRow.__table__  # type: ignore[assignment]

_ID_CHUNK = 500
_INSERT_CHUNK = 5_000
# Key of the PostgreSQL advisory lock that serialises fusion runs (an arbitrary constant).
_FUSION_LOCK = 7_106_330_154


@contextmanager
def fusion_transaction(database: Database) -> Iterator[Connection]:
    """One write transaction that no other fusion runs alongside."""
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _FUSION_LOCK})
            yield connection


def chunks(values: Sequence[Any], size: int = _ID_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def select_in(
    connection: Connection, query: Any, column: Any, values: Iterable[Any]
) -> list[Any]:
    found: list[Any] = []
    ordered = sorted(set(values))
    for chunk in chunks(ordered):
        found.extend(connection.execute(query.where(column.in_(chunk))).all())
    return found


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    for chunk in chunks(rows, _INSERT_CHUNK):
        connection.execute(insert(table), list(chunk))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def store_events(
    connection: Connection, scope_ids: set[str], fused: list[Event]
) -> tuple[int, int]:
    """Replace the Events of the mentions ``scope_ids`` (whole components) by ``fused``, the
    Events fusing exactly those mentions gave; return the rows written and the rows removed."""
    new_by_id = {e.id: e for e in fused}

    old_links = select_in(
        connection, select(links.c.event_id, links.c.mention_id), links.c.mention_id, scope_ids
    )
    old_members: dict[str, set[str]] = {}
    for event_id, mention_id in old_links:
        old_members.setdefault(event_id, set()).add(mention_id)
    old_rows = {
        r.id: comparable(r._mapping)
        for r in select_in(
            connection, select(events), events.c.id, set(old_members) | set(new_by_id)
        )
    }

    now = _now()
    written = 0
    fresh: list[dict[str, Any]] = []
    for event in fused:
        row = event_row(event)
        existing = old_rows.get(event.id)
        if existing == comparable(row):
            continue
        written += 1
        if existing is None:
            fresh.append({**row, "updated_at": now})
        else:
            values = {k: v for k, v in row.items() if k != "id"}
            connection.execute(
                update(events).where(events.c.id == event.id).values(**values, updated_at=now)
            )
    insert_rows(connection, events, fresh)

    removed = sorted(set(old_members) - set(new_by_id))
    if removed:
        holder = {m: e.id for e in fused for m in (r.mention for r in e.mentions)}
        for old_id in removed:
            votes = Counter(holder[m] for m in old_members[old_id] if m in holder)
            target = min(votes, key=lambda e: (-votes[e], e)) if votes else None
            connection.execute(delete(aliases).where(aliases.c.alias == old_id))
            if target is not None:
                connection.execute(
                    update(aliases).where(aliases.c.event_id == old_id).values(event_id=target)
                )
                connection.execute(insert(aliases).values(alias=old_id, event_id=target))
        for chunk in chunks(removed):
            connection.execute(delete(links).where(links.c.event_id.in_(chunk)))
            connection.execute(delete(events).where(events.c.id.in_(chunk)))
    for chunk in chunks(sorted(new_by_id)):
        connection.execute(delete(aliases).where(aliases.c.alias.in_(chunk)))

    old_pairs = {(e, m) for e, m in old_links}
    new_pairs = {(e.id, r.mention) for e in fused for r in e.mentions}
    stale = old_pairs - new_pairs
    for event_id, mention_id in sorted(stale):
        if event_id in new_by_id:
            connection.execute(
                delete(links).where(
                    (links.c.event_id == event_id) & (links.c.mention_id == mention_id)
                )
            )
    insert_rows(
        connection,
        links,
        [{"event_id": e, "mention_id": m} for e, m in sorted(new_pairs - old_pairs)],
    )
    return written, len(removed)


def write_components(
    connection: Connection, components: dict[str, str], known: dict[str, str]
) -> None:
    """Store each mention's component; ``known`` holds the components already stored."""
    fresh = [{"mention_id": m, "component": c} for m, c in components.items() if m not in known]
    insert_rows(connection, fusion_mentions, fresh)
    changed: dict[str, list[str]] = {}
    for m, c in components.items():
        if m in known and known[m] != c:
            changed.setdefault(c, []).append(m)
    for component, members in changed.items():
        for chunk in chunks(members):
            connection.execute(
                update(fusion_mentions)
                .where(fusion_mentions.c.mention_id.in_(chunk))
                .values(component=component)
            )


def stored_components(connection: Connection, mention_ids: Iterable[str]) -> dict[str, str]:
    query = select(fusion_mentions.c.mention_id, fusion_mentions.c.component)
    return dict(select_in(connection, query, fusion_mentions.c.mention_id, mention_ids))


def component_members(connection: Connection, components: Iterable[str]) -> set[str]:
    query = select(fusion_mentions.c.mention_id)
    return {r[0] for r in select_in(connection, query, fusion_mentions.c.component, components)}


def event_members(connection: Connection, mention_ids: Iterable[str]) -> set[str]:
    """Every mention of the Events that hold ``mention_ids``."""
    held = select_in(connection, select(links.c.event_id), links.c.mention_id, mention_ids)
    query = select(links.c.mention_id)
    return {r[0] for r in select_in(connection, query, links.c.event_id, {h[0] for h in held})}


def stored_links(database: Database, mention_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(event id, mention id) of the stored Events holding ``mention_ids``."""
    with database.engine.connect() as connection:
        query = select(links.c.event_id, links.c.mention_id)
        return [(e, m) for e, m in select_in(connection, query, links.c.mention_id, mention_ids)]


def resolve_event_id(connection: Connection, event_id: str) -> str | None:
    if connection.scalar(select(events.c.id).where(events.c.id == event_id)) is not None:
        return event_id
    return connection.scalar(select(aliases.c.event_id).where(aliases.c.alias == event_id))


def stored_event(connection: Connection, event_id: str) -> Event:
    found = resolve_event_id(connection, event_id)
    if found is None:
        raise KeyError(f"no event {event_id}")
    row = connection.execute(select(events).where(events.c.id == found)).mappings().one()
    return read_events(connection, [row])[0]


def events_holding(connection: Connection, mention_ids: Iterable[str]) -> list[Event]:
    held = select_in(connection, select(links.c.event_id), links.c.mention_id, mention_ids)
    rows = select_in(connection, select(events), events.c.id, {h[0] for h in held})
    ordered = sorted((r._mapping for r in rows), key=lambda r: r["id"])
    return read_events(connection, ordered)


def pending_mention_ids(connection: Connection) -> list[str]:
    query = (
        select(event_mentions.c.id)
        .outerjoin(fusion_mentions, fusion_mentions.c.mention_id == event_mentions.c.id)
        .where(fusion_mentions.c.mention_id.is_(None))
    )
    return list(connection.scalars(query))


# -- fusion inputs and state ------------------------------------------------------------------


def pack_minhash(values: Sequence[int]) -> bytes:
    """A document's MinHash as stored (``document_fingerprints.minhash``)."""
    return struct.pack(f"<{len(values)}I", *values)


def unpack_minhash(data: bytes | None) -> tuple[int, ...] | None:
    if data is None:
        return None
    return struct.unpack(f"<{len(data) // 4}I", data)


def documents_without_fingerprint(
    connection: Connection, document_ids: Iterable[str]
) -> list[tuple[str, str]]:
    """(id, text) of the documents among ``document_ids`` that have no stored MinHash."""
    wanted = set(document_ids)
    query = select(fingerprints.c.document_id)
    known = {r[0] for r in select_in(connection, query, fingerprints.c.document_id, wanted)}
    missing = wanted - known
    if not missing:
        return []
    query = select(documents.c.id, documents.c.text)
    return [(r.id, r.text) for r in select_in(connection, query, documents.c.id, missing)]


def store_fingerprints(connection: Connection, minhashes: dict[str, Sequence[int]]) -> None:
    """Store the MinHash of each document id."""
    rows = [{"document_id": d, "minhash": pack_minhash(m)} for d, m in minhashes.items()]
    insert_rows(connection, fingerprints, rows)


def mention_rows(connection: Connection, mention_ids: Iterable[str]) -> list[Any]:
    """The stored mentions ``mention_ids`` with their document's source, url, publication date
    and MinHash (``document_source``, ``document_url``, ``document_published``,
    ``document_minhash``)."""
    query = (
        select(
            event_mentions,
            documents.c.source.label("document_source"),
            documents.c.url.label("document_url"),
            documents.c.published.label("document_published"),
            fingerprints.c.minhash.label("document_minhash"),
        )
        .join(documents, documents.c.id == event_mentions.c.document_id)
        .outerjoin(fingerprints, fingerprints.c.document_id == event_mentions.c.document_id)
    )
    return select_in(connection, query, event_mentions.c.id, mention_ids)


def mentions_in_blocks(connection: Connection, blocks: Iterable[str]) -> set[str]:
    """The mentions filed under any of ``blocks``."""
    query = select(fusion_blocks.c.mention_id)
    return {r[0] for r in select_in(connection, query, fusion_blocks.c.block, blocks)}


def file_in_blocks(connection: Connection, rows: list[dict[str, str]]) -> None:
    """File mentions under blocks (rows of ``block`` and ``mention_id``)."""
    insert_rows(connection, fusion_blocks, rows)


def forget_fusion_state(connection: Connection) -> None:
    """Drop every mention's blocks and component, so the next fusion sees all as new."""
    connection.execute(delete(fusion_blocks))
    connection.execute(delete(fusion_mentions))


def correction_rows(connection: Connection) -> list[Any]:
    """The recorded corrections (``kind``, ``mentions`` and ``rest`` as JSON, ``note``),
    oldest first."""
    query = select(corrections_table).order_by(corrections_table.c.id)
    return list(connection.execute(query))


def record_correction(
    connection: Connection,
    kind: str,
    mentions: Sequence[str],
    rest: Sequence[str] | None,
    note: str | None,
) -> None:
    """Record a ``split`` (``mentions`` out of ``rest``) or a ``merge`` of ``mentions``."""
    connection.execute(
        insert(corrections_table).values(
            kind=kind,
            mentions=json.dumps(list(mentions)),
            rest=json.dumps(list(rest)) if rest is not None else None,
            note=note,
        )
    )
