"""What each API route answers, as pydantic models: they make the OpenAPI schema's responses.

The routes build their JSON themselves (the event listing writes a page of 500 without a second
pass through a model), so these models describe, and the tests check that every answer
matches what they describe (tests/test_api_openapi.py, tests/test_api_schema.py). Events and
stored documents are the pipeline's own records (``tocsin.records``), whose dataclasses pydantic
reads as they are. Errors are problem documents (``tocsin.api.problems.ProblemDocument``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from tocsin.alerts.lifecycle import Signal
from tocsin.records import Document, Event

Count = dict[str, int]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: str = Field(description="The database's dialect: sqlite or postgresql.")


class DashboardConfig(BaseModel):
    version: str
    tile_url: str | None = Field(description="XYZ tile template, or null (borders only).")
    tile_attribution: str | None
    max_map_events: int
    map_view_events: int = Field(description="Above this many events in view the map draws "
                                 "counts per grid cell (`/api/events/grid`).")


class EventPage(BaseModel):
    """A page of the listing (``format=json``)."""

    events: list[Event] = Field(
        description="Events; each one's `mentions` only with `mentions=true`.")
    next: str | None = Field(description="Cursor of the following page (`after`), or null.")


class PointGeometry(BaseModel):
    type: Literal["Point"]
    coordinates: list[float] = Field(min_length=2, max_length=2,
                                     description="Longitude, latitude (WGS 84).")


FlatValue = str | int | float | bool | list[str] | None


class EventFeature(BaseModel):
    type: Literal["Feature"]
    id: str
    geometry: PointGeometry | None = Field(description="Null for an event without a place.")
    properties: dict[str, FlatValue] = Field(
        description="The event's flat fields, as the CSV export's columns.")


class EventFeatures(BaseModel):
    """A page of the listing (``format=geojson``): a GeoJSON FeatureCollection."""

    type: Literal["FeatureCollection"]
    features: list[EventFeature]
    next: str | None = Field(description="Cursor of the following page (`after`), or null.")


class EventDocument(BaseModel):
    """A document one of an Event's mentions comes from."""

    id: str
    title: str | None
    source: str | None = Field(description="Outlet.")
    url: str | None
    published: dt.date | None


@dataclass
class EventDetail(Event):
    """One Event with every mention, and the documents they come from."""

    documents: list[EventDocument] = field(default_factory=list)


@dataclass
class StoredDocument(Document):
    """A stored document's record, and how many sentences it was split into."""

    sentences: int = 0


class EventStats(BaseModel):
    """Events per value; undated or unlocated events count only in ``total``."""

    total: int
    days: Count = Field(description="First day (ISO date) -> events.")
    types: Count = Field(description="Event category -> events.")
    countries: Count = Field(description="ISO 3166 alpha-3 -> events.")
    admin1: Count = Field(description="First-level division -> events.")
    days_by_type: dict[str, Count] | None = Field(
        None, description="With `by_type=true`: category -> first day -> events.")


class GridCellCounts(BaseModel):
    """One map cell that holds events."""

    south: float
    west: float
    north: float
    east: float
    lat: float = Field(description="Mean latitude of the cell's events.")
    lon: float = Field(description="Mean longitude of the cell's events.")
    count: int
    types: Count = Field(description="Event category -> events in the cell.")


class EventGrid(BaseModel):
    """Located events matching the filters, counted per cell of a latitude/longitude grid."""

    zoom: int
    cell_degrees: float = Field(description="Side of a cell in degrees (cells are aligned on "
                                "the south pole and the antimeridian).")
    bbox: list[float] = Field(description="The box counted: west, south, east, north.")
    total: int = Field(description="Located events in the box (the sum of the cells' counts).")
    cells: list[GridCellCounts] = Field(description="Cells with events, by row then column.")


class PlaceTimeline(BaseModel):
    geonameid: int
    total: int
    days: Count
    days_by_type: dict[str, Count]
    types: Count


class JobFailure(BaseModel):
    item: str = Field(description="The item's number in the posted batch, from 1.")
    stage: str
    reason: str


class Job(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    total: int
    done: int
    processed: int
    duplicates: int
    failed: int
    failures: list[JobFailure]
    error: str | None
    created_at: str | None = Field(description="ISO 8601 timestamp.")
    started_at: str | None
    finished_at: str | None


class AlertPlace(BaseModel):
    name: str | None
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str | None


class AlertEvidence(BaseModel):
    document: str
    sentence: str
    url: str | None


class AlertEvent(BaseModel):
    """The short form of an Event counted by an alert."""

    id: str
    event: str
    mode: str | None
    acled: list[str] | None
    modality: str
    place: AlertPlace | None
    start: dt.date | None
    end: dt.date | None
    killed: int | None
    displaced: int | None
    sources: int
    evidence: list[AlertEvidence]


class AlertPeople(BaseModel):
    kind: str = Field(description="killed or displaced")
    observed: int
    expected: float


class Alert(BaseModel):
    id: str
    country: str
    admin1: str
    admin2: str | None
    level: Literal["admin1", "admin2"]
    concern: str
    status: Literal["new", "ongoing", "resolved"]
    escalation: int
    start: dt.date
    end: dt.date
    resolved: dt.date | None
    score: float
    observed: int
    expected: float
    people: AlertPeople
    event_ids: list[str]
    events: list[AlertEvent]
    signals: list[Signal]  # the alerts' own record (tocsin.alerts.lifecycle)


class AlertList(BaseModel):
    alerts: list[Alert]
    count: int


class Delivery(BaseModel):
    id: int
    alert_id: str
    alert_status: str
    subscription_id: int
    kind: str = Field(description="webhook or email")
    target: str
    state: Literal["pending", "delivered", "dead"]
    attempts: int
    last_error: str | None
    next_attempt_at: str | None = Field(description="ISO 8601 timestamp, or null.")
    created_at: str | None
    updated_at: str | None


class DeliveryList(BaseModel):
    deliveries: list[Delivery]
    count: int
