"""Initial schema: documents with their sentences, entities, places and event mentions;
fused events and their mention links; failures. On PostgreSQL, PostGIS and places.geom.

Revision ID: 0001
Revises:
Create Date: 2026-05-20
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)
LONG_ID = sa.String(96)
CODE = sa.String(64)
COUNTRY = sa.String(3)
NOW = sa.text("CURRENT_TIMESTAMP")


def _document_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["document_id"],
        ["documents.id"],
        name=f"fk_{table}_document_id_documents",
        ondelete="CASCADE",
    )


def _postgis_upgrade() -> None:
    bind = op.get_bind()
    installed = bind.execute(
        sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
    ).scalar()
    if not installed:
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute(
        "ALTER TABLE places ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS ("
        "CASE WHEN lon IS NULL OR lat IS NULL THEN NULL"
        " ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED"
    )
    op.execute("CREATE INDEX ix_places_geom ON places USING GIST (geom)")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", ID, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("locator", sa.Text(), nullable=False),
        sa.Column("format", CODE, nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("status", CODE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_index("ix_documents_locator", "documents", ["locator"])
    op.create_index("ix_documents_published", "documents", ["published"])

    op.create_table(
        "sentences",
        sa.Column("document_id", ID, nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _document_fk("sentences"),
        sa.PrimaryKeyConstraint("document_id", "index", name="pk_sentences"),
    )

    op.create_table(
        "entities",
        sa.Column("document_id", ID, nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", CODE, nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Integer(), nullable=False),
        _document_fk("entities"),
        sa.PrimaryKeyConstraint("document_id", "idx", name="pk_entities"),
    )

    op.create_table(
        "places",
        sa.Column("document_id", ID, nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("geonameid", sa.Integer(), nullable=True),
        sa.Column("country", COUNTRY, nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("precision", CODE, nullable=True),
        sa.Column("metonym", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        _document_fk("places"),
        sa.PrimaryKeyConstraint("document_id", "idx", name="pk_places"),
    )
    op.create_index("ix_places_country", "places", ["country"])
    op.create_index("ix_places_geonameid", "places", ["geonameid"])

    op.create_table(
        "event_mentions",
        sa.Column("id", LONG_ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("event", CODE, nullable=False),
        sa.Column("mode", CODE, nullable=True),
        sa.Column("acled_type", sa.Text(), nullable=True),
        sa.Column("acled_sub_type", sa.Text(), nullable=True),
        sa.Column("actor1_text", sa.Text(), nullable=True),
        sa.Column("actor1_country", COUNTRY, nullable=True),
        sa.Column("actor1_sector", CODE, nullable=True),
        sa.Column("actor1_group", sa.Text(), nullable=True),
        sa.Column("actor2_text", sa.Text(), nullable=True),
        sa.Column("actor2_country", COUNTRY, nullable=True),
        sa.Column("actor2_sector", CODE, nullable=True),
        sa.Column("actor2_group", sa.Text(), nullable=True),
        sa.Column("location_place_idx", sa.Integer(), nullable=True),
        sa.Column("location_text", sa.Text(), nullable=True),
        sa.Column("location_start", sa.Integer(), nullable=True),
        sa.Column("location_end", sa.Integer(), nullable=True),
        sa.Column("location_sentence", sa.Integer(), nullable=True),
        sa.Column("location_name", sa.Text(), nullable=True),
        sa.Column("location_geonameid", sa.Integer(), nullable=True),
        sa.Column("location_country", COUNTRY, nullable=True),
        sa.Column("location_admin1", sa.Text(), nullable=True),
        sa.Column("location_lat", sa.Float(), nullable=True),
        sa.Column("location_lon", sa.Float(), nullable=True),
        sa.Column("location_precision", CODE, nullable=True),
        sa.Column("location_metonym", sa.Boolean(), nullable=True),
        sa.Column("location_score", sa.Float(), nullable=True),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("date_precision", CODE, nullable=True),
        sa.Column("killed", sa.Integer(), nullable=True),
        sa.Column("injured", sa.Integer(), nullable=True),
        sa.Column("displaced", sa.Integer(), nullable=True),
        sa.Column("arrested", sa.Integer(), nullable=True),
        sa.Column("abducted", sa.Integer(), nullable=True),
        sa.Column("count_qualifier", sa.Text(), nullable=True),
        sa.Column("count_unit", CODE, nullable=True),
        sa.Column("modality", CODE, nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("claim_source", sa.Text(), nullable=True),
        sa.Column("trigger", sa.Text(), nullable=True),
        sa.Column("evidence_sentence", sa.Text(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "confidence >= 0 AND confidence <= 1",
            name="ck_event_mentions_confidence_range",
        ),
        sa.CheckConstraint(
            "(killed IS NULL OR killed >= 0) AND (injured IS NULL OR injured >= 0)"
            " AND (displaced IS NULL OR displaced >= 0) AND (arrested IS NULL OR arrested >= 0)"
            " AND (abducted IS NULL OR abducted >= 0)",
            name="ck_event_mentions_counts_not_negative",
        ),
        _document_fk("event_mentions"),
        sa.PrimaryKeyConstraint("id", name="pk_event_mentions"),
    )
    op.create_index(
        "ix_event_mentions_document_id_idx", "event_mentions", ["document_id", "idx"], unique=True
    )
    op.create_index("ix_event_mentions_event", "event_mentions", ["event"])
    op.create_index("ix_event_mentions_location_country", "event_mentions", ["location_country"])
    op.create_index("ix_event_mentions_date_start", "event_mentions", ["date_start"])
    op.create_index("ix_event_mentions_modality", "event_mentions", ["modality"])

    op.create_table(
        "events",
        sa.Column("id", LONG_ID, nullable=False),
        sa.Column("event", CODE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_event", "events", ["event"])

    op.create_table(
        "event_mention_links",
        sa.Column("event_id", LONG_ID, nullable=False),
        sa.Column("mention_id", LONG_ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name="fk_event_mention_links_event_id_events",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["event_mentions.id"],
            name="fk_event_mention_links_mention_id_event_mentions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "mention_id", name="pk_event_mention_links"),
    )
    op.create_index(
        "ix_event_mention_links_mention_id", "event_mention_links", ["mention_id"]
    )

    op.create_table(
        "failures",
        sa.Column("locator", sa.Text(), nullable=False),
        sa.Column("stage", CODE, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document_id", ID, nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("locator", name="pk_failures"),
    )

    if op.get_bind().dialect.name == "postgresql":
        _postgis_upgrade()


def downgrade() -> None:
    for table in (
        "failures",
        "event_mention_links",
        "events",
        "event_mentions",
        "places",
        "entities",
        "sentences",
        "documents",
    ):
        op.drop_table(table)
