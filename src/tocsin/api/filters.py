"""Event filters from query parameters: the options of ``tocsin events`` as a dependency.

Every route that lists or counts events takes the same parameters; bad values give a 422 with
the reason (a malformed bbox, ``since`` after ``until``, an unknown modality ...).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query

from tocsin.api.problems import bad_parameter
from tocsin.filter_values import UnknownValue, resolve_country, resolve_event_type
from tocsin.queries import EventFilters, parse_point
from tocsin.records import MODALITIES

# No NUL characters (PostgreSQL refuses them in text) and nothing absurdly long.
TEXT = r"^[^\x00]*$"
ANY_MODALITY = "any"

Country = Annotated[
    str | None,
    Query(description="Country of the event's place: ISO 3166 alpha-3 (SYR) or alpha-2 (SY) "
          "code, or a name that names one country (Syria).", max_length=100, pattern=TEXT),
]
Admin1 = Annotated[
    str | None, Query(description="First-level division name.", max_length=200, pattern=TEXT)
]
EventType = Annotated[
    str | None,
    Query(description="Event category (PLOVER's 16 or DISPLACEMENT), e.g. ASSAULT.",
          max_length=100, pattern=TEXT),
]
AcledType = Annotated[
    str | None, Query(description="ACLED event type.", max_length=200, pattern=TEXT)
]
ActorText = Annotated[
    str | None,
    Query(description="Actor text, country or sector (either actor).", max_length=200,
          pattern=TEXT),
]
Since = Annotated[dt.date | None, Query(description="Events on or after this day.")]
Until = Annotated[dt.date | None, Query(description="Events on or before this day.")]
Bbox = Annotated[
    str | None,
    Query(description="West,South,East,North in degrees (WGS 84); west > east crosses the "
          "antimeridian.", max_length=200,
          pattern=TEXT),
]
Near = Annotated[
    str | None,
    Query(description="Latitude,Longitude in degrees (WGS 84): events within `within_km` of "
          "this point.", max_length=100, pattern=TEXT),
]
WithinKm = Annotated[
    float | None,
    Query(description="Radius in kilometres around `near` (default 50).", ge=0, le=20_100),
]
Modality = Annotated[
    str,
    Query(description="Modality to keep; 'any' keeps all.",
          pattern="^(" + "|".join((*MODALITIES, ANY_MODALITY)) + ")$"),
]
MinSources = Annotated[
    int | None, Query(description="At least this many independent sources.", ge=1, le=100_000)
]
SearchText = Annotated[
    str | None,
    Query(description="Words to find in the evidence sentences.", max_length=200, pattern=TEXT),
]


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    parts = value.split(",")
    if len(parts) != 4:
        raise bad_parameter("bbox", "expected four numbers: west,south,east,north")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError as error:
        raise bad_parameter("bbox", "expected four numbers: west,south,east,north") from error
    if not all(-180.0 <= x <= 180.0 for x in (west, east)):
        raise bad_parameter("bbox", "longitudes must be within -180..180")
    if not all(-90.0 <= y <= 90.0 for y in (south, north)):
        raise bad_parameter("bbox", "latitudes must be within -90..90")
    if south > north:
        raise bad_parameter("bbox", "south must not exceed north")
    return west, south, east, north


def parse_near(value: str) -> tuple[float, float]:
    try:
        return parse_point(value)
    except ValueError as error:
        raise bad_parameter("near", str(error).removeprefix("near: ")) from error


def _country(value: str) -> str:
    try:
        return resolve_country(value).alpha_3
    except UnknownValue as error:
        raise bad_parameter("country", str(error).removeprefix("country: ")) from error


def _event_type(value: str) -> str:
    try:
        return resolve_event_type(value)
    except UnknownValue as error:
        raise bad_parameter("type", str(error).removeprefix("type: ")) from error


def event_filters(
    country: Country = None,
    admin1: Admin1 = None,
    type: EventType = None,  # noqa: A002 - the public parameter name
    acled_type: AcledType = None,
    actor: ActorText = None,
    since: Since = None,
    until: Until = None,
    bbox: Bbox = None,
    near: Near = None,
    within_km: WithinKm = None,
    modality: Modality = "asserted",
    min_sources: MinSources = None,
    text: SearchText = None,
) -> EventFilters:
    """The filters the query string asks for (a FastAPI dependency)."""
    if since and until and since > until:
        raise bad_parameter("since", "must not be after until")
    if within_km is not None and not near:
        raise bad_parameter("within_km", "needs near=latitude,longitude")
    return EventFilters(
        country=_country(country) if country else None,
        admin1=admin1 or None,
        type=_event_type(type) if type else None,
        acled_type=acled_type or None,
        actor=actor or None,
        since=since,
        until=until,
        bbox=parse_bbox(bbox) if bbox else None,
        near=parse_near(near) if near else None,
        within_km=within_km,
        modality=None if modality == ANY_MODALITY else modality,
        min_sources=min_sources,
        text=text or None,
    )
