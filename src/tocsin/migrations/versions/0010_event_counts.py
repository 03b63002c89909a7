"""Events counted per (modality, category, first day) and per (modality, category, country,
first-level division), kept in step with ``events`` by triggers, so that the statistics of a
whole record (no filter but modality and category) sum a few thousand rows instead of grouping
every event; and a covering index for a country's listing and statistics.

An event without a day counts under day 0001-01-01, one without a country or division under
the empty string (primary keys hold no NULL); ``tocsin.queries`` reads them back as none.
Both tables are filled from the events already stored.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_DAY = "'0001-01-01'"
NO_PLACE = "''"
COUNTRY_COLUMNS = [
    "location_country", "modality", "date_start", "id", "date_end", "event", "location_admin1",
    "sources", "location_lat", "location_lon",
]  # fmt: skip

# Table -> its key columns and the expression of each on an events row ``{p}`` (NEW, OLD, events).
COUNTED = {
    "event_day_counts": {
        "modality": "{p}.modality", "event": "{p}.event",
        "day": "coalesce({p}.date_start, " + NO_DAY + ")",
    },
    "event_place_counts": {
        "modality": "{p}.modality", "event": "{p}.event",
        "country": "coalesce({p}.location_country, " + NO_PLACE + ")",
        "admin1": "coalesce({p}.location_admin1, " + NO_PLACE + ")",
    },
}
WATCHED = {
    "event_day_counts": "modality, event, date_start",
    "event_place_counts": "modality, event, location_country, location_admin1",
}


def _key(table: str, p: str, postgresql: bool) -> dict[str, str]:
    key = {name: value.format(p=p) for name, value in COUNTED[table].items()}
    if postgresql and "day" in key:
        key["day"] = f"coalesce({p}.date_start, DATE {NO_DAY})"
    return key


def _add(table: str, p: str, postgresql: bool) -> str:
    key = _key(table, p, postgresql)
    return (f"INSERT INTO {table} ({', '.join(key)}, events) VALUES ({', '.join(key.values())}, 1)"
            f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET events = {table}.events + 1")


def _take(table: str, p: str, postgresql: bool) -> str:
    key = _key(table, p, postgresql)
    match = " AND ".join(f"{name} = {value}" for name, value in key.items())
    return (f"UPDATE {table} SET events = events - 1 WHERE {match}; "
            f"DELETE FROM {table} WHERE events <= 0 AND {match}")


def _sqlite_triggers(table: str) -> list[str]:
    watched = WATCHED[table]
    return [
        f"CREATE TRIGGER tr_{table}_insert AFTER INSERT ON events "
        f"BEGIN {_add(table, 'NEW', False)}; END",
        f"CREATE TRIGGER tr_{table}_delete AFTER DELETE ON events "
        f"BEGIN {_take(table, 'OLD', False)}; END",
        f"CREATE TRIGGER tr_{table}_update AFTER UPDATE OF {watched} ON events "
        f"BEGIN {_take(table, 'OLD', False)}; {_add(table, 'NEW', False)}; END",
    ]


def _postgresql_triggers(table: str) -> list[str]:
    function = f"""CREATE FUNCTION tocsin_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    {_take(table, 'OLD', True)};
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    {_add(table, 'NEW', True)};
  END IF;
  RETURN NULL;
END $$"""
    return [
        function,
        f"CREATE TRIGGER tr_{table}_insert_delete AFTER INSERT OR DELETE ON events "
        f"FOR EACH ROW EXECUTE FUNCTION tocsin_{table}()",
        f"CREATE TRIGGER tr_{table}_update AFTER UPDATE OF {WATCHED[table]} ON events "
        f"FOR EACH ROW EXECUTE FUNCTION tocsin_{table}()",
    ]


def upgrade() -> None:
    op.create_table(
        "event_day_counts",
        sa.Column("modality", sa.String(64), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("modality", "event", "day", name="pk_event_day_counts"),
    )
    op.create_table(
        "event_place_counts",
        sa.Column("modality", sa.String(64), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("admin1", sa.Text(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("modality", "event", "country", "admin1",
                                name="pk_event_place_counts"),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in COUNTED:
        key = _key(table, "events", postgresql)
        names = ", ".join(key)
        op.execute(f"INSERT INTO {table} ({names}, events) SELECT {', '.join(key.values())}, "
                   f"count(*) FROM events GROUP BY {', '.join(key.values())}")
        for statement in _postgresql_triggers(table) if postgresql else _sqlite_triggers(table):
            op.execute(statement)
    op.create_index("ix_events_country_listing", "events", COUNTRY_COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_events_country_listing", table_name="events")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in COUNTED:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_insert_delete ON events")
            op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_update ON events")
            op.execute(f"DROP FUNCTION IF EXISTS tocsin_{table}()")
        else:
            for name in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_{name}")
        op.drop_table(table)
