"""Tables for API keys and ingestion jobs (created by migration 0003).

``api_keys`` keeps a salted SHA-256 of each key's secret, never the secret itself: keys are long
random strings, so a fast salted hash is enough (a slow password hash buys nothing against
guessing 190 random bits). ``jobs`` records each batch posted to ``POST /api/documents`` and its
progress, so ``GET /api/jobs/{id}`` answers from any process that shares the database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.store.base import CODE, Base

KEY_ID = String(32)


class ApiKeyRow(Base):
    """An API key: its public id, a label, the salted hash of its secret, and its life."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(KEY_ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    salt: Mapped[str] = mapped_column(String(64))
    secret_hash: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class JobRow(Base):
    """A batch of documents posted to the API and what became of it."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(KEY_ID, primary_key=True)
    status: Mapped[str] = mapped_column(CODE, index=True)
    api_key_id: Mapped[str | None] = mapped_column(KEY_ID)
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, server_default="0")
    processed: Mapped[int] = mapped_column(Integer, server_default="0")
    duplicates: Mapped[int] = mapped_column(Integer, server_default="0")
    failed: Mapped[int] = mapped_column(Integer, server_default="0")
    failures: Mapped[list | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


__all__ = ["ApiKeyRow", "Base", "JobRow"]
