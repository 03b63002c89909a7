"""The SQL tables Tocsin stores its results in, as SQLAlchemy 2 declarative models.

The tables mirror the records in ``tocsin.records``: one row per document, and one row per
sentence, entity, place and event mention of a document, keyed by the document id and the
item's position in its list. ``events`` holds fused events (extended by the fusion stage);
``event_mention_links`` says which mentions report which event. ``failures`` keeps one row per
input locator that could not be processed.

On PostgreSQL the initial migration also adds ``places.geom``, a PostGIS ``geometry(Point,
4326)`` generated from ``lon``/``lat``; it is deliberately not mapped here so that the same
models serve SQLite.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tocsin.store.base import CODE, ID, Base
from tocsin.store.event_columns import FusedEventColumns


def _document_fk() -> Mapped[str]:
    return mapped_column(ID, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)


class DocumentRow(Base):
    """A stored document (``tocsin.records.Document``)."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    locator: Mapped[str] = mapped_column(Text, index=True)
    format: Mapped[str] = mapped_column(CODE)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(CODE)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )

    sentences: Mapped[list[SentenceRow]] = relationship(
        order_by="SentenceRow.index", viewonly=True
    )
    entities: Mapped[list[EntityRow]] = relationship(
        order_by="EntityRow.idx", viewonly=True
    )
    places: Mapped[list[PlaceRow]] = relationship(
        order_by="PlaceRow.idx", viewonly=True
    )
    mentions: Mapped[list[MentionRow]] = relationship(
        order_by="MentionRow.idx", viewonly=True
    )


class SentenceRow(Base):
    """One sentence of a document (``tocsin.records.Sentence``)."""

    __tablename__ = "sentences"

    document_id: Mapped[str] = _document_fk()
    index: Mapped[int] = mapped_column(Integer, primary_key=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class EntityRow(Base):
    """A named entity of a document (``tocsin.records.Entity``); ``idx`` is its list position."""

    __tablename__ = "entities"

    document_id: Mapped[str] = _document_fk()
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(CODE)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[int] = mapped_column(Integer)


class PlaceRow(Base):
    """A toponym of a document and its resolution (``tocsin.records.Place``)."""

    __tablename__ = "places"

    document_id: Mapped[str] = _document_fk()
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(Text)
    geonameid: Mapped[int | None] = mapped_column(Integer, index=True)
    country: Mapped[str | None] = mapped_column(String(3), index=True)
    admin1: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[str | None] = mapped_column(CODE)
    metonym: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float | None] = mapped_column(Float)


class MentionRow(Base):
    """One event mention (``tocsin.records.EventMention``), flattened into columns.

    ``id`` is ``f"{document_id}:{idx}"``. The location is stored in full (``location_*``) so
    mentions can be filtered by country or mapped without a join; ``location_place_idx`` links
    it to the row of ``places`` it came from, when it is one of the document's places.
    """

    __tablename__ = "event_mentions"
    __table_args__ = (
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
        CheckConstraint(
            "(killed IS NULL OR killed >= 0) AND (injured IS NULL OR injured >= 0)"
            " AND (displaced IS NULL OR displaced >= 0) AND (arrested IS NULL OR arrested >= 0)"
            " AND (abducted IS NULL OR abducted >= 0)",
            name="counts_not_negative",
        ),
        Index("ix_event_mentions_document_id_idx", "document_id", "idx", unique=True),
    )

    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    document_id: Mapped[str] = mapped_column(ID, ForeignKey("documents.id", ondelete="CASCADE"))
    idx: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(CODE, index=True)
    mode: Mapped[str | None] = mapped_column(CODE)
    acled_type: Mapped[str | None] = mapped_column(Text)
    acled_sub_type: Mapped[str | None] = mapped_column(Text)

    actor1_text: Mapped[str | None] = mapped_column(Text)
    actor1_country: Mapped[str | None] = mapped_column(String(3))
    actor1_sector: Mapped[str | None] = mapped_column(CODE)
    actor1_group: Mapped[str | None] = mapped_column(Text)
    actor2_text: Mapped[str | None] = mapped_column(Text)
    actor2_country: Mapped[str | None] = mapped_column(String(3))
    actor2_sector: Mapped[str | None] = mapped_column(CODE)
    actor2_group: Mapped[str | None] = mapped_column(Text)

    location_place_idx: Mapped[int | None] = mapped_column(Integer)
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

    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(CODE)

    killed: Mapped[int | None] = mapped_column(Integer)
    injured: Mapped[int | None] = mapped_column(Integer)
    displaced: Mapped[int | None] = mapped_column(Integer)
    arrested: Mapped[int | None] = mapped_column(Integer)
    abducted: Mapped[int | None] = mapped_column(Integer)
    count_qualifier: Mapped[str | None] = mapped_column(Text)
    count_unit: Mapped[str | None] = mapped_column(CODE)
    count_upper: Mapped[str | None] = mapped_column(Text)  # JSON: unconfirmed upper claims

    modality: Mapped[str] = mapped_column(CODE, index=True)
    confidence: Mapped[float] = mapped_column(Float)
    claim_source: Mapped[str | None] = mapped_column(Text)
    trigger: Mapped[str | None] = mapped_column(Text)
    evidence_sentence: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)


class EventRow(FusedEventColumns, Base):
    """A fused event: the mentions of one real event merged (columns: ``event_columns``)."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(96), primary_key=True)
    event: Mapped[str] = mapped_column(CODE, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class EventMentionLink(Base):
    """Which mention reports which fused event."""

    __tablename__ = "event_mention_links"

    event_id: Mapped[str] = mapped_column(
        String(96), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    mention_id: Mapped[str] = mapped_column(
        String(96),
        ForeignKey("event_mentions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    )


class FailureRow(Base):
    """An input that could not be processed (``tocsin.records.Failure``), one row per locator."""

    __tablename__ = "failures"

    locator: Mapped[str] = mapped_column(Text, primary_key=True)
    stage: Mapped[str] = mapped_column(CODE)
    reason: Mapped[str] = mapped_column(Text)
    document_id: Mapped[str | None] = mapped_column(ID)
    attempts: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
