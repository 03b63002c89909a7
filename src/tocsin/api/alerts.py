"""The alerts in the API: ``GET /api/alerts`` (JSON) and ``GET /alerts.atom`` (Atom), the routes
of ``tocsin.alerts.routes`` reading the app's database.

Their filters (``country``, ``admin1``, ``concern``, ``status``) go to the database as given, so
values holding NUL characters, which PostgreSQL refuses in text, are turned away first with a
422 like every other bad parameter.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request

from tocsin.alerts.routes import alerts_router
from tocsin.api.problems import bad_parameter
from tocsin.api.state import database_of


def refuse_nul(request: Request) -> None:
    """422 when a query parameter holds a NUL character."""
    for name, value in request.query_params.multi_items():
        if "\x00" in value:
            raise bad_parameter(name, "must not contain NUL characters")


def mount_alerts(app: FastAPI) -> None:
    app.include_router(alerts_router(database_of), dependencies=[Depends(refuse_nul)])
