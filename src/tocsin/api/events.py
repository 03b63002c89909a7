"""``GET /api/events`` (filtered, cursor-paginated, JSON or GeoJSON) and one event by id.

A JSON listing leaves each event's mentions out unless ``mentions=true``: reading, converting and
sending every evidence sentence is about a third of the time of a page of 500, and
``GET /api/events/{id}`` gives them for the event one opens. GeoJSON features always carry their
documents and number of reports.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from tocsin.api.event_json import event_dict
from tocsin.api.filters import TEXT, event_filters
from tocsin.api.problems import Problem, bad_parameter, problem_responses
from tocsin.api.response_models import EventDetail, EventFeatures, EventPage
from tocsin.api.state import database_of
from tocsin.exports import to_geojson
from tocsin.queries import EventFilters, cursor_key, event_documents, get_event, query_events

router = APIRouter(tags=["events"])

MAX_PAGE = 5000


@router.get(
    "/api/events", summary="Events matching the filters, sorted by date then id",
    response_model=None,
    responses={200: {"model": EventPage | EventFeatures,
                     "description": "A page of events: JSON, or GeoJSON with `format=geojson`"},
               **problem_responses(422)},
)
def list_events(
    request: Request,
    filters: Annotated[EventFilters, Depends(event_filters)],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 100,
    after: Annotated[
        str | None,
        Query(description="Cursor: the `next` value of the previous page.", max_length=200,
              pattern=TEXT),
    ] = None,
    format: Annotated[  # noqa: A002 - the public parameter name
        Literal["json", "geojson"], Query(description="json or geojson.")
    ] = "json",
    mentions: Annotated[
        bool,
        Query(description="JSON: include every mention of each event (document, outlet, URL, "
              "evidence sentence); `GET /api/events/{id}` has them for one event."),
    ] = False,
) -> JSONResponse:
    database = database_of(request)
    with_mentions = mentions or format == "geojson"
    try:
        found = query_events(database, filters, limit=limit + 1, after=after,
                             with_mentions=with_mentions)
    except (ValueError, LookupError) as error:
        if after is not None:
            raise bad_parameter("after", f"not a cursor of this listing ({error})") from error
        raise
    page = found[:limit]
    following = cursor_key(page[-1]) if len(found) > limit and page else None
    # Returned as a ready response: FastAPI's generic encoder would walk the page again.
    if format == "geojson":
        collection = to_geojson(page)
        collection["next"] = following
        return JSONResponse(collection)
    items = [event_dict(e, mentions=with_mentions) for e in page]
    return JSONResponse({"events": items, "next": following})


@router.get(
    "/api/events/{event_id}", summary="One event with every mention and its evidence",
    response_model=None,
    responses={200: {"model": EventDetail}, **problem_responses(404, 422)},
)
def one_event(
    request: Request,
    event_id: Annotated[str, Path(max_length=96, pattern=TEXT)],
) -> dict[str, Any]:
    database = database_of(request)
    event = get_event(database, event_id)
    if event is None:
        raise Problem(404, f"no event {event_id!r}")
    found = event_dict(event)
    found["documents"] = [
        {**d, "published": d["published"].isoformat() if d.get("published") else None}
        for d in event_documents(database, event)
    ]
    return found
