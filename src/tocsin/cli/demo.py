"""``tocsin demo``: run the pipeline on the bundled demo corpus, check its alerts, and show the
result."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from tocsin.cli.model_loading import AnnouncedResources, LoadingSpinner
from tocsin.cli.options import GAZETTEER, parse_date, settings_from
from tocsin.cli.run import print_summary
from tocsin.demo import corpus_path
from tocsin.sources import ReadOptions

if TYPE_CHECKING:
    from tocsin.alerts.lifecycle import Alert
    from tocsin.records import DocumentResult, Event

# The corpus tells mostly of Latakia in November 2015 (reports of 18 to 23 November); its alerts
# are checked as of the day after, so the dashboard opens on that story's alerts still open.
ALERTS_AS_OF = dt.date(2015, 11, 24)


def _alerts_table(alerts: list[Alert], as_of: dt.date) -> Table:
    table = Table(title=f"Alerts (checked as of {as_of.isoformat()})")
    for column in ("status", "window", "area", "concern", "events", "people", "score"):
        table.add_column(column)
    for a in alerts:
        area = ", ".join(x for x in (a.area.admin2, a.area.admin1, a.area.country) if x)
        table.add_row(
            a.status, f"{a.start}..{a.end}", area, a.concern.replace("_", " "),
            f"{a.observed} vs {a.expected:.2f}", f"{a.people_observed} {a.people_kind}",
            f"{a.score:.0f}",
        )
    return table


def _documents_table(results: list[DocumentResult]) -> Table:
    table = Table(title="Documents", show_lines=False)
    for column in ("id", "format", "lang", "status", "published", "title", "sentences"):
        table.add_column(column)
    for r in results:
        d = r.document
        table.add_row(
            d.id[:10], d.format, d.language or "", d.status, str(d.published or ""),
            (d.title or d.text[:50]).strip(), str(len(r.sentences)),
        )
    return table


def _places_table(results: list[DocumentResult]) -> Table:
    table = Table(title="Places")
    for column in ("document", "text", "resolved to", "country", "lat, lon", "precision"):
        table.add_column(column)
    for r in results:
        for p in r.places:
            where = f"{p.lat:.2f}, {p.lon:.2f}" if p.lat is not None and p.lon is not None else ""
            name = (p.name or "") + (" (metonym)" if p.metonym else "")
            table.add_row(
                r.document.id[:10], p.text, name, p.country or "", where, p.precision or ""
            )
    return table


def _entities_table(results: list[DocumentResult]) -> Table:
    table = Table(title="Named entities")
    table.add_column("document")
    table.add_column("entities")
    for r in results:
        ents = ", ".join(f"{e.text} [{e.label}]" for e in r.entities[:12])
        table.add_row(r.document.id[:10], ents)
    return table


def _events_table(results: list[DocumentResult]) -> Table:
    table = Table(title="Event mentions")
    for column in ("event", "modality", "who", "on whom", "where", "when", "counts", "evidence"):
        table.add_column(column)
    for r in results:
        for e in r.events:
            counts = ", ".join(
                f"{k} {v}" for k, v in vars(e.counts).items()
                if v is not None and k not in ("qualifier", "unit")
            )
            if e.counts.qualifier and counts:
                counts = f"{e.counts.qualifier} {counts}"
            table.add_row(
                e.event + (f"/{e.mode}" if e.mode else ""),
                e.modality,
                e.actor1.text if e.actor1 else "",
                e.actor2.text if e.actor2 else "",
                (e.location.name or e.location.text) if e.location else "",
                str(e.date.start) if e.date and e.date.start else "",
                counts,
                e.evidence.sentence[:80],
            )
    return table


def _fused_table(events: list[Event]) -> Table:
    table = Table(title="Events (each fused from every report of it)")
    for column in ("id", "date", "event", "where", "who", "counts", "sources", "reports"):
        table.add_column(column)
    for e in events:
        counts = ", ".join(
            f"{k} {v}" for k, v in vars(e.counts).items()
            if v is not None and k not in ("qualifier", "unit")
        )
        if e.counts.qualifier and counts:
            counts = f"{e.counts.qualifier} {counts}"
        where = ""
        if e.location:
            parts = (e.location.name or e.location.text, e.location.country)
            where = ", ".join(x for x in parts if x)
        when = ""
        if e.date and e.date.start:
            when = str(e.date.start)
            if e.date.end and e.date.end != e.date.start:
                when += f"..{e.date.end}"
        table.add_row(
            e.id,
            when,
            e.event + (f"/{e.mode}" if e.mode else ""),
            where,
            e.actor1.text if e.actor1 else "",
            counts,
            str(e.sources),
            str(len(e.mentions)),
        )
    return table


def command(
    db: str = typer.Option("tocsin-demo.sqlite", "--db", help="Database for the demo run."),
    gazetteer: Path | None = GAZETTEER,
    as_of: str = typer.Option(
        ALERTS_AS_OF.isoformat(), "--as-of",
        help="Check the alerts as of this day YYYY-MM-DD (default: the day after the corpus's "
        "Latakia reports).",
    ),
) -> None:
    """Run the pipeline on the bundled demo corpus, check its alerts, and show what it found."""
    alerts_day = parse_date(as_of) or ALERTS_AS_OF
    console = Console()
    settings = settings_from(db, gazetteer)
    # the store, the runner and the alerts load when the demo runs, not with every command
    from tocsin.alerts.check import check_alerts
    from tocsin.queries import EventFilters, query_events
    from tocsin.runner import run
    from tocsin.store import open_database

    database = open_database(settings.db_url)
    resources = AnnouncedResources(settings, LoadingSpinner(Console(stderr=True)))
    corpus = corpus_path()
    console.print(f"Demo corpus: {corpus}")
    console.print(f"Database: {settings.db_url}")
    try:
        summary = run([str(corpus)], database, resources, ReadOptions(languages=settings.languages))
        print_summary(summary, console)
        results = [r for r in (database.load_result(i) for i in database.document_ids()) if r]
        fused = query_events(database, EventFilters())
        # Stored as `tocsin alerts check` stores them (the dashboard's alerts panel reads them);
        # the demo has no subscribers, and delivers nothing.
        alerts = check_alerts(database, as_of=alerts_day, deliver=False).alerts
    finally:
        database.close()
    console.print(_documents_table(results))
    if fused:
        console.print(_fused_table(fused))
    elif any(r.events for r in results):
        console.print(_events_table(results))
    if any(r.places for r in results):
        console.print(_places_table(results))
    else:
        console.print(_entities_table(results))
    if alerts:
        console.print(_alerts_table(alerts, alerts_day))
    else:
        console.print(f"No alerts as of {alerts_day.isoformat()}.")
    console.print(f"Stored in {settings.db_url}. Try:")
    console.print(f"  tocsin events --db {db} --format json", markup=False)
    if fused:
        console.print(f"  tocsin event {fused[0].id} --db {db}", markup=False)
    console.print(f"  tocsin alerts list --db {db}", markup=False)
    console.print(f"  tocsin serve --db {db}   (then open http://127.0.0.1:8000/)", markup=False)
