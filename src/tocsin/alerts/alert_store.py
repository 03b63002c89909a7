"""Alerts, subscriptions and deliveries in the database (tables of ``store.alert_tables``).

``save_alerts`` upserts the alerts of a detection run and says which ones are news: stored for
the first time, or with a status different from the stored one. Subscriptions match an alert
by country, and optionally admin1 and concern. A delivery row per (subscription, alert,
status) makes notification idempotent; rows in state "dead" are the dead letters.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, delete, insert, select, update

from tocsin.alerts.lifecycle import Alert
from tocsin.alerts.onsets import fold_name
from tocsin.store import Database
from tocsin.store.alert_tables import AlertEventRow, AlertRow, DeliveryRow, SubscriptionRow
from tocsin.store.engine import WRITE_OPTION

alerts_table: Table = AlertRow.__table__  # type: ignore[assignment]
alert_events: Table = AlertEventRow.__table__  # type: ignore[assignment]
subscriptions: Table = SubscriptionRow.__table__  # type: ignore[assignment]
deliveries: Table = DeliveryRow.__table__  # type: ignore[assignment]

DELIVERED, DEAD = "delivered", "dead"


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
    return changed


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


def list_subscriptions(database: Database) -> list[Subscription]:
    with database.engine.connect() as connection:
        rows = connection.execute(select(subscriptions).order_by(subscriptions.c.id)).mappings()
        return [
            Subscription(r["id"], r["kind"], r["target"], r["secret"], r["country"],
                         r["admin1"], r["concern"])
            for r in rows
        ]


def already_delivered(database: Database, subscription_id: int, alert: Alert) -> bool:
    with database.engine.connect() as connection:
        found = connection.execute(
            select(deliveries.c.id).where(
                deliveries.c.subscription_id == subscription_id,
                deliveries.c.alert_id == alert.id,
                deliveries.c.alert_status == notified_state(alert),
            )
        ).first()
    return found is not None


def record_delivery(
    database: Database,
    subscription_id: int,
    alert: Alert,
    state: str,
    attempts: int,
    payload: str,
    last_error: str | None = None,
) -> None:
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            connection.execute(
                insert(deliveries).values(
                    subscription_id=subscription_id, alert_id=alert.id,
                    alert_status=notified_state(alert), state=state, attempts=attempts,
                    last_error=last_error, payload=payload,
                )
            )


def dead_letters(database: Database) -> list[dict[str, Any]]:
    """Deliveries that failed after their last try."""
    with database.engine.connect() as connection:
        rows = connection.execute(
            select(deliveries).where(deliveries.c.state == DEAD).order_by(deliveries.c.id)
        ).mappings()
        return [dict(r) for r in rows]
