"""The ``event_cells`` table (created by migration 0009): located events counted per map cell.

One row per (modality, category, cell) of a fixed latitude/longitude grid of ``CELL_DEGREES``
(0.703125 degrees, the map's cell at zoom 7), with how many events it holds and the sums of
their coordinates. Triggers on ``events`` (migration 0009) keep it in step with every insert,
update and delete, whoever writes; nothing in Python writes it. Coarser cells are whole
multiples of it (the map's cells halve at each zoom), so a wide view of the world is summed
from these rows instead of grouping every event (``tocsin.queries.event_grid``).
"""

from __future__ import annotations

from sqlalchemy import Float, Integer
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.store.base import CODE, Base

# The side of a cell in degrees: 90 / 2**7, exact in binary (Migration 0009 has the same).
CELL_DEGREES = 0.703125


class EventCellRow(Base):
    """Located events of one modality and category in one grid cell (``row`` from the south
    pole, ``column`` from the antimeridian)."""

    __tablename__ = "event_cells"

    modality: Mapped[str] = mapped_column(CODE, primary_key=True)
    event: Mapped[str] = mapped_column(CODE, primary_key=True)
    cell_row: Mapped[int] = mapped_column(Integer, primary_key=True)
    cell_column: Mapped[int] = mapped_column(Integer, primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
    lat_sum: Mapped[float] = mapped_column(Float)
    lon_sum: Mapped[float] = mapped_column(Float)
