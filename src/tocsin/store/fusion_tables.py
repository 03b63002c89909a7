"""Tables of the fusion stage (migration 0002): corrections, fusion state, aliases.

- ``fusion_corrections``: analysts' splits and merges, in the order they were made, stored by
  *mention* ids (JSON lists) so they survive re-processing and re-fusion.
- ``fusion_mentions``: one row per fused mention with its *component*: the mentions linked by
  compatible pairs or by corrections. Components are independent of each other, so re-fusing the
  components a new document touches gives the same Events as fusing everything again.
- ``fusion_blocks``: the blocking keys of each mention (modality, country, family, week), to find
  the stored mentions a new one could match.
- ``document_fingerprints``: the MinHash signature of each document's text (near-copy detection).
- ``event_aliases``: ids that Events had before re-fusion changed them, and where they went.

The fused Event's own columns are on ``events`` (``tocsin.store.event_columns``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.store.base import CODE, ID, Base

LONG_ID = String(96)
BLOCK = String(200)


class CorrectionRow(Base):
    """A split or merge (``tocsin.fusion.Split`` / ``Merge``); ``id`` gives the order."""

    __tablename__ = "fusion_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(CODE)  # split or merge
    mentions: Mapped[str] = mapped_column(Text)  # JSON list of mention ids
    rest: Mapped[str | None] = mapped_column(Text)  # split: JSON list of the other mention ids
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class FusionMentionRow(Base):
    """A mention that fusion has seen, and the component it belongs to."""

    __tablename__ = "fusion_mentions"

    mention_id: Mapped[str] = mapped_column(
        LONG_ID, ForeignKey("event_mentions.id", ondelete="CASCADE"), primary_key=True
    )
    component: Mapped[str] = mapped_column(LONG_ID, index=True)


class FusionBlockRow(Base):
    """One blocking key of a mention."""

    __tablename__ = "fusion_blocks"

    block: Mapped[str] = mapped_column(BLOCK, primary_key=True)
    mention_id: Mapped[str] = mapped_column(
        LONG_ID,
        ForeignKey("event_mentions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class DocumentFingerprintRow(Base):
    """The MinHash signature of a document's text, packed as little-endian uint32 values."""

    __tablename__ = "document_fingerprints"

    document_id: Mapped[str] = mapped_column(
        ID, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    minhash: Mapped[bytes] = mapped_column(LargeBinary)


class EventAliasRow(Base):
    """An Event id that re-fusion retired, and the Event that now holds most of its mentions."""

    __tablename__ = "event_aliases"

    alias: Mapped[str] = mapped_column(LONG_ID, primary_key=True)
    event_id: Mapped[str] = mapped_column(LONG_ID, index=True)
