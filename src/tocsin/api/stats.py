"""``GET /api/stats`` (counts per day, type, country, admin1) and a place's timeline."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from tocsin.api.filters import event_filters
from tocsin.api.problems import problem_responses
from tocsin.api.response_models import EventStats, PlaceTimeline
from tocsin.api.state import database_of
from tocsin.queries import EventFilters, event_stats

router = APIRouter(tags=["stats"])


@router.get("/api/stats", summary="Counts of the events matching the filters",
            response_model=None,
            responses={200: {"model": EventStats}, **problem_responses(422)})
def stats(
    request: Request,
    filters: Annotated[EventFilters, Depends(event_filters)],
    by_type: Annotated[
        bool, Query(description="Add `days_by_type`: events per day for each category.")
    ] = False,
) -> dict[str, Any]:
    """``total``; ``days`` (first day -> events), ``types``, ``countries``, ``admin1``
    (value -> events); undated or unlocated events count only in ``total``."""
    return event_stats(database_of(request), filters, by_type=by_type)


@router.get(
    "/api/places/{geonameid}/timeline",
    summary="Events per day at one gazetteer place (GeoNames id), with the other filters",
    response_model=None,
    responses={200: {"model": PlaceTimeline}, **problem_responses(422)},
)
def place_timeline(
    request: Request,
    geonameid: Annotated[int, Path(ge=1, le=2_000_000_000)],
    filters: Annotated[EventFilters, Depends(event_filters)],
) -> dict[str, Any]:
    found = event_stats(database_of(request), replace(filters, geonameid=geonameid),
                        by_type=True)
    return {
        "geonameid": geonameid,
        "total": found["total"],
        "days": found["days"],
        "days_by_type": found["days_by_type"],
        "types": found["types"],
    }
