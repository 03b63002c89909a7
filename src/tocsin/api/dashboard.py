"""The dashboard's files: the build in ``tocsin/api/static`` (made by ``npm run build`` in web/).

When the build is missing, ``/`` says how to make it instead of failing obscurely.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>Tocsin</title>
<h1>The dashboard is not built</h1>
<p>Run <code>make install</code> (or <code>npm ci &amp;&amp; npm run build</code> in
<code>web/</code>) and restart <code>tocsin serve</code>. The API works meanwhile: see
<a href="/docs">/docs</a>.</p>"""


class DashboardFiles(StaticFiles):
    """The built files, without the source maps the build writes beside them (404)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path.lower().rstrip("/").endswith(".map"):
            raise HTTPException(404, "Not Found")
        return await super().get_response(path, scope)


def static_dir() -> Path:
    return Path(str(files("tocsin.api") / "static"))


def mount_dashboard(app: FastAPI, folder: Path | None = None) -> None:
    """Serve the built dashboard at ``/`` (after every API route)."""
    folder = folder or static_dir()
    if (folder / "index.html").is_file():
        app.mount("/", DashboardFiles(directory=folder, html=True), name="dashboard")
        return

    @app.get("/", include_in_schema=False)
    def not_built() -> HTMLResponse:
        return HTMLResponse(NOT_BUILT, status_code=503)
