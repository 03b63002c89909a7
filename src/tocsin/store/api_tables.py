"""Tables for API keys and ingestion jobs (created by migration 0003)."""

from __future__ import annotations

from tocsin.store.models import Base

__all__ = ["Base"]
