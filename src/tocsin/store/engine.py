"""SQLAlchemy engines for Tocsin's database: SQLite tuned for a single writer, or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url

from tocsin.geodesy import distance_km

# How long an SQLite writer waits for another one to finish before giving up, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 30_000

# Execution option for a connection that is about to write: on SQLite its transaction then
# starts with BEGIN IMMEDIATE, taking the write lock up front (waiting up to the busy
# timeout) instead of failing when a read lock cannot be upgraded.
WRITE_OPTION = "tocsin_write"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
    # Great-circle distance for the radius filter of event queries (PostGIS has its own).
    dbapi_connection.create_function("tocsin_km", 4, _sqlite_km, deterministic=True)
    # Let SQLAlchemy emit BEGIN (see _sqlite_begin) so that DDL is transactional too and
    # writers can take the lock up front; sqlite3's own legacy handling does neither.
    dbapi_connection.isolation_level = None


def _sqlite_km(
    lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None
) -> float | None:
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None
    return distance_km(lat1, lon1, lat2, lon2)


def _sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine for a normalised URL (see ``normalise_url``).

    SQLite: write-ahead log (readers do not block the writer), foreign keys enforced, a busy
    timeout so concurrent writers wait instead of failing, transactional DDL; the file's
    folder is created. PostgreSQL: connections are checked before use.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)
