"""``GET /api/totals``: the cumulative figures ("37,100 killed since the war began"), stored and
listed apart from events: a total is no incident, so the event listing, the map and the
alerts never see it. Filtered like ``tocsin totals``; paged with ``after`` (the ``next`` id).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from tocsin.api.filters import TEXT, Country, SearchText
from tocsin.api.problems import bad_parameter, problem_responses
from tocsin.api.state import database_of
from tocsin.filter_values import UnknownValue, resolve_country
from tocsin.records import DateSpan, Evidence, Place
from tocsin.store.total_store import TotalFilters, query_totals

router = APIRouter(tags=["totals"])

MAX_PAGE = 5000
Category = Literal["killed", "injured", "displaced", "arrested", "abducted"]




class StoredTotalOut(BaseModel):
    """A total (``tocsin.records.Total``) with its id."""

    id: str = Field(description="`<document id>:total:<index>`.")
    category: Category
    value: int
    evidence: Evidence
    qualifier: str | None
    unit: str | None
    period: DateSpan = Field(description="From the start the text states (null when none) "
                             "to the publication date.")
    period_text: str | None = Field(description="The phrase that makes the figure cumulative.")
    location: Place | None
    source: str | None = Field(description="Who states the total, when attributed.")


class TotalPage(BaseModel):
    """A page of totals."""

    totals: list[StoredTotalOut]
    next: str | None = Field(description="Cursor of the following page (`after`), or null.")


@router.get(
    "/api/totals", summary="Cumulative totals (figures over a period, not incidents)",
    response_model=TotalPage, responses=problem_responses(422),
)
def list_totals(
    request: Request,
    country: Country = None,
    category: Annotated[Category | None, Query(description="What was counted.")] = None,
    since: Annotated[dt.date | None, Query(description="Stated on or after this day.")] = None,
    until: Annotated[dt.date | None, Query(description="Stated on or before this day.")] = None,
    text: SearchText = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 100,
    after: Annotated[
        str | None,
        Query(description="Cursor: the `next` value of the previous page.", max_length=200,
              pattern=TEXT),
    ] = None,
) -> dict[str, Any]:
    if since and until and since > until:
        raise bad_parameter("since", "must not be after until")
    try:
        code = resolve_country(country).alpha_3 if country is not None else None
    except UnknownValue as error:
        raise bad_parameter("country", str(error).removeprefix("country: ")) from error
    filters = TotalFilters(country=code, category=category, since=since, until=until, text=text)
    try:
        found = query_totals(database_of(request), filters, limit=limit + 1, after=after)
    except LookupError as error:
        raise bad_parameter("after", f"not a cursor of this listing ({error})") from error
    page = found[:limit]
    following = page[-1].id if len(found) > limit and page else None
    return {"totals": [t.to_dict() for t in page], "next": following}
