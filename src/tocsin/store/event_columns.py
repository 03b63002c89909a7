"""The columns of a fused Event in the ``events`` table, as a mixin for ``EventRow``.

Every field of ``tocsin.records.Event`` except its mentions (``event_mention_links``) is a column,
so queries filter and sort without reading JSON: type, mode, ACLED type and sub-type, both actors,
the place (all of ``Place``'s fields, prefixed ``location_``), the date window, the counts, the
modality, confidence, independent sources and number of reports. ``count_reports`` (every
source's figure) and ``count_upper`` (unconfirmed upper claims per count) are JSON text.
Indexed for the query filters: country, admin1, date, coordinates, modality. On PostgreSQL
migration 0002 also adds ``events.geom`` (PostGIS point, GiST index), left out of the models
like ``places.geom``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

CODE = String(64)
COUNTRY = String(3)
# Migration 0006 creates the same index.
LISTING_COLUMNS = (
    "modality", "date_start", "id", "event", "location_country", "location_admin1", "date_end",
    "sources", "location_lat", "location_lon", "location_geonameid",
)  # fmt: skip
# Migration 0010 creates the same index: one country's listing in order, and its statistics.
COUNTRY_LISTING_COLUMNS = (
    "location_country", "modality", "date_start", "id", "date_end", "event", "location_admin1",
    "sources", "location_lat", "location_lon",
)  # fmt: skip
# Migration 0011 creates the same index: the events of a small box, found by latitude.
SPATIAL_LISTING_COLUMNS = (
    "modality", "location_lat", "location_lon", "date_start", "id", "event",
)  # fmt: skip


class FusedEventColumns:
    """Columns that ``EventRow`` (table ``events``) inherits."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:  # noqa: N805 - SQLAlchemy's declared_attr
        return (
            Index("ix_events_location_lat_location_lon", "location_lat", "location_lon"),
            # Covering index for listing (modality, then the sort order) and the statistics.
            Index("ix_events_listing", *LISTING_COLUMNS),
            Index("ix_events_country_listing", *COUNTRY_LISTING_COLUMNS),
            Index("ix_events_spatial_listing", *SPATIAL_LISTING_COLUMNS),
        )

    mode: Mapped[str | None] = mapped_column(CODE)
    acled_type: Mapped[str | None] = mapped_column(Text)
    acled_sub_type: Mapped[str | None] = mapped_column(Text)

    actor1_text: Mapped[str | None] = mapped_column(Text)
    actor1_country: Mapped[str | None] = mapped_column(COUNTRY)
    actor1_sector: Mapped[str | None] = mapped_column(CODE)
    actor1_group: Mapped[str | None] = mapped_column(Text)
    actor2_text: Mapped[str | None] = mapped_column(Text)
    actor2_country: Mapped[str | None] = mapped_column(COUNTRY)
    actor2_sector: Mapped[str | None] = mapped_column(CODE)
    actor2_group: Mapped[str | None] = mapped_column(Text)

    location_text: Mapped[str | None] = mapped_column(Text)
    location_start: Mapped[int | None] = mapped_column(Integer)
    location_end: Mapped[int | None] = mapped_column(Integer)
    location_sentence: Mapped[int | None] = mapped_column(Integer)
    location_name: Mapped[str | None] = mapped_column(Text)
    location_geonameid: Mapped[int | None] = mapped_column(Integer)
    location_country: Mapped[str | None] = mapped_column(COUNTRY, index=True)
    location_admin1: Mapped[str | None] = mapped_column(Text, index=True)
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

    modality: Mapped[str] = mapped_column(CODE, index=True, server_default=text("'asserted'"))
    confidence: Mapped[float] = mapped_column(Float, server_default=text("0.5"))
    sources: Mapped[int] = mapped_column(Integer, index=True, server_default=text("1"))
    reports: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    conflicting_counts: Mapped[bool] = mapped_column(Boolean, server_default=false())
    count_reports: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
