"""What every route needs from the running app: its database, job queue and settings."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from tocsin.api.jobs import JobQueue
from tocsin.store import Database


@dataclass
class ApiConfig:
    """Settings the dashboard reads from ``/api/config``."""

    tile_url: str | None = None
    tile_attribution: str | None = None
    max_map_events: int = 5000
    # Above this many matching events the map loads only what is in view, and above this many
    # in view it draws the counts per grid cell of /api/events/grid instead of the events.
    map_view_events: int = 1500


def database_of(request: Request) -> Database:
    return request.app.state.database  # type: ignore[no-any-return]


def jobs_of(request: Request) -> JobQueue:
    return request.app.state.jobs  # type: ignore[no-any-return]


def config_of(request: Request) -> ApiConfig:
    return request.app.state.config  # type: ignore[no-any-return]
