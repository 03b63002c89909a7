"""Tocsin's REST API and the dashboard it serves.

Public API::

    create_app(database_url, *, settings=None, cors_origins=(), tile_url=None, ...) -> FastAPI
    create_key(database, name) -> (ApiKeyInfo, key); list_keys(database); revoke_key(database, id)

``create_app`` is imported on first use, so key management does not load the web stack.
"""

from __future__ import annotations

from typing import Any

from tocsin.api.keys import check_key, create_key, list_keys, revoke_key

__all__ = ["check_key", "create_app", "create_key", "list_keys", "revoke_key"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from tocsin.api.app import create_app

        return create_app
    raise AttributeError(name)
