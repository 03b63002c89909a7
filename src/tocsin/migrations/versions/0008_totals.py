"""Cumulative totals get a table of their own; event mentions and events keep the upper claim
of a hedged count (``count_upper``, JSON text).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(64)
LONG_ID = sa.String(96)
CODE = sa.String(64)
COUNTRY = sa.String(3)


def upgrade() -> None:
    op.create_table(
        "totals",
        sa.Column("id", LONG_ID, nullable=False),
        sa.Column("document_id", ID, nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("category", CODE, nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("qualifier", sa.Text(), nullable=True),
        sa.Column("unit", CODE, nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("period_precision", CODE, nullable=True),
        sa.Column("period_text", sa.Text(), nullable=True),
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
        sa.Column("claim_source", sa.Text(), nullable=True),
        sa.Column("evidence_sentence", sa.Text(), nullable=False),
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.CheckConstraint("value >= 0", name="ck_totals_value_not_negative"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_totals_document_id_documents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_totals"),
    )
    op.create_index("ix_totals_document_id_idx", "totals", ["document_id", "idx"], unique=True)
    op.create_index("ix_totals_category", "totals", ["category"])
    op.create_index("ix_totals_period_end", "totals", ["period_end"])
    op.create_index("ix_totals_location_country", "totals", ["location_country"])
    op.add_column("event_mentions", sa.Column("count_upper", sa.Text(), nullable=True))
    op.add_column("events", sa.Column("count_upper", sa.Text(), nullable=True))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("events", "event_mentions"):
        with op.batch_alter_table(table, recreate="always" if sqlite else "auto") as batch:
            batch.drop_column("count_upper")
    op.drop_table("totals")
