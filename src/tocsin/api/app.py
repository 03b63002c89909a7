"""The FastAPI application: API routes, problem-details errors, CORS, and the dashboard at ``/``.

``create_app(database_url)`` opens (and migrates) the database once; the routes share it. The
same app serves the JSON API under ``/api``, the alerts feed at ``/alerts.atom``, its OpenAPI
description at ``/docs`` (Swagger UI from local files, tocsin.api.apidocs), and the built
dashboard at ``/``.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware

from tocsin import __version__
from tocsin.api import dashboard, documents, downloads, events, grid, health, stats, totals
from tocsin.api.alerts import mount_alerts
from tocsin.api.apidocs import DOCS_PAGES, mount_docs
from tocsin.api.auth import KEY_HEADER
from tocsin.api.guards import DEFAULT_EXTRA, BodyLimit, SecurityHeaders
from tocsin.api.jobs import JobQueue, Process, runner_process
from tocsin.api.problems import install_problem_handlers, problem_openapi
from tocsin.api.state import ApiConfig
from tocsin.settings import Settings
from tocsin.sources import ReadOptions
from tocsin.sources.netguard import NetworkPolicy, parse_networks
from tocsin.store import open_database

DESCRIPTION = """Tocsin's record of conflict and crisis events, fused from news reports.

Read endpoints are open. `POST /api/documents` needs a key (`tocsin apikey create`) in the
`X-API-Key` header. Errors are JSON problem details (RFC 9457)."""


def create_app(
    database_url: str,
    *,
    settings: Settings | None = None,
    cors_origins: Sequence[str] = (),
    tile_url: str | None = None,
    tile_attribution: str | None = None,
    process: Process | None = None,
    static_folder: Path | None = None,
) -> FastAPI:
    """The app serving ``database_url``.

    ``cors_origins`` lists the origins allowed to call the API from a browser ("*" for any);
    ``tile_url`` is an optional XYZ tile template for online use (the dashboard draws country
    borders itself otherwise); ``process`` replaces the runner for posted documents.
    """
    settings = settings or Settings()
    settings.db_url = database_url
    database = open_database(database_url)
    jobs = JobQueue(
        database,
        process or runner_process(settings),
        ReadOptions(max_bytes=settings.max_bytes, timeout=settings.fetch_timeout,
                    languages=settings.languages,
                    network=NetworkPolicy(parse_networks(settings.allow_networks))),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What exists at start-up (modules, spaCy's and SQLAlchemy's objects) lives as long as
        # the server: frozen, a full garbage collection during a request does not walk it
        # (about 0.2 s each time otherwise, the slowest requests of a page of 500 events).
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            jobs.shutdown(wait=False)
            database.close()

    # The docs pages are tocsin.api.apidocs's, which load Swagger UI and ReDoc from local files.
    app = FastAPI(title="Tocsin", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None,
                  swagger_ui_oauth2_redirect_url=None)
    app.state.database = database
    app.state.jobs = jobs
    app.state.config = ApiConfig(tile_url=tile_url, tile_attribution=tile_attribution)
    install_problem_handlers(app)
    problem_openapi(app)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", KEY_HEADER],
        )
    # Level 5: a page of 500 events compresses ~3x faster than at the default 9, 7% larger.
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    # No route reads more of a request body than this (413 problem); keyed routes check the
    # key before reading at all (tocsin.api.auth).
    body_limit = settings.max_body_bytes
    app.add_middleware(BodyLimit, limit=body_limit if body_limit is not None
                       else settings.max_bytes + DEFAULT_EXTRA)
    app.add_middleware(SecurityHeaders, tile_url=tile_url, docs_paths=DOCS_PAGES)
    mount_docs(app)
    # downloads and grid before events: /api/events/download is not the event "download".
    for module in (health, downloads, grid, events, stats, documents, totals):
        app.include_router(module.router)
    mount_alerts(app)
    dashboard.mount_dashboard(app, static_folder)
    return app
