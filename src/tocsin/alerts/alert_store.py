"""Alerts, subscriptions and deliveries in the database (tables of ``store.alert_tables``).

``save_alerts`` upserts the alerts of a detection run and says which ones are news: stored for
the first time, or with a status different from the stored one. Subscriptions match an alert
by country, and optionally admin1 and concern.

Deliveries are an outbox: ``save_alerts`` writes one "pending" row per (subscription, alert,
status) in the transaction that stores the alerts, so an alert is never stored without its
notifications; a sender (``tocsin.alerts.notify``) claims due rows, and each ends "delivered" or
"dead" (the dead letters, which ``retry_dead`` makes pending again).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, insert, or_, select, update

from tocsin.alerts.lifecycle import Alert
from tocsin.alerts.onsets import fold_name
from tocsin.store import Database
from tocsin.store.alert_tables import AlertEventRow, AlertRow, DeliveryRow, SubscriptionRow
from tocsin.store.engine import WRITE_OPTION

alerts_table: Table = AlertRow.__table__  # type: ignore[assignment]
alert_events: Table = AlertEventRow.__table__  # type: ignore[assignment]
subscriptions: Table = SubscriptionRow.__table__  # type: ignore[assignment]
deliveries: Table = DeliveryRow.__table__  # type: ignore[assignment]

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
DELIVERY_STATES = (PENDING, DELIVERED, DEAD)


def _row(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "country": alert.area.country,
        "admin1": alert.area.admin1,
        "admin2": alert.area.admin2,
        "concern": alert.concern,
        "status": alert.status,
        "start": alert.start,
        "end": alert.end,
        "resolved": alert.resolved,
        "score": alert.score,
        "observed": alert.observed,
        "expected": alert.expected,
        "people_kind": alert.people_kind,
        "people_observed": alert.people_observed,
        "people_expected": alert.people_expected,
        "detail": json.dumps(alert.to_dict(), ensure_ascii=False),
    }


def notified_state(alert: Alert) -> str:
    """What a subscriber is told once: the status, and the escalation level of an open alert
    ("ongoing+2")."""
    if alert.escalation and alert.status != "resolved":
        return f"{alert.status}+{alert.escalation}"
    return alert.status


def save_alerts(database: Database, alerts: Sequence[Alert]) -> list[Alert]:
    """Store ``alerts`` (insert or update by id); return those that are new, changed status or
    escalated."""
    changed: list[Alert] = []
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            known = {
                row.id: f"{row.status}+{json.loads(row.detail).get('escalation', 0)}"
                for row in connection.execute(
                    select(alerts_table.c.id, alerts_table.c.status, alerts_table.c.detail))
            }
            for alert in alerts:
                values = _row(alert)
                if alert.id not in known:
                    connection.execute(insert(alerts_table).values(values))
                    changed.append(alert)
                else:
                    connection.execute(
                        update(alerts_table).where(alerts_table.c.id == alert.id).values(values)
                    )
                    if known[alert.id] != f"{alert.status}+{alert.escalation}":
                        changed.append(alert)
                connection.execute(delete(alert_events).where(alert_events.c.alert_id == alert.id))
                links = [{"alert_id": alert.id, "event_id": i, "role": "event"}
                         for i in dict.fromkeys(alert.event_ids)]
                links += [{"alert_id": alert.id, "event_id": i, "role": "signal"}
                          for i in dict.fromkeys(s.event_id for s in alert.signals)]
                if links:
                    connection.execute(insert(alert_events), links)
            _enqueue(connection, changed)
    return changed


def _payload(alert: Alert) -> str:
    return json.dumps({"type": "tocsin.alert", "alert": alert.to_dict()},
                      ensure_ascii=False, sort_keys=True)


def _enqueue(connection: Connection, alerts: Sequence[Alert]) -> int:
    """Write a pending delivery for every matching subscription of ``alerts`` that has none for
    the alert's state yet; return how many were written."""
    if not alerts:
        return 0
    matching = _subscriptions(connection)
    ids = [a.id for a in alerts]
    known = {
        (row.subscription_id, row.alert_id, row.alert_status)
        for row in connection.execute(
            select(deliveries.c.subscription_id, deliveries.c.alert_id, deliveries.c.alert_status)
            .where(deliveries.c.alert_id.in_(ids)))
    }
    rows = []
    for alert in alerts:
        state = notified_state(alert)
        payload = _payload(alert)
        for subscription in matching:
            key = (subscription.id, alert.id, state)
            if subscription.matches(alert) and key not in known:
                known.add(key)
                rows.append({"subscription_id": subscription.id, "alert_id": alert.id,
                             "alert_status": state, "state": PENDING, "attempts": 0,
                             "payload": payload})
    if rows:
        connection.execute(insert(deliveries), rows)
    return len(rows)


def enqueue_deliveries(database: Database, alerts: Sequence[Alert]) -> int:
    """Pending deliveries of ``alerts`` (already stored or not) to their subscribers, once per
    (subscription, alert, state)."""
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            return _enqueue(connection, alerts)


@dataclass(frozen=True)
class AlertFilters:
    country: str | None = None
    admin1: str | None = None
    concern: str | None = None
    status: str | None = None
    since: dt.date | None = None


def list_alerts(
    database: Database, filters: AlertFilters | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Stored alerts (their JSON form), newest start first."""
    filters = filters or AlertFilters()
    where = []
    if filters.country:
        where.append(alerts_table.c.country == filters.country.upper())
    if filters.concern:
        where.append(alerts_table.c.concern == filters.concern)
    if filters.status:
        where.append(alerts_table.c.status == filters.status)
    if filters.since:
        where.append(alerts_table.c.end >= filters.since)
    query = select(alerts_table.c.admin1, alerts_table.c.detail).where(and_(True, *where))
    query = query.order_by(alerts_table.c.start.desc(), alerts_table.c.id)
    with database.engine.connect() as connection:
        rows = connection.execute(query).all()
    wanted = fold_name(filters.admin1) if filters.admin1 else None
    found = [json.loads(detail) for admin1, detail in rows
             if wanted is None or fold_name(admin1) == wanted]
    return found[:limit] if limit is not None else found


@dataclass(frozen=True)
class Subscription:
    id: int
    kind: str
    target: str
    secret: str | None
    country: str
    admin1: str | None = None
    concern: str | None = None

    def matches(self, alert: Alert) -> bool:
        return (
            self.country.upper() == alert.area.country.upper()
            and (self.admin1 is None or fold_name(self.admin1) == fold_name(alert.area.admin1))
            and (self.concern is None or self.concern == alert.concern)
        )


def add_subscription(
    database: Database,
    kind: str,
    target: str,
    country: str,
    admin1: str | None = None,
    concern: str | None = None,
    secret: str | None = None,
) -> Subscription:
    """Store a subscription; a webhook gets a random HMAC secret unless one is given."""
    if kind not in ("webhook", "email"):
        raise ValueError(f"unknown subscription kind: {kind}")
    if kind == "webhook" and secret is None:
        secret = secrets.token_hex(32)
    values = {"kind": kind, "target": target, "secret": secret, "country": country.upper(),
              "admin1": admin1, "concern": concern}
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            new_id = connection.execute(
                insert(subscriptions).values(values).returning(subscriptions.c.id)
            ).scalar_one()
    return Subscription(id=new_id, **values)  # type: ignore[arg-type]


def _subscriptions(connection: Connection) -> list[Subscription]:
    rows = connection.execute(select(subscriptions).order_by(subscriptions.c.id)).mappings()
    return [
        Subscription(r["id"], r["kind"], r["target"], r["secret"], r["country"],
                     r["admin1"], r["concern"])
        for r in rows
    ]


def list_subscriptions(database: Database) -> list[Subscription]:
    with database.engine.connect() as connection:
        return _subscriptions(connection)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class PendingDelivery:
    """A delivery to send: its row and its subscription's address."""

    id: int
    alert_id: str
    alert_status: str
    attempts: int
    payload: str
    kind: str
    target: str
    secret: str | None


def due_deliveries(
    database: Database, ids: Sequence[int] | None = None, now: dt.datetime | None = None
) -> list[PendingDelivery]:
    """Pending deliveries that may be tried now (never tried, their backoff over, or their
    sender's claim run out), oldest first; only those of ``ids`` when given."""
    now = now or _now()
    query = (
        select(deliveries.c.id, deliveries.c.alert_id, deliveries.c.alert_status,
               deliveries.c.attempts, deliveries.c.payload, subscriptions.c.kind,
               subscriptions.c.target, subscriptions.c.secret)
        .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
        .where(deliveries.c.state == PENDING,
               or_(deliveries.c.next_attempt_at.is_(None), deliveries.c.next_attempt_at <= now))
        .order_by(deliveries.c.id)
    )
    if ids is not None:
        query = query.where(deliveries.c.id.in_(list(ids)))
    with database.engine.connect() as connection:
        return [PendingDelivery(*row) for row in connection.execute(query)]


def claim_delivery(database: Database, delivery_id: int, until: dt.datetime) -> bool:
    """Take a due pending delivery for one sender until ``until``; False when another sender
    took it first or it is no longer pending."""
    now = _now()
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            taken = connection.execute(
                update(deliveries)
                .where(deliveries.c.id == delivery_id, deliveries.c.state == PENDING,
                       or_(deliveries.c.next_attempt_at.is_(None),
                           deliveries.c.next_attempt_at <= now))
                .values(next_attempt_at=until, updated_at=now)
            )
    return taken.rowcount == 1


def update_delivery(
    database: Database,
    delivery_id: int,
    state: str,
    attempts: int,
    last_error: str | None,
    next_attempt_at: dt.datetime | None,
) -> None:
    """Record the outcome of a try (or the release of a claim)."""
    if state not in DELIVERY_STATES:
        raise ValueError(f"unknown delivery state: {state}")
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            connection.execute(
                update(deliveries).where(deliveries.c.id == delivery_id).values(
                    state=state, attempts=attempts, last_error=last_error,
                    next_attempt_at=next_attempt_at, updated_at=_now())
            )


def retry_dead(database: Database, ids: Sequence[int] | None = None) -> list[int]:
    """Make dead letters pending again with their tries reset (all of them, or those of
    ``ids``); return the ids made pending."""
    where = [deliveries.c.state == DEAD]
    if ids is not None:
        where.append(deliveries.c.id.in_(list(ids)))
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            found = list(connection.execute(
                select(deliveries.c.id).where(*where).order_by(deliveries.c.id)).scalars())
            if found:
                connection.execute(
                    update(deliveries).where(deliveries.c.id.in_(found)).values(
                        state=PENDING, attempts=0, next_attempt_at=None, updated_at=_now())
                )
    return found


def _when(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def list_deliveries(
    database: Database, state: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Deliveries with their subscription's kind and target, newest first (all states, or one);
    timestamps in ISO 8601."""
    if state is not None and state not in DELIVERY_STATES:
        raise ValueError(f"unknown delivery state {state!r} (known: {', '.join(DELIVERY_STATES)})")
    query = (
        select(deliveries.c.id, deliveries.c.alert_id, deliveries.c.alert_status,
               deliveries.c.subscription_id, subscriptions.c.kind, subscriptions.c.target,
               deliveries.c.state, deliveries.c.attempts, deliveries.c.last_error,
               deliveries.c.next_attempt_at, deliveries.c.created_at, deliveries.c.updated_at)
        .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
        .order_by(deliveries.c.id.desc())
    )
    if state is not None:
        query = query.where(deliveries.c.state == state)
    if limit is not None:
        query = query.limit(limit)
    with database.engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    found = []
    for row in rows:
        item = dict(row)
        for name in ("next_attempt_at", "created_at", "updated_at"):
            item[name] = _when(item[name])
        found.append(item)
    return found


def dead_letters(database: Database) -> list[dict[str, Any]]:
    """Deliveries that failed after their last try."""
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(deliveries).where(deliveries.c.state == DEAD).order_by(deliveries.c.id)
        ).mappings()
        return [dict(r) for r in rows]
