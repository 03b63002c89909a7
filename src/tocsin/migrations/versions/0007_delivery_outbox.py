"""Alert deliveries become an outbox: rows are written "pending" with the alert, and carry when
they may be tried next and when they last changed.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    # SQLite cannot add a column whose default is CURRENT_TIMESTAMP in place: copy the table.
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("alert_deliveries", recreate="always" if sqlite else "auto") as batch:
        batch.add_column(sa.Column("next_attempt_at", WHEN, nullable=True))
        batch.add_column(sa.Column("updated_at", WHEN, server_default=sa.func.current_timestamp(),
                                   nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM alert_deliveries WHERE state = 'pending'")
    with op.batch_alter_table("alert_deliveries") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("next_attempt_at")
