"""Storage: SQL tables, migrations and the read/write API (SQLite by default, PostgreSQL with
PostGIS when given a URL).

Other code calls ``open_database(url)`` and the methods of the ``Database`` it returns.
"""

import tocsin.store.schema  # noqa: F401 - every table on Base.metadata
from tocsin.store.database import Database, DatabaseMissing, open_database
from tocsin.store.url import normalise_url

__all__ = ["Database", "DatabaseMissing", "normalise_url", "open_database"]
