"""``tocsin alerts``: list, check, watch, subscribe and backtest early-warning alerts; list
deliveries and retry dead letters."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from tocsin.cli.fitted_tables import fitted_table
from tocsin.cli.options import DB, open_db, parse_date, settings_from

if TYPE_CHECKING:
    from tocsin.store import Database

app = typer.Typer(help="Early-warning alerts: detect escalation, deliver, backtest.",
                  no_args_is_help=True)

AS_OF = typer.Option(None, "--as-of", help="Check up to this day YYYY-MM-DD (default: today).")
SMTP_HOST = typer.Option("localhost", "--smtp-host", help="SMTP server for e-mail alerts.")
SMTP_PORT = typer.Option(25, "--smtp-port", help="SMTP port.")
SMTP_FROM = typer.Option("tocsin@localhost", "--smtp-from", help="Sender address.")
STARTTLS = typer.Option(False, "--starttls", help="Upgrade the SMTP connection with STARTTLS.")


def _open(db: str | None) -> Database:
    return open_db(settings_from(db).db_url)


def _smtp(host: str, port: int, sender: str, starttls: bool):  # type: ignore[no-untyped-def]
    from tocsin.alerts.mail import SmtpSettings

    return SmtpSettings(host=host, port=port, sender=sender, starttls=starttls,
                        username=os.environ.get("TOCSIN_SMTP_USER"),
                        password=os.environ.get("TOCSIN_SMTP_PASSWORD"))


# The alerts table's columns, in order of preference: the alert id (as in the deliveries and
# /api/alerts) goes before the dates and the place; a concern is shown as --concern takes it.
ALERT_LAYOUTS = (
    ("id", "status", "dates", "place", "concern", "score", "events", "people", "signals"),
    ("id", "status", "dates", "place", "concern", "score", "events"),
    ("status", "dates", "place", "concern", "score", "events", "people"),
    ("status", "dates", "place", "concern", "score", "events"),
    ("status", "dates", "place", "concern"),
    ("status", "place", "concern"),
)


def _alert_row(alert: dict) -> dict[str, str]:
    people = alert["people"]
    place = ", ".join(p for p in (alert.get("admin2"), alert["admin1"], alert["country"]) if p)
    return {
        "id": alert["id"], "status": alert["status"],
        "dates": alert["start"] if alert["end"] == alert["start"]
        else f"{alert['start']}.. {alert['end']}",
        "place": place, "concern": alert["concern"], "score": str(alert["score"]),
        "events": str(alert["observed"]), "people": f"{people['observed']} {people['kind']}",
        "signals": str(len(alert["signals"])),
    }


def _print_alerts(alerts: list[dict]) -> None:
    """The alerts as a table that fits the terminal (stdout)."""
    console = Console()
    console.print(fitted_table([_alert_row(a) for a in alerts], ALERT_LAYOUTS, console.width,
                               right=frozenset({"score", "events", "people", "signals"})))


@app.command("list")
def list_command(
    db: str | None = DB,
    country: str | None = typer.Option(None, "--country", help="ISO 3166 alpha-3 code."),
    admin1: str | None = typer.Option(None, "--admin1"),
    concern: str | None = typer.Option(None, "--concern"),
    status: str | None = typer.Option(None, "--status", help="new, ongoing or resolved."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Stored alerts, newest first."""
    from tocsin.alerts.alert_store import AlertFilters, list_alerts

    database = _open(db)
    try:
        found = list_alerts(database, AlertFilters(country, admin1, concern, status))
    finally:
        database.close()
    if as_json:
        typer.echo(json.dumps({"alerts": found}, ensure_ascii=False))
        return
    if found:
        _print_alerts(found)
    else:
        typer.echo("no alerts")


def _check_once(database: Database, as_of: str | None, smtp, as_json: bool) -> int:  # type: ignore[no-untyped-def]
    """One check; returns how many deliveries tried in it ended as dead letters."""
    from tocsin.alerts.check import check_alerts

    result = check_alerts(database, as_of=parse_date(as_of), smtp=smtp)
    if as_json:
        typer.echo(json.dumps({
            "alerts": [a.to_dict() for a in result.alerts],
            "changed": [a.id for a in result.changed],
            "delivered": result.notified.delivered,
            "dead": result.notified.dead,
            "dead_deliveries": result.notified.dead_ids,
        }, ensure_ascii=False))
    else:
        if result.alerts:
            _print_alerts([alert.to_dict() for alert in result.alerts])
        typer.echo(f"{len(result.alerts)} alerts, {len(result.changed)} new or changed; "
                   f"{result.notified.delivered} delivered, {result.notified.dead} dead letters")
    for delivery_id, error in zip(result.notified.dead_ids, result.notified.errors, strict=True):
        typer.echo(f"dead letter {delivery_id}: {error} (tocsin alerts retry {delivery_id})",
                   err=True)
    return result.notified.dead


@app.command("check")
def check_command(
    db: str | None = DB,
    as_of: str | None = AS_OF,
    smtp_host: str = SMTP_HOST,
    smtp_port: int = SMTP_PORT,
    smtp_from: str = SMTP_FROM,
    starttls: bool = STARTTLS,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Detect alerts from the stored events, store them and notify subscribers (sending too
    what an earlier run left pending). Exit 1 when a delivery tried now ends as a dead letter."""
    database = _open(db)
    try:
        dead = _check_once(database, as_of, _smtp(smtp_host, smtp_port, smtp_from, starttls),
                           as_json)
    finally:
        database.close()
    if dead:
        raise typer.Exit(1)


@app.command("watch")
def watch_command(
    db: str | None = DB,
    interval: float = typer.Option(300.0, "--interval", help="Seconds between checks."),
    times: int = typer.Option(0, "--times", help="Stop after this many checks (0: never)."),
    smtp_host: str = SMTP_HOST,
    smtp_port: int = SMTP_PORT,
    smtp_from: str = SMTP_FROM,
    starttls: bool = STARTTLS,
) -> None:
    """Check again every --interval seconds until interrupted."""
    database = _open(db)
    smtp = _smtp(smtp_host, smtp_port, smtp_from, starttls)
    done = 0
    try:
        while True:
            _check_once(database, None, smtp, False)
            done += 1
            if times and done >= times:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        pass
    finally:
        database.close()


STATES = ("pending", "delivered", "dead")
# The deliveries table's columns, widest layout first; the delivery id (for ``alerts retry``)
# and the alert id are never dropped or cut.
DELIVERY_LAYOUTS = (
    ("id", "alert", "status", "state", "tries", "kind", "to", "last error", "updated"),
    ("id", "alert", "status", "state", "tries", "to", "last error"),
    ("id", "alert", "state", "tries", "last error"),
    ("id", "alert", "state", "last error"),
    ("id", "alert", "state"),
)


@app.command("deliveries")
def deliveries_command(
    db: str | None = DB,
    state: str | None = typer.Option(None, "--state", help="pending, delivered or dead."),
    limit: int = typer.Option(100, "--limit", help="At most this many, newest first."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Alert deliveries to subscribers, newest first: pending, delivered and dead letters."""
    from tocsin.alerts.alert_store import list_deliveries

    if state is not None and state not in STATES:
        typer.echo(f"error: --state must be one of {', '.join(STATES)}, not {state!r}", err=True)
        raise typer.Exit(2)
    if limit < 1:
        typer.echo("error: --limit must be positive", err=True)
        raise typer.Exit(2)
    database = _open(db)
    try:
        found = list_deliveries(database, state, limit)
    finally:
        database.close()
    if as_json:
        typer.echo(json.dumps({"deliveries": found, "count": len(found)}, ensure_ascii=False))
        return
    if not found:
        typer.echo("no deliveries")
        return
    rows = [{"id": str(row["id"]), "alert": row["alert_id"], "status": row["alert_status"],
             "state": row["state"], "tries": str(row["attempts"]), "kind": row["kind"],
             "to": row["target"], "last error": row["last_error"] or "",
             "updated": (row["updated_at"] or "")[:19].replace("T", " ")} for row in found]
    console = Console()
    console.print(fitted_table(rows, DELIVERY_LAYOUTS, console.width,
                               right=frozenset({"id", "tries"})))


@app.command("retry")
def retry_command(
    ids: list[int] | None = typer.Argument(None, help="Delivery ids (default: every dead one)."),
    db: str | None = DB,
    smtp_host: str = SMTP_HOST,
    smtp_port: int = SMTP_PORT,
    smtp_from: str = SMTP_FROM,
    starttls: bool = STARTTLS,
) -> None:
    """Send dead letters again with fresh tries. Exit 1 when one ends dead again."""
    from tocsin.alerts.notify import retry

    database = _open(db)
    try:
        revived, report = retry(database, ids or None,
                                _smtp(smtp_host, smtp_port, smtp_from, starttls))
    finally:
        database.close()
    missing = sorted(set(ids or []) - set(revived))
    for delivery_id in missing:
        typer.echo(f"error: delivery {delivery_id} is not a dead letter", err=True)
    typer.echo(f"{len(revived)} dead letters retried: {report.delivered} delivered, "
               f"{report.dead} dead again")
    for delivery_id, error in zip(report.dead_ids, report.errors, strict=True):
        typer.echo(f"dead letter {delivery_id}: {error}", err=True)
    if report.dead:
        raise typer.Exit(1)
    if missing:
        raise typer.Exit(2)


@app.command("subscribe")
def subscribe_command(
    country: str = typer.Option(..., "--country", help="ISO 3166 alpha-3 code."),
    webhook: str | None = typer.Option(None, "--webhook", help="URL to POST alerts to."),
    email: str | None = typer.Option(None, "--email", help="Address to mail alerts to."),
    admin1: str | None = typer.Option(None, "--admin1", help="Only this first-level area."),
    concern: str | None = typer.Option(None, "--concern", help="Only this concern."),
    secret: str | None = typer.Option(None, "--secret", help="Webhook HMAC key (default: random)."),
    db: str | None = DB,
) -> None:
    """Subscribe a webhook or an e-mail address to a country's alerts."""
    from tocsin.alerts.alert_store import add_subscription
    from tocsin.alerts.config import default_rules

    if (webhook is None) == (email is None):
        typer.echo("error: give exactly one of --webhook URL or --email ADDR", err=True)
        raise typer.Exit(2)
    if len(country) != 3 or not country.isalpha():
        typer.echo(f"error: --country must be an ISO 3166 alpha-3 code, not {country!r}", err=True)
        raise typer.Exit(2)
    if concern and concern not in default_rules().concerns:
        known = ", ".join(default_rules().concerns)
        typer.echo(f"error: unknown concern {concern!r} (known: {known})", err=True)
        raise typer.Exit(2)
    if webhook and not webhook.startswith(("http://", "https://")):
        typer.echo(f"error: --webhook must be an http(s) URL, not {webhook!r}", err=True)
        raise typer.Exit(2)
    if email and "@" not in email:
        typer.echo(f"error: --email must be an address, not {email!r}", err=True)
        raise typer.Exit(2)
    database = _open(db)
    try:
        kind, target = ("webhook", webhook) if webhook else ("email", email)
        subscription = add_subscription(database, kind, target or "", country, admin1, concern,
                                        secret)
    finally:
        database.close()
    typer.echo(f"subscription {subscription.id}: {kind} {target} for {subscription.country}"
               + (f"/{admin1}" if admin1 else "") + (f" ({concern})" if concern else ""))
    if subscription.secret and kind == "webhook":
        typer.echo(f"signing secret: {subscription.secret}")


@app.command("backtest")
def backtest_command(
    ucdp: Path = typer.Option(..., "--ucdp", help="UCDP GED CSV export (HDX, HXL row 2)."),
    onsets: Path | None = typer.Option(None, "--onsets", help="TSV of known escalations "
                                       "(default: the shipped Iraq list)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Replay UCDP GED events through the detector and score it against known onsets."""
    from tocsin.alerts.backtest import CALM_YEARS, backtest_ucdp
    from tocsin.alerts.onsets import load_onsets

    if not ucdp.is_file():
        typer.echo(f"error: no such file: {ucdp}", err=True)
        raise typer.Exit(2)
    try:
        result = backtest_ucdp(ucdp, load_onsets(onsets))
    except (OSError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    for onset in result.onsets:
        lead = "missed" if onset.lead_days is None else f"lead {onset.lead_days:+d} days"
        typer.echo(f"{onset.onset.day}  {onset.onset.admin1:<14} {onset.onset.name:<28} {lead}"
                   + ("" if onset.detected else "  (not within 3 days)"))
    median = result.calm_median()
    typer.echo(f"{len(result.alerts)} alerts; {sum(o.detected for o in result.onsets)}/"
               f"{len(result.onsets)} onsets detected; median alerts per month "
               f"{CALM_YEARS[0]}-{CALM_YEARS[-1]}: {median}")
