"""``tocsin extract``: analyse one input without storing it and print what was found (on stdout;
errors and the model-loading spinner on stderr)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from tocsin.cli.model_loading import AnnouncedResources, LoadingSpinner
from tocsin.cli.options import (
    GAZETTEER,
    KIND,
    MODEL,
    PUBLISHED,
    check_kind,
    parse_date,
    settings_from,
)
from tocsin.extraction import ExtractionError, extract_document
from tocsin.records import DocumentResult, Failure
from tocsin.sources import ReadOptions, read_inputs


def _show(result: DocumentResult) -> None:
    doc = result.document
    typer.echo(f"document {doc.id} ({doc.format}, {doc.language}, {doc.status})")
    if doc.title:
        typer.echo(f"  title: {doc.title}")
    typer.echo(f"  published: {doc.published}  sentences: {len(result.sentences)}")
    for place in result.places:
        where = f"{place.name}, {place.country} ({place.precision})" if place.name else "unresolved"
        typer.echo(f"  place: {place.text} -> {where}{' [metonym]' if place.metonym else ''}")
    for event in result.events:
        typer.echo(f"  event: {event.event} [{event.modality}] {event.evidence.sentence[:100]}")
    for total in result.totals:  # aggregates over a period, not events
        start = total.period.start
        period = f"since {start.isoformat()}" if start else total.period_text
        figure = " ".join(x for x in (total.qualifier, str(total.value)) if x)
        typer.echo(f"  total: {total.category} {figure} ({period}) "
                   f"{total.evidence.sentence[:80]}")


def command(
    file: str = typer.Argument(..., help="A file, URL, or - for stdin."),
    published: str | None = PUBLISHED,
    kind: str = KIND,
    as_json: bool = typer.Option(False, "--json", help="Print the record as JSON."),
    gazetteer: Path | None = GAZETTEER,
    model: str | None = MODEL,
) -> None:
    """Process one document without storing it."""
    settings = settings_from(gazetteer=gazetteer, model=model)
    resources = AnnouncedResources(settings, LoadingSpinner(Console(stderr=True)))
    options = ReadOptions(
        published=parse_date(published),
        max_bytes=settings.max_bytes,
        timeout=settings.fetch_timeout,
        languages=settings.languages,
        kind=check_kind(kind),
    )
    records: list[dict] = []
    failed = False
    for item in read_inputs([file], options):
        if isinstance(item, Failure):
            typer.echo(f"error: {item.locator}: {item.reason}", err=True)
            failed = True
            continue
        try:
            result = extract_document(item, resources)
        except ExtractionError as error:
            typer.echo(f"error: {item.locator}: {error}", err=True)
            failed = True
            continue
        if as_json:
            records.append(result.to_dict())
        else:
            _show(result)
    if as_json and records:
        payload = records[0] if len(records) == 1 else records
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    raise typer.Exit(1 if failed else 0)
