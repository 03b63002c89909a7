"""The store as a Dask worker sees it: opened once per worker process, when it is reachable.

A SQLite file is reachable only when it exists on the worker's machine (a worker elsewhere must
not create an empty file of that name); a PostgreSQL URL is tried as given. Tasks that can read
what they need themselves ship ids instead of records through the scheduler.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import make_url

from tocsin.store import Database
from tocsin.store.engine import make_engine

_databases: dict[str, Database] = {}


def reachable_database(db_url: str | None) -> Database | None:
    """The database, opened read-only by convention, when this worker can reach it."""
    if not db_url:
        return None
    if db_url in _databases:
        return _databases[db_url]
    parsed = make_url(db_url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or not Path(parsed.database).is_file():
            return None  # not on this machine: do not create an empty file here
    database = Database(db_url, make_engine(db_url))
    _databases[db_url] = database
    return database
