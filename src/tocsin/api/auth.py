"""The API key of a request, checked before its body is read.

FastAPI reads and parses a route's body before it solves the route's dependencies, so a
``Depends(require_key)`` alone lets anyone without a key make the server read (and parse) a
body. Routes of a router made with ``route_class=KeyFirstRoute`` that depend on
``require_key`` check the key first: without a valid key the answer is 401, whatever the body.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Request, Response, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader

from tocsin.api.keys import check_key
from tocsin.api.problems import Problem
from tocsin.api.state import database_of

KEY_HEADER = "X-API-Key"
_CHECKED = "tocsin_api_key_id"
api_key_header = APIKeyHeader(name=KEY_HEADER, auto_error=False,
                              description="A key made with `tocsin apikey create`.")


def require_key(
    request: Request, key: Annotated[str | None, Security(api_key_header)] = None
) -> str:
    """The id of the caller's API key; 401 without a valid one (checked once per request)."""
    checked = request.scope.get(_CHECKED)
    if isinstance(checked, str):
        return checked
    if not key:
        raise Problem(401, f"this endpoint needs an API key in the {KEY_HEADER} header")
    key_id = check_key(database_of(request), key)
    if key_id is None:
        raise Problem(401, "the API key is unknown or revoked")
    request.scope[_CHECKED] = key_id
    return key_id


def _needs_key(route: APIRoute) -> bool:
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if dependency.call is require_key:
            return True
        pending.extend(dependency.dependencies)
    return False


class KeyFirstRoute(APIRoute):
    """A route that checks the API key (when it needs one) before reading the body."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if not _needs_key(self):
            return handler

        async def key_first(request: Request) -> Response:
            await run_in_threadpool(require_key, request, request.headers.get(KEY_HEADER))
            return await handler(request)

        return key_first
