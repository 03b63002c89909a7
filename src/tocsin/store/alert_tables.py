"""Tables for alerts, subscriptions and deliveries (created by migration 0004)."""

from __future__ import annotations

from tocsin.store.models import Base

__all__ = ["Base"]
