"""The ``event_day_counts`` and ``event_place_counts`` tables (created by migration 0010): events
counted per modality, category and first day, and per modality, category, country and
first-level division.

Triggers on ``events`` (migration 0010) keep them in step with every insert, update and
delete; nothing in Python writes them. Statistics with no filter but modality and category sum
their rows instead of grouping every event (``tocsin.queries.event_stats``). Keys hold no NULL:
an event without a day counts under ``NO_DAY``, one without a country or division under "".
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.store.base import CODE, Base

NO_DAY = dt.date(1, 1, 1)
NO_PLACE = ""


class EventDayCountRow(Base):
    """Events of one modality and category whose first day is ``day``."""

    __tablename__ = "event_day_counts"

    modality: Mapped[str] = mapped_column(CODE, primary_key=True)
    event: Mapped[str] = mapped_column(CODE, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    events: Mapped[int] = mapped_column(Integer)


class EventPlaceCountRow(Base):
    """Events of one modality and category in one country and first-level division."""

    __tablename__ = "event_place_counts"

    modality: Mapped[str] = mapped_column(CODE, primary_key=True)
    event: Mapped[str] = mapped_column(CODE, primary_key=True)
    country: Mapped[str] = mapped_column(String(3), primary_key=True)
    admin1: Mapped[str] = mapped_column(Text, primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
