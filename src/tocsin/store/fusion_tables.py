"""Tables for fused events, their mention links and corrections (migration 0002)."""

from __future__ import annotations

from tocsin.store.models import Base

__all__ = ["Base"]
