"""The alerts in the API: ``GET /api/alerts`` (JSON) and ``GET /alerts.atom`` (Atom feed), both
filtered by ``country``, ``admin1``, ``concern`` and ``status`` query parameters; and, behind an
API key (``X-API-Key``, as for ``POST /api/documents``), ``GET /api/alerts/deliveries``: the
deliveries to subscribers, dead letters included.

``alerts_router`` reads the database the app keeps in ``request.app.state.database`` unless a
``database`` getter is passed; ``mount_alerts`` mounts it on the app with the app's getter.

Their filters go to the database as given, so values holding NUL characters, which PostgreSQL
refuses in text, are turned away first with a 422 like every other bad parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import Response

from tocsin.alerts.alert_store import AlertFilters, list_alerts, list_deliveries
from tocsin.alerts.atom import render_atom
from tocsin.api.auth import KeyFirstRoute, require_key
from tocsin.api.problems import bad_parameter, problem_responses
from tocsin.api.response_models import AlertList, DeliveryList
from tocsin.api.state import database_of
from tocsin.store import Database

ATOM = "application/atom+xml"


def _app_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def alerts_router(database: Callable[[Request], Database] | None = None) -> APIRouter:
    get_database = database or _app_database
    router = APIRouter(tags=["alerts"], route_class=KeyFirstRoute)

    def _filters(
        country: str | None, admin1: str | None, concern: str | None, status: str | None
    ) -> AlertFilters:
        return AlertFilters(country=country, admin1=admin1, concern=concern, status=status)

    @router.get("/api/alerts", summary="Escalation alerts, newest first", response_model=None,
                responses={200: {"model": AlertList}, **problem_responses(422)})
    def api_alerts(
        request: Request,
        country: str | None = Query(None, description="ISO 3166 alpha-3 code"),
        admin1: str | None = Query(None, description="first-level area, e.g. Latakia"),
        concern: str | None = Query(None, description="e.g. displacement"),
        status: str | None = Query(None, description="new, ongoing or resolved"),
        limit: int = Query(100, ge=1, le=1000),
    ) -> dict[str, Any]:
        found = list_alerts(get_database(request), _filters(country, admin1, concern, status),
                            limit)
        return {"alerts": found, "count": len(found)}

    @router.get(
        "/api/alerts/deliveries",
        summary="Deliveries of alerts to subscribers (pending, delivered, dead letters)",
        response_model=None,
        responses={200: {"model": DeliveryList}, **problem_responses(401, 422)},
    )
    def api_deliveries(
        request: Request,
        _key_id: Annotated[str, Depends(require_key)],
        state: Literal["pending", "delivered", "dead"] | None = Query(
            None, description="only deliveries in this state"),
        limit: int = Query(100, ge=1, le=1000),
    ) -> dict[str, Any]:
        found = list_deliveries(get_database(request), state, limit)
        return {"deliveries": found, "count": len(found)}

    @router.get(
        "/alerts.atom", summary="Escalation alerts as an Atom feed", response_class=Response,
        responses={200: {"description": "An Atom feed of the alerts (RFC 4287)",
                         "content": {ATOM: {"schema": {"type": "string"}}}},
                   **problem_responses(422)},
    )
    def alerts_atom(
        request: Request,
        country: str | None = Query(None),
        admin1: str | None = Query(None),
        concern: str | None = Query(None),
        status: str | None = Query(None),
    ) -> Response:
        found = list_alerts(get_database(request), _filters(country, admin1, concern, status),
                            100)
        body = render_atom(found, str(request.url))
        return Response(body, media_type=f"{ATOM}; charset=utf-8")

    return router


def refuse_nul(request: Request) -> None:
    """422 when a query parameter holds a NUL character."""
    for name, value in request.query_params.multi_items():
        if "\x00" in value:
            raise bad_parameter(name, "must not contain NUL characters")


def mount_alerts(app: FastAPI) -> None:
    app.include_router(alerts_router(database_of), dependencies=[Depends(refuse_nul)])
