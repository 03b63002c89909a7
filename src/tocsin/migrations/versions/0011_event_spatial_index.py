"""A covering index on ``events`` for a small map view: modality, then latitude and longitude,
then the listing's order (date, id) and the category, so that the events in a box are found
in a band of latitude and sorted, instead of walking the whole record in date order.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPATIAL_COLUMNS = ["modality", "location_lat", "location_lon", "date_start", "id", "event"]


def upgrade() -> None:
    op.create_index("ix_events_spatial_listing", "events", SPATIAL_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_events_spatial_listing", table_name="events")
