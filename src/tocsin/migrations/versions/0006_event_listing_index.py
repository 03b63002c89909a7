"""A covering index on ``events`` for listing and counting: modality, then the sort order (date,
id), then the columns the common filters and the statistics read.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LISTING_COLUMNS = [
    "modality", "date_start", "id", "event", "location_country", "location_admin1", "date_end",
    "sources", "location_lat", "location_lon", "location_geonameid",
]  # fmt: skip


def upgrade() -> None:
    op.create_index("ix_events_listing", "events", LISTING_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_events_listing", table_name="events")
