"""Errors as JSON problem details (RFC 9457): every error the API returns has this shape.

``{"type": "about:blank", "title": ..., "status": ..., "detail": ...}`` with the media type
``application/problem+json``; a 422 adds ``errors``, one entry per bad parameter with its reason.

The OpenAPI schema says so: ``problem_responses(401, 404 ...)`` declares a route's errors
(``ProblemDocument``), and ``problem_openapi`` makes every error response of the schema,
FastAPI's own 422 included, a problem document of that media type.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


class ParameterError(BaseModel):
    loc: list[str] = Field(description="Where: `query`, `path` or `body`, then the name.")
    msg: str


class ProblemDocument(BaseModel):
    """An error (RFC 9457 problem details)."""

    type: str = Field(description="Always `about:blank`: the status says what kind of error.")
    title: str = Field(description="The status's phrase, e.g. `Not Found`.")
    status: int
    detail: str = Field(description="What went wrong, in one line.")
    errors: list[ParameterError] | None = Field(
        None, description="422 only: one entry per bad parameter.")


# When each error status happens; a route declares the ones it can answer.
_WHEN = {
    400: "The request body could not be read",
    401: "Missing, unknown or revoked API key (`X-API-Key`)",
    404: "No such resource",
    413: "The request body is over the limit",
    422: "A parameter or the body is not valid",
    503: "The database does not answer",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route that can answer these error statuses."""
    return {status: {"model": ProblemDocument, "description": _WHEN[status]}
            for status in statuses}


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


def problem_openapi(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI schema describe every error as ``application/problem+json``.

    FastAPI writes a declared error model under ``application/json`` and adds a 422 of its own
    validation format to every route with parameters; both become problem documents here.
    """

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, openapi_version=app.openapi_version,
                description=app.description, routes=app.routes, tags=app.openapi_tags,
                servers=app.servers,
            )
            _problems_everywhere(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _problems_everywhere(schema: dict[str, Any]) -> None:
    problem = {"$ref": "#/components/schemas/ProblemDocument"}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ProblemDocument" not in components:
        found = ProblemDocument.model_json_schema(
            ref_template="#/components/schemas/{model}", mode="serialization")
        components.update(found.pop("$defs", {}))
        components["ProblemDocument"] = found
    for operation in (op for path in schema.get("paths", {}).values() for op in path.values()):
        for status, response in operation.get("responses", {}).items():
            if str(status)[:1] not in ("4", "5"):
                continue
            response["content"] = {MEDIA_TYPE: {"schema": problem}}
            if str(status) == "422":
                response["description"] = _WHEN[422]
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
