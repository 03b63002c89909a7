"""Located events counted per map cell (``event_cells``), kept in step with ``events`` by
triggers, so that a wide map view sums cell rows instead of grouping every event.

The cell of an event is (row, column) = floor((lat + 90) / 0.703125), floor((lon + 180) /
0.703125), a latitude of 90 or a longitude of 180 falling in the last cell; each row holds the
count and the coordinate sums of one modality and category in one cell. The table is filled
from the events already stored.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CELL = "0.703125"  # degrees: 90 / 2**7 (tocsin.store.map_cell_tables.CELL_DEGREES)
# The last cell takes a latitude of 90 and a longitude of 180 (tocsin.queries._cell_index).
NORTH, EAST = "89.999999999", "179.999999999"

SQLITE_ROW = f"CAST((min({{p}}.location_lat, {NORTH}) + 90) / {CELL} AS INTEGER)"
SQLITE_COLUMN = f"CAST((min({{p}}.location_lon, {EAST}) + 180) / {CELL} AS INTEGER)"
PG_ROW = f"floor((least({{p}}.location_lat, {NORTH}) + 90) / {CELL})::integer"
PG_COLUMN = f"floor((least({{p}}.location_lon, {EAST}) + 180) / {CELL})::integer"
LOCATED = "{p}.location_lat IS NOT NULL AND {p}.location_lon IS NOT NULL"

# One event in, with the row and column expressions of the dialect; ``{p}`` is NEW or OLD.
ADD = """INSERT INTO event_cells (modality, event, cell_row, cell_column, events, lat_sum, lon_sum)
VALUES ({p}.modality, {p}.event, {row}, {column}, 1, {p}.location_lat, {p}.location_lon)
ON CONFLICT (modality, event, cell_row, cell_column) DO UPDATE SET
  events = event_cells.events + 1, lat_sum = event_cells.lat_sum + excluded.lat_sum,
  lon_sum = event_cells.lon_sum + excluded.lon_sum"""
TAKE = """UPDATE event_cells SET events = events - 1, lat_sum = lat_sum - {p}.location_lat,
  lon_sum = lon_sum - {p}.location_lon
WHERE modality = {p}.modality AND event = {p}.event AND cell_row = {row}
  AND cell_column = {column}"""
EMPTY = "DELETE FROM event_cells WHERE events <= 0"
WATCHED = "modality, event, location_lat, location_lon"


def _sqlite_triggers() -> list[str]:
    def add(p: str) -> str:
        return ADD.format(p=p, row=SQLITE_ROW.format(p=p), column=SQLITE_COLUMN.format(p=p))

    def take(p: str) -> str:
        return TAKE.format(p=p, row=SQLITE_ROW.format(p=p), column=SQLITE_COLUMN.format(p=p))

    new, old = LOCATED.format(p="NEW"), LOCATED.format(p="OLD")
    return [
        f"CREATE TRIGGER tr_event_cells_insert AFTER INSERT ON events WHEN {new} "
        f"BEGIN {add('NEW')}; END",
        f"CREATE TRIGGER tr_event_cells_delete AFTER DELETE ON events WHEN {old} "
        f"BEGIN {take('OLD')}; {EMPTY}; END",
        # Two triggers for an update, the old place out and the new one in (either may be none).
        f"CREATE TRIGGER tr_event_cells_update_old AFTER UPDATE OF {WATCHED} ON events "
        f"WHEN {old} BEGIN {take('OLD')}; {EMPTY}; END",
        f"CREATE TRIGGER tr_event_cells_update_new AFTER UPDATE OF {WATCHED} ON events "
        f"WHEN {new} BEGIN {add('NEW')}; END",
    ]


def _postgresql_triggers() -> list[str]:
    def add(p: str) -> str:
        return ADD.format(p=p, row=PG_ROW.format(p=p), column=PG_COLUMN.format(p=p))

    def take(p: str) -> str:
        return TAKE.format(p=p, row=PG_ROW.format(p=p), column=PG_COLUMN.format(p=p))

    new, old = LOCATED.format(p="NEW"), LOCATED.format(p="OLD")
    function = f"""CREATE FUNCTION tocsin_event_cells() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND {old} THEN
    {take('OLD')};
    {EMPTY} AND modality = OLD.modality AND event = OLD.event;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND {new} THEN
    {add('NEW')};
  END IF;
  RETURN NULL;
END $$"""
    return [
        function,
        "CREATE TRIGGER tr_event_cells_insert_delete AFTER INSERT OR DELETE ON events "
        "FOR EACH ROW EXECUTE FUNCTION tocsin_event_cells()",
        f"CREATE TRIGGER tr_event_cells_update AFTER UPDATE OF {WATCHED} ON events "
        "FOR EACH ROW EXECUTE FUNCTION tocsin_event_cells()",
    ]


def upgrade() -> None:
    op.create_table(
        "event_cells",
        sa.Column("modality", sa.String(64), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("cell_row", sa.Integer(), nullable=False),
        sa.Column("cell_column", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("lat_sum", sa.Float(), nullable=False),
        sa.Column("lon_sum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("modality", "event", "cell_row", "cell_column",
                                name="pk_event_cells"),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    row, column = (PG_ROW, PG_COLUMN) if postgresql else (SQLITE_ROW, SQLITE_COLUMN)
    e = "events"
    op.execute(
        "INSERT INTO event_cells (modality, event, cell_row, cell_column, events, lat_sum, "
        f"lon_sum) SELECT modality, event, {row.format(p=e)} AS r, {column.format(p=e)} AS c, "
        "count(*), sum(location_lat), sum(location_lon) FROM events "
        f"WHERE {LOCATED.format(p=e)} GROUP BY modality, event, r, c"
    )
    for statement in _postgresql_triggers() if postgresql else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tr_event_cells_insert_delete ON events")
        op.execute("DROP TRIGGER IF EXISTS tr_event_cells_update ON events")
        op.execute("DROP FUNCTION IF EXISTS tocsin_event_cells()")
    else:
        for name in ("insert", "delete", "update_old", "update_new"):
            op.execute(f"DROP TRIGGER IF EXISTS tr_event_cells_{name}")
    op.drop_table("event_cells")
