"""Tables for watched feeds and their state.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "watch_feeds",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("last_polled_at", WHEN, nullable=True),
        sa.Column("last_success_at", WHEN, nullable=True),
        sa.Column("last_error_at", WHEN, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_poll_at", WHEN, nullable=True),
        sa.Column("items_processed", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("url", name="pk_watch_feeds"),
    )
    op.create_table(
        "watch_items",
        sa.Column("feed_url", sa.Text(), nullable=False),
        sa.Column("item_key", sa.String(64), nullable=False),
        sa.Column("document_id", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(64), nullable=False),
        sa.Column("handled_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_url"], ["watch_feeds.url"], name="fk_watch_items_feed_url_watch_feeds",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("feed_url", "item_key", name="pk_watch_items"),
    )


def downgrade() -> None:
    op.drop_table("watch_items")
    op.drop_table("watch_feeds")
