"""Tables for fused events, their mention links and analysts' corrections.

Adds the fused Event's columns to ``events`` (see ``tocsin.store.event_columns``) with indexes
for the query filters; creates ``fusion_corrections``, ``fusion_mentions``, ``fusion_blocks``,
``document_fingerprints`` and ``event_aliases`` (``tocsin.store.fusion_tables``). On PostgreSQL,
``events.geom``: a PostGIS point generated from the event's coordinates, with a GiST index.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)
LONG_ID = sa.String(96)
CODE = sa.String(64)
COUNTRY = sa.String(3)
NOW = sa.text("CURRENT_TIMESTAMP")


def _event_columns() -> list[sa.Column]:
    def actor(prefix: str) -> list[sa.Column]:
        return [
            sa.Column(f"{prefix}_text", sa.Text(), nullable=True),
            sa.Column(f"{prefix}_country", COUNTRY, nullable=True),
            sa.Column(f"{prefix}_sector", CODE, nullable=True),
            sa.Column(f"{prefix}_group", sa.Text(), nullable=True),
        ]

    return [
        sa.Column("mode", CODE, nullable=True),
        sa.Column("acled_type", sa.Text(), nullable=True),
        sa.Column("acled_sub_type", sa.Text(), nullable=True),
        *actor("actor1"),
        *actor("actor2"),
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
        sa.Column("modality", CODE, server_default=sa.text("'asserted'"), nullable=False),
        sa.Column("confidence", sa.Float(), server_default=sa.text("0.5"), nullable=False),
        sa.Column("sources", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("reports", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("conflicting_counts", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("count_reports", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
    ]


_EVENT_INDEXES = {
    "ix_events_location_country": ["location_country"],
    "ix_events_location_admin1": ["location_admin1"],
    "ix_events_date_start": ["date_start"],
    "ix_events_modality": ["modality"],
    "ix_events_sources": ["sources"],
    "ix_events_location_lat_location_lon": ["location_lat", "location_lon"],
}


def _mention_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["mention_id"],
        ["event_mentions.id"],
        name=f"fk_{table}_mention_id_event_mentions",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    for column in _event_columns():
        op.add_column("events", column)
    for name, columns in _EVENT_INDEXES.items():
        op.create_index(name, "events", columns)

    op.create_table(
        "fusion_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", CODE, nullable=False),
        sa.Column("mentions", sa.Text(), nullable=False),
        sa.Column("rest", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fusion_corrections"),
    )
    op.create_table(
        "fusion_mentions",
        sa.Column("mention_id", LONG_ID, nullable=False),
        sa.Column("component", LONG_ID, nullable=False),
        _mention_fk("fusion_mentions"),
        sa.PrimaryKeyConstraint("mention_id", name="pk_fusion_mentions"),
    )
    op.create_index("ix_fusion_mentions_component", "fusion_mentions", ["component"])
    op.create_table(
        "fusion_blocks",
        sa.Column("block", sa.String(200), nullable=False),
        sa.Column("mention_id", LONG_ID, nullable=False),
        _mention_fk("fusion_blocks"),
        sa.PrimaryKeyConstraint("block", "mention_id", name="pk_fusion_blocks"),
    )
    op.create_index("ix_fusion_blocks_mention_id", "fusion_blocks", ["mention_id"])
    op.create_table(
        "document_fingerprints",
        sa.Column("document_id", ID, nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name="fk_document_fingerprints_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name="pk_document_fingerprints"),
    )
    op.create_table(
        "event_aliases",
        sa.Column("alias", LONG_ID, nullable=False),
        sa.Column("event_id", LONG_ID, nullable=False),
        sa.PrimaryKeyConstraint("alias", name="pk_event_aliases"),
    )
    op.create_index("ix_event_aliases_event_id", "event_aliases", ["event_id"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE events ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS ("
            "CASE WHEN location_lon IS NULL OR location_lat IS NULL THEN NULL"
            " ELSE ST_SetSRID(ST_MakePoint(location_lon, location_lat), 4326) END) STORED"
        )
        op.execute("CREATE INDEX ix_events_geom ON events USING GIST (geom)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_events_geom")
        op.execute("ALTER TABLE events DROP COLUMN IF EXISTS geom")
    for table in (
        "event_aliases",
        "document_fingerprints",
        "fusion_blocks",
        "fusion_mentions",
        "fusion_corrections",
    ):
        op.drop_table(table)
    for name in _EVENT_INDEXES:
        op.drop_index(name, table_name="events")
    with op.batch_alter_table("events") as batch:
        for column in _event_columns():
            batch.drop_column(column.name)
