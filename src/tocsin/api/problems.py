"""Errors as JSON problem details (RFC 9457): every error the API returns has this shape.

``{"type": "about:blank", "title": ..., "status": ..., "detail": ...}`` with the media type
``application/problem+json``; a 422 adds ``errors``, one entry per bad parameter with its reason.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


class Problem(Exception):
    """Raise to answer with a problem document."""

    def __init__(self, status: int, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


def bad_parameter(name: str, reason: str) -> Problem:
    """A 422 for one query parameter, shaped like FastAPI's own validation errors."""
    return Problem(
        422, f"{name}: {reason}", errors=[{"loc": ["query", name], "msg": reason}]
    )


def problem_response(
    status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _plain_errors(errors: Any) -> list[dict[str, Any]]:
    plain = []
    for error in errors:
        plain.append({"loc": [str(p) for p in error.get("loc", ())], "msg": str(error.get("msg"))})
    return plain


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` a problem document."""

    @app.exception_handler(Problem)
    async def _problem(_request: Request, error: Problem) -> JSONResponse:
        return problem_response(error.status, error.detail, **error.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = dict(error.headers) if error.headers else None
        return problem_response(error.status_code, str(error.detail), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = _plain_errors(error.errors())
        reasons = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return problem_response(422, reasons or "invalid request", errors=errors)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        return problem_response(500, "internal error; see the server log")
