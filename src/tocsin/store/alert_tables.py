"""Tables for alerts, the events and signals behind them, subscriptions and deliveries
(created by migration 0004).

``alerts`` keeps one row per alert (one situation), updated as it goes new -> ongoing ->
resolved; ``detail`` holds its JSON (events with evidence, signals). ``alert_events`` links an
alert to the event ids it counts (role "event") or carries as signals (role "signal").
``alert_deliveries`` is the outbox: one row per notification of an alert state to a
subscription, written in the transaction that stores the alert (state "pending"), then
"delivered", or "dead" after its last try (the dead letter, with the payload and the last
error). ``next_attempt_at`` is when a pending row may be tried again (after a backoff, or when
the claim of a sender that died runs out); the columns it adds come from migration 0007.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.store.base import CODE, Base


class AlertRow(Base):
    __tablename__ = "alerts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(3), index=True)
    admin1: Mapped[str] = mapped_column(Text)
    admin2: Mapped[str | None] = mapped_column(Text)
    concern: Mapped[str] = mapped_column(CODE, index=True)
    status: Mapped[str] = mapped_column(CODE, index=True)
    start: Mapped[dt.date] = mapped_column(Date, index=True)
    end: Mapped[dt.date] = mapped_column(Date)
    resolved: Mapped[dt.date | None] = mapped_column(Date)
    score: Mapped[float] = mapped_column(Float)
    observed: Mapped[int] = mapped_column(Integer)
    expected: Mapped[float] = mapped_column(Float)
    people_kind: Mapped[str] = mapped_column(CODE)
    people_observed: Mapped[int] = mapped_column(Integer)
    people_expected: Mapped[float] = mapped_column(Float)
    detail: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class AlertEventRow(Base):
    __tablename__ = "alert_events"

    alert_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[str] = mapped_column(String(96), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(CODE, primary_key=True)


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(CODE)  # webhook or email
    target: Mapped[str] = mapped_column(Text)  # URL or address
    secret: Mapped[str | None] = mapped_column(Text)  # HMAC key of a webhook
    country: Mapped[str] = mapped_column(String(3), index=True)
    admin1: Mapped[str | None] = mapped_column(Text)
    concern: Mapped[str | None] = mapped_column(CODE)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


class DeliveryRow(Base):
    __tablename__ = "alert_deliveries"
    __table_args__ = (
        Index(
            "ix_alert_deliveries_once", "subscription_id", "alert_id", "alert_status", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    alert_id: Mapped[str] = mapped_column(String(64), index=True)
    alert_status: Mapped[str] = mapped_column(CODE)
    state: Mapped[str] = mapped_column(CODE, index=True)  # pending, delivered or dead
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )


__all__ = ["AlertEventRow", "AlertRow", "Base", "DeliveryRow", "SubscriptionRow"]
