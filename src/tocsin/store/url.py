"""Database URLs: turn what a user types (a file path or a URL) into a SQLAlchemy URL."""

from __future__ import annotations

from pathlib import Path

_POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg2://")
_PSYCOPG = "postgresql+psycopg://"


def normalise_url(url: str | Path) -> str:
    """Return a SQLAlchemy URL for ``url``.

    A plain path ("tocsin.sqlite", "~/data/t.db") becomes an SQLite URL with an absolute path;
    ``:memory:`` becomes an in-memory SQLite database; ``postgresql://`` and ``postgres://``
    select the psycopg 3 driver. Any other URL is returned unchanged.
    """
    text = str(url).strip()
    if not text:
        raise ValueError("empty database URL")
    if text == ":memory:":
        return "sqlite://"
    for scheme in _POSTGRES_SCHEMES:
        if text.startswith(scheme):
            return _PSYCOPG + text[len(scheme) :]
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().absolute())


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")
