"""E-mail delivery of alerts over SMTP, with optional STARTTLS and login."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from tocsin.alerts.webhooks import DeliveryOutcome


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int = 25
    sender: str = "tocsin@localhost"
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0
    ssl_context: ssl.SSLContext | None = None  # for STARTTLS; default: system trust store


def alert_subject(alert: dict[str, Any]) -> str:
    place = ", ".join(p for p in (alert.get("admin2"), alert["admin1"], alert["country"]) if p)
    status = alert["status"]
    if alert.get("escalation") and status != "resolved":
        status = f"{status}, escalated x{alert['escalation']}"
    return f"[Tocsin] {status}: {alert['concern'].replace('_', ' ')} in {place}"


def alert_text(alert: dict[str, Any]) -> str:
    people = alert["people"]
    lines = [
        alert_subject(alert).removeprefix("[Tocsin] "),
        f"Window: {alert['start']} to {alert['end']}"
        + (f" (resolved {alert['resolved']})" if alert.get("resolved") else ""),
        f"Events: {alert['observed']} observed, {alert['expected']} expected",
        f"People {people['kind']}: {people['observed']} observed, {people['expected']} expected",
        f"Score: {alert['score']}",
        "",
        "Events:",
    ]
    for event in alert.get("events", []):
        lines.append(f"- {event['event']} {event.get('start') or ''} "
                     f"{(event.get('place') or {}).get('name') or ''}")
        lines.extend(f"    \"{e['sentence']}\"" for e in event.get("evidence", [])[:2])
    if alert.get("signals"):
        lines += ["", "Signals (not counted):"]
        for signal in alert["signals"]:
            lines.append(f"- {signal['event']} ({signal['modality']})")
            lines.extend(f"    \"{s}\"" for s in signal.get("evidence", [])[:1])
    return "\n".join(lines) + "\n"


def send_alert_email(
    settings: SmtpSettings, recipient: str, alert: dict[str, Any]
) -> DeliveryOutcome:
    """Send one alert to ``recipient``; errors are returned, not raised."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = alert_subject(alert)
    message.set_content(alert_text(alert))
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=settings.ssl_context or ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as problem:
        return DeliveryOutcome(False, 1, f"{type(problem).__name__}: {problem}")
    return DeliveryOutcome(True, 1)
