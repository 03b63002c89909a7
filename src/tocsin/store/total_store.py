"""Reading the ``totals`` table: cumulative figures filtered, sorted and paged.

Filters (all optional, combined with AND): ``country`` (ISO 3166 alpha-3 of the total's place),
``category`` (killed, injured, displaced, arrested, abducted), ``since``/``until`` (the date the
total is stated as of, its period's end, within [since, until]) and ``text`` (words of the
evidence sentence or of the period phrase). Totals are sorted by that date (undated last), then
id; ``after`` continues after the id of the last total of a page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, func, or_, select, true

from tocsin.records import Total
from tocsin.store.database import Database
from tocsin.store.rows import total_from_row
from tocsin.store.total_tables import TotalRow

totals: Table = TotalRow.__table__  # type: ignore[assignment]
_UNDATED = dt.date(9999, 12, 31)


@dataclass
class TotalFilters:
    country: str | None = None
    category: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    text: str | None = None


@dataclass
class StoredTotal:
    """A stored total and its id (``"<document id>:total:<index>"``)."""

    id: str
    total: Total

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **self.total.to_dict()}


def _contains(column: Any, value: str) -> ColumnElement[bool]:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.ilike(f"%{escaped}%", escape="\\")


def _where(filters: TotalFilters) -> list[ColumnElement[bool]]:
    c = totals.c
    clauses: list[ColumnElement[bool]] = []
    if filters.country is not None:
        clauses.append(c.location_country == filters.country.upper())
    if filters.category is not None:
        clauses.append(c.category == filters.category.lower())
    if filters.since is not None:
        clauses.append(c.period_end >= filters.since)
    if filters.until is not None:
        clauses.append(c.period_end <= filters.until)
    if filters.text:
        clauses.append(or_(_contains(c.evidence_sentence, filters.text),
                           _contains(c.period_text, filters.text)))
    return clauses


def query_totals(database: Database, filters: TotalFilters | None = None, *,
                 limit: int | None = None, after: str | None = None) -> list[StoredTotal]:
    """The totals matching ``filters``, by date stated as of (undated last), then id."""
    c = totals.c
    day = func.coalesce(c.period_end, _UNDATED)
    query = select(totals).where(and_(true(), *_where(filters or TotalFilters())))
    with database.engine.connect() as connection:
        if after is not None:
            last = connection.execute(
                select(day.label("day"), c.id).where(c.id == after)).first()
            if last is None:
                raise LookupError(f"no total {after!r}")
            query = query.where(or_(day > last.day, and_(day == last.day, c.id > last.id)))
        query = query.order_by(day, c.id)
        if limit is not None:
            query = query.limit(limit)
        rows = connection.execute(query).mappings().all()
    return [StoredTotal(row["id"], total_from_row(row)) for row in rows]
