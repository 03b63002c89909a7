"""``tocsin watch``: poll feeds continuously into the database, or show the feeds' status."""

from __future__ import annotations

import json
import logging
import signal
from pathlib import Path
from types import FrameType

import typer
from rich.console import Console

from tocsin.cli.fitted_tables import fitted_table
from tocsin.cli.model_loading import AnnouncedResources, LoadingSpinner
from tocsin.cli.options import DB, GAZETTEER, MODEL, open_db, settings_from

# The feed status table's columns, widest layout first; the feed URL is never dropped.
STATUS_LAYOUTS = (
    ("feed", "last success", "last error", "failures", "items", "next poll"),
    ("feed", "last success", "last error", "failures"),
    ("feed", "last success", "last error"),
    ("feed", "last error"),
    ("feed",),
)


def _show_status(db_url: str, as_json: bool) -> None:
    from tocsin.watch import feed_status  # the watcher and the store load when a command runs

    with open_db(db_url) as database:
        rows = feed_status(database)
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in rows], indent=2))
        return
    table_rows = [{
        "feed": row.url,
        "last success": f"{row.last_success_at:%Y-%m-%d %H:%M:%S}" if row.last_success_at
        else "never",
        "last error": f"{row.last_error_at:%Y-%m-%d %H:%M:%S} {row.last_error}"
        if row.last_error else "",
        "failures": str(row.failures), "items": str(row.items_processed),
        "next poll": f"{row.next_poll_at:%Y-%m-%d %H:%M:%S}" if row.next_poll_at else "now",
    } for row in rows]
    console = Console()
    console.print(fitted_table(table_rows, STATUS_LAYOUTS, console.width,
                               right=frozenset({"failures", "items"})))


def command(
    feeds_file: Path | None = typer.Argument(
        None, help="Feed URLs, one per line ('URL articles' to fetch each entry's page)."
    ),
    db: str | None = DB,
    interval: float = typer.Option(300.0, "--interval", help="Seconds between polls of a feed."),
    status: bool = typer.Option(False, "--status", help="Show the feeds' state and exit."),
    as_json: bool = typer.Option(False, "--json", help="With --status: print JSON."),
    articles: bool = typer.Option(
        False, "--articles", help="Fetch every entry's article page (default: per feed)."
    ),
    host_delay: float = typer.Option(
        1.0, "--host-delay", help="Seconds between requests to one host."
    ),
    timeout: float = typer.Option(20.0, "--timeout", help="Seconds allowed per request."),
    once: bool = typer.Option(False, "--once", help="Poll every feed once, then exit."),
    no_alerts: bool = typer.Option(False, "--no-alerts", help="Do not run the alert check."),
    gazetteer: Path | None = GAZETTEER,
    model: str | None = MODEL,
) -> None:
    """Watch RSS/Atom feeds: process new items as they appear; stop with SIGTERM or Ctrl-C."""
    settings = settings_from(db, gazetteer, model)
    if status:
        _show_status(settings.db_url, as_json)
        return
    if feeds_file is None:
        typer.echo("error: give a FEEDS_FILE (or --status)", err=True)
        raise typer.Exit(2)
    if interval <= 0 or host_delay < 0 or timeout <= 0:
        typer.echo("error: --interval and --timeout must be positive", err=True)
        raise typer.Exit(2)
    from tocsin.store import open_database  # the watcher and the store load when it runs
    from tocsin.watch import Watcher, WatchOptions, read_feed_list
    from tocsin.watch.feed_list import FeedListError

    try:
        feeds = read_feed_list(feeds_file, articles=articles)
    except FeedListError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
    try:
        database = open_database(settings.db_url)
    except Exception as error:  # noqa: BLE001 - one-line reason for the user
        typer.echo(f"error: cannot open database {settings.db_url}: {error}", err=True)
        raise typer.Exit(2) from error
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is too many
    options = WatchOptions(interval=interval, host_delay=host_delay, timeout=timeout,
                           max_bytes=settings.max_bytes, check_alerts=not no_alerts)
    loading = LoadingSpinner(Console(stderr=True), logging.getLogger("tocsin.watch"))
    watcher = Watcher(feeds, database, AnnouncedResources(settings, loading), options)

    def stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger("tocsin.watch").info("signal %d: stopping", signum)
        watcher.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        if once:
            summary = watcher.poll_once(force=True)
            typer.echo(summary.line())
        else:
            logging.getLogger("tocsin.watch").info("watching %d feeds", len(feeds))
            watcher.run()
    finally:
        database.close()
