"""``GET /api/health`` (is the database reachable) and ``GET /api/config`` (for the dashboard)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text

from tocsin import __version__
from tocsin.api.problems import Problem, problem_responses
from tocsin.api.response_models import DashboardConfig, Health
from tocsin.api.state import config_of, database_of

router = APIRouter(tags=["service"])


@router.get("/api/health", summary="Whether the service and its database answer",
            response_model=None, responses={200: {"model": Health}, **problem_responses(503)})
def health(request: Request) -> dict[str, Any]:
    database = database_of(request)
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - reported as 503
        raise Problem(503, f"database unreachable: {type(error).__name__}") from error
    return {"status": "ok", "version": __version__, "database": database.engine.dialect.name}


@router.get("/api/config", summary="Settings the dashboard needs (tile layer, limits)",
            response_model=None, responses={200: {"model": DashboardConfig}})
def config(request: Request) -> dict[str, Any]:
    settings = config_of(request)
    return {
        "version": __version__,
        "tile_url": settings.tile_url,
        "tile_attribution": settings.tile_attribution,
        "max_map_events": settings.max_map_events,
        "map_view_events": settings.map_view_events,
    }
