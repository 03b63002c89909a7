"""Tables for watched feeds and their state (created by migration 0005)."""

from __future__ import annotations

from tocsin.store.models import Base

__all__ = ["Base"]
