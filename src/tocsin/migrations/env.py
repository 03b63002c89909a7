"""Alembic environment for Tocsin: migrations run on a connection handed over by the store.

``tocsin.store.migrate.upgrade`` passes an open connection (inside a transaction) through
``config.attributes["connection"]``; without one, the ``sqlalchemy.url`` option is used, so the
``alembic`` command line also works for writing new revisions.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from tocsin.store.engine import make_engine
from tocsin.store.migrate import include_object
from tocsin.store.models import Base
from tocsin.store.url import normalise_url

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or pass a connection in config.attributes")
    engine = make_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("Tocsin's migrations run online only")
run_migrations_online()
