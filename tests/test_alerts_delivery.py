"""Alert delivery through real loopback servers: webhooks (signed, retried, dead letters) and
e-mail over SMTP (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import json
import socket
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tocsin.alerts.alert_store import add_subscription, dead_letters
from tocsin.alerts.lifecycle import NEW, Alert
from tocsin.alerts.mail import SmtpSettings, alert_subject, send_alert_email
from tocsin.alerts.notify import notify
from tocsin.alerts.observations import Area
from tocsin.alerts.webhooks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookPolicy,
    post_webhook,
    verify_signature,
)
from tocsin.store import Database, open_database

NO_WAIT = WebhookPolicy(attempts=3, backoff=0.5, timeout=2.0)


def sample_alert(status: str = NEW) -> Alert:
    return Alert(
        id="al-test", area=Area("SYR", "Latakia"), concern="displacement",
        start=dt.date(2015, 11, 18), end=dt.date(2015, 11, 20), status=status, score=9.5,
        observed=2, expected=0.09, people_kind="displaced", people_observed=1500,
        people_expected=1.5, event_ids=["ev-1"],
    )


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "alerts.sqlite"))
    try:
        yield database
    finally:
        database.close()


def test_webhook_success_carries_a_verifiable_signature(http_server) -> None:
    url = http_server.add("/hook", "ok", status=200)
    body = json.dumps({"hello": "world"}).encode()
    outcome = post_webhook(url, body, "s3cret", NO_WAIT, sleep=lambda _s: None)
    assert outcome.ok and outcome.attempts == 1
    method, path, headers, payload = http_server.requests[-1]
    assert (method, path, payload) == ("POST", "/hook", body)
    assert headers["Content-Type"] == "application/json"
    assert verify_signature("s3cret", headers[TIMESTAMP_HEADER], payload,
                            headers[SIGNATURE_HEADER])
    assert not verify_signature("other", headers[TIMESTAMP_HEADER], payload,
                                headers[SIGNATURE_HEADER])
    assert not verify_signature("s3cret", headers[TIMESTAMP_HEADER], payload + b" ",
                                headers[SIGNATURE_HEADER])


def test_failing_endpoint_is_retried_with_backoff_then_dead_lettered(http_server, db) -> None:
    url = http_server.add("/broken", "boom", status=500)
    subscription = add_subscription(db, "webhook", url, "SYR", secret="k")
    waits: list[float] = []
    report = notify(db, [sample_alert()], webhook_policy=NO_WAIT, sleep=waits.append)
    assert (report.delivered, report.dead) == (0, 1)
    assert len([r for r in http_server.requests if r[1] == "/broken"]) == 3
    assert waits == [0.5, 1.0]  # backoff doubles between tries
    [letter] = dead_letters(db)
    assert letter["subscription_id"] == subscription.id
    assert letter["alert_id"] == "al-test" and letter["attempts"] == 3
    assert letter["last_error"] == "HTTP 500"
    assert json.loads(letter["payload"])["alert"]["admin1"] == "Latakia"
    # The same alert state is not sent again on the next check.
    again = notify(db, [sample_alert()], webhook_policy=NO_WAIT, sleep=waits.append)
    assert (again.delivered, again.dead) == (0, 0)


def test_an_escalated_alert_is_sent_again_once_per_level(http_server, db) -> None:
    url = http_server.add("/ok", "ok", status=200)
    add_subscription(db, "webhook", url, "SYR", secret="k")
    alert = sample_alert()
    assert notify(db, [alert], webhook_policy=NO_WAIT).delivered == 1
    assert notify(db, [alert], webhook_policy=NO_WAIT).delivered == 0
    alert.escalation = 1
    assert notify(db, [alert], webhook_policy=NO_WAIT).delivered == 1
    assert notify(db, [alert], webhook_policy=NO_WAIT).delivered == 0
    payloads = [json.loads(r[3])["alert"] for r in http_server.requests if r[1] == "/ok"]
    assert [p["escalation"] for p in payloads] == [0, 1]
    assert "escalated x1" in alert_subject(alert.to_dict())
    assert "escalated" not in alert_subject(sample_alert().to_dict())


def test_saving_reports_new_changed_and_escalated_alerts(db) -> None:
    from tocsin.alerts.alert_store import save_alerts

    alert = sample_alert()
    assert save_alerts(db, [alert]) == [alert]
    assert save_alerts(db, [alert]) == []
    alert.escalation = 2
    assert save_alerts(db, [alert]) == [alert]
    assert save_alerts(db, [alert]) == []


def test_hanging_endpoint_times_out(http_server) -> None:
    url = http_server.add("/slow", "late", status=200, delay=3.0)
    policy = WebhookPolicy(attempts=1, backoff=0.0, timeout=0.5)
    outcome = post_webhook(url, b"{}", "k", policy, sleep=lambda _s: None)
    assert not outcome.ok
    assert outcome.error is not None and "timed out" in outcome.error


def test_notify_delivers_once_per_status_and_only_to_matching_subscriptions(
    http_server, db
) -> None:
    url = http_server.add("/ok", "ok", status=200)
    add_subscription(db, "webhook", url, "SYR", admin1="Latakia", secret="k")
    add_subscription(db, "webhook", http_server.add("/tr", "ok"), "TUR", secret="k")
    add_subscription(db, "webhook", http_server.add("/vac", "ok"), "SYR",
                     concern="violence_against_civilians", secret="k")
    assert notify(db, [sample_alert()], webhook_policy=NO_WAIT).delivered == 1
    assert notify(db, [sample_alert()], webhook_policy=NO_WAIT).delivered == 0
    assert notify(db, [sample_alert("resolved")], webhook_policy=NO_WAIT).delivered == 1
    assert [r[1] for r in http_server.requests] == ["/ok", "/ok"]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp_server() -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def test_email_is_sent_over_smtp_with_the_evidence(smtp_server, db) -> None:
    inbox, port = smtp_server
    settings = SmtpSettings(host="127.0.0.1", port=port, sender="bell@tocsin.test")
    alert = sample_alert()
    alert.events = [{"event": "DISPLACEMENT", "start": "2015-11-18", "place": {"name": "Latakia"},
                     "evidence": [{"sentence": "Some 1,500 people fled."}]}]
    add_subscription(db, "email", "desk@example.org", "SYR")
    report = notify(db, [alert], smtp=settings)
    assert (report.delivered, report.dead) == (1, 0)
    [(sender, recipients, content)] = inbox.messages
    assert sender == "bell@tocsin.test" and recipients == ["desk@example.org"]
    message = message_from_bytes(content)
    assert "displacement in Latakia, SYR" in message["Subject"]
    text = message.get_payload(decode=True).decode()
    assert "displaced: 1500 observed" in text and "Some 1,500 people fled." in text


def test_email_to_a_server_without_starttls_fails_cleanly(smtp_server) -> None:
    _inbox, port = smtp_server
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=True, timeout=5)
    outcome = send_alert_email(settings, "desk@example.org", sample_alert().to_dict())
    assert not outcome.ok and outcome.error and "STARTTLS" in outcome.error.upper()


@pytest.fixture()
def tls_smtp_server() -> Iterator[tuple[_Inbox, int, object]]:
    """An SMTP server that requires STARTTLS, with a certificate from a throwaway CA."""
    import ssl

    import trustme

    authority = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(),
                            tls_context=server_context, require_starttls=True)
    controller.start()
    try:
        yield inbox, controller.port, authority
    finally:
        controller.stop()


def test_email_over_starttls_reaches_a_server_that_requires_it(tls_smtp_server) -> None:
    import ssl

    inbox, port, authority = tls_smtp_server
    trusting = ssl.create_default_context()
    authority.configure_trust(trusting)
    plain = SmtpSettings(host="127.0.0.1", port=port, timeout=5)
    refused = send_alert_email(plain, "desk@example.org", sample_alert().to_dict())
    assert not refused.ok and inbox.messages == []  # the server insists on STARTTLS
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=True, timeout=5,
                            sender="bell@tocsin.test", ssl_context=trusting)
    outcome = send_alert_email(settings, "desk@example.org", sample_alert().to_dict())
    assert outcome.ok, outcome.error
    [(sender, recipients, content)] = inbox.messages
    assert (sender, recipients) == ("bell@tocsin.test", ["desk@example.org"])
    assert "[Tocsin]" in message_from_bytes(content)["Subject"]


def test_starttls_with_an_untrusted_certificate_fails_cleanly(tls_smtp_server) -> None:
    inbox, port, _authority = tls_smtp_server
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=True, timeout=5)
    outcome = send_alert_email(settings, "desk@example.org", sample_alert().to_dict())
    assert not outcome.ok and "CERTIFICATE" in (outcome.error or "").upper()
    assert inbox.messages == []


def test_email_to_a_closed_port_is_a_failure_not_a_crash() -> None:
    settings = SmtpSettings(host="127.0.0.1", port=_free_port(), timeout=2)
    outcome = send_alert_email(settings, "desk@example.org", sample_alert().to_dict())
    assert not outcome.ok and outcome.error
