"""``GET /api/stats`` (counts per day, type, country, admin1) and a place's timeline."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from tocsin.api.filters import event_filters
from tocsin.api.state import database_of
from tocsin.queries import EventFilters, count_events, event_stats

router = APIRouter(tags=["stats"])


@router.get("/api/stats", summary="Counts of the events matching the filters")
def stats(
    request: Request, filters: Annotated[EventFilters, Depends(event_filters)]
) -> dict[str, Any]:
    database = database_of(request)
    found = dict(event_stats(database, filters))
    found.setdefault("total", count_events(database, filters))
    return found


@router.get(
    "/api/places/{geonameid}/timeline",
    summary="Events per day at one gazetteer place (GeoNames id), with the other filters",
)
def place_timeline(
    request: Request,
    geonameid: Annotated[int, Path(ge=1, le=2_000_000_000)],
    filters: Annotated[EventFilters, Depends(event_filters)],
) -> dict[str, Any]:
    if "geonameid" not in {f.name for f in fields(filters)}:
        raise NotImplementedError("the query layer has no geonameid filter")
    place_filters = replace(filters, geonameid=geonameid)  # type: ignore[call-arg]
    found = event_stats(database_of(request), place_filters)
    return {
        "geonameid": geonameid,
        "total": found.get("total", count_events(database_of(request), place_filters)),
        "days": found.get("days", found.get("per_day")),
        "types": found.get("types", found.get("per_type")),
    }
