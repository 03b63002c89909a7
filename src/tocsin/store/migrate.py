"""Schema migrations: bring a database up to the newest Alembic revision, programmatically.

The revisions live in ``tocsin/migrations`` (shipped inside the package). ``upgrade`` runs them
in one transaction; on PostgreSQL an advisory lock makes concurrent openers wait for each other,
on SQLite ``BEGIN IMMEDIATE`` does the same.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from tocsin.store.engine import WRITE_OPTION

# An arbitrary constant: the key of the PostgreSQL advisory lock held while migrating.
_MIGRATION_LOCK = 7_106_330_153

# Objects the migrations create on PostgreSQL only (PostGIS), absent from the models.
_DIALECT_ONLY_COLUMNS = {("places", "geom"), ("events", "geom")}
_DIALECT_ONLY_INDEXES = {"ix_places_geom", "ix_events_geom"}


def migrations_dir() -> Path:
    path = Path(str(files("tocsin") / "migrations"))
    if not (path / "env.py").is_file():
        raise RuntimeError(f"Tocsin's migrations are missing from {path}")
    return path


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Tell Alembic's autogenerate to ignore the PostGIS objects that the models leave out."""
    if type_ == "column" and (obj.table.name, name) in _DIALECT_ONLY_COLUMNS:
        return False
    if type_ == "index" and name in _DIALECT_ONLY_INDEXES:
        return False
    if type_ == "table" and reflected and compare_to is None:
        # Tables we did not create (PostGIS's spatial_ref_sys, topology, ...).
        return False
    return True


def upgrade(engine: Engine) -> None:
    """Upgrade the database to the newest revision; a no-op when it is already there."""
    head = head_revision()
    with engine.connect() as connection:
        if current_revision(connection) == head:
            return
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            if connection.dialect.name == "postgresql":
                lock = text("SELECT pg_advisory_xact_lock(:key)")
                connection.execute(lock, {"key": _MIGRATION_LOCK})
            command.upgrade(alembic_config(connection), "head")
