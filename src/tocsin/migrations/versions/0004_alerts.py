"""Tables for alerts, subscriptions and deliveries.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODE = sa.String(64)
NOW = sa.func.current_timestamp()


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("admin1", sa.Text(), nullable=False),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("concern", CODE, nullable=False),
        sa.Column("status", CODE, nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("resolved", sa.Date(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("observed", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("people_kind", CODE, nullable=False),
        sa.Column("people_observed", sa.Integer(), nullable=False),
        sa.Column("people_expected", sa.Float(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
    )
    op.create_index("ix_alerts_country", "alerts", ["country"])
    op.create_index("ix_alerts_concern", "alerts", ["concern"])
    op.create_index("ix_alerts_status", "alerts", ["status"])
    op.create_index("ix_alerts_start", "alerts", ["start"])

    op.create_table(
        "alert_events",
        sa.Column("alert_id", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(96), nullable=False),
        sa.Column("role", CODE, nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name="fk_alert_events_alert_id_alerts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("alert_id", "event_id", "role", name="pk_alert_events"),
    )
    op.create_index("ix_alert_events_event_id", "alert_events", ["event_id"])

    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", CODE, nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("concern", CODE, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
    )
    op.create_index("ix_subscriptions_country", "subscriptions", ["country"])

    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(64), nullable=False),
        sa.Column("alert_status", CODE, nullable=False),
        sa.Column("state", CODE, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name="fk_alert_deliveries_subscription_id_subscriptions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_alert_deliveries"),
    )
    op.create_index(
        "ix_alert_deliveries_subscription_id", "alert_deliveries", ["subscription_id"]
    )
    op.create_index("ix_alert_deliveries_alert_id", "alert_deliveries", ["alert_id"])
    op.create_index("ix_alert_deliveries_state", "alert_deliveries", ["state"])
    op.create_index(
        "ix_alert_deliveries_once",
        "alert_deliveries",
        ["subscription_id", "alert_id", "alert_status"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("alert_deliveries")
    op.drop_table("subscriptions")
    op.drop_table("alert_events")
    op.drop_table("alerts")
