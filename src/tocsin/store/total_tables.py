"""The ``totals`` table (created by migration 0008): cumulative figures, apart from events.

One row per ``tocsin.records.Total`` of a document, keyed like event mentions
(``f"{document_id}:total:{idx}"``): what was counted, the figure, its period as stated, the
place in full (``location_*``), who states it and the evidence sentence. Fusion and alerts
never read it: a total is no incident.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.store.base import CODE, ID, Base


class TotalRow(Base):
    """A cumulative figure of a document (``tocsin.records.Total``)."""

    __tablename__ = "totals"
    __table_args__ = (
        CheckConstraint("value >= 0", name="value_not_negative"),
        Index("ix_totals_document_id_idx", "document_id", "idx", unique=True),
    )

    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    document_id: Mapped[str] = mapped_column(ID, ForeignKey("documents.id", ondelete="CASCADE"))
    idx: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(CODE, index=True)
    value: Mapped[int] = mapped_column(Integer)
    qualifier: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(CODE)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date, index=True)
    period_precision: Mapped[str | None] = mapped_column(CODE)
    period_text: Mapped[str | None] = mapped_column(Text)

    location_text: Mapped[str | None] = mapped_column(Text)
    location_start: Mapped[int | None] = mapped_column(Integer)
    location_end: Mapped[int | None] = mapped_column(Integer)
    location_sentence: Mapped[int | None] = mapped_column(Integer)
    location_name: Mapped[str | None] = mapped_column(Text)
    location_geonameid: Mapped[int | None] = mapped_column(Integer)
    location_country: Mapped[str | None] = mapped_column(String(3), index=True)
    location_admin1: Mapped[str | None] = mapped_column(Text)
    location_lat: Mapped[float | None] = mapped_column(Float)
    location_lon: Mapped[float | None] = mapped_column(Float)
    location_precision: Mapped[str | None] = mapped_column(CODE)
    location_metonym: Mapped[bool | None] = mapped_column(Boolean)
    location_score: Mapped[float | None] = mapped_column(Float)

    claim_source: Mapped[str | None] = mapped_column(Text)
    evidence_sentence: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
