"""``tocsin run``: ingest inputs and process them into the database, with a progress bar whose
label says which model is loading while one loads; the summary goes to stdout, each failure to
stderr."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from tocsin.cli.model_loading import AnnouncedResources
from tocsin.cli.options import (
    DB,
    GAZETTEER,
    KIND,
    MODEL,
    PUBLISHED,
    check_kind,
    parse_date,
    settings_from,
)
from tocsin.sources import ReadOptions
from tocsin.sources.estimate import count_inputs

if TYPE_CHECKING:
    from tocsin.runner import RunSummary


def summary_line(summary: RunSummary) -> str:
    """One line: what was stored, what was stored before (same document id: an earlier run, or
    the same text twice in this one), what failed."""
    return (
        f"processed {summary.processed} (of which {summary.unsupported} in an unsupported "
        f"language), {summary.duplicates} already stored, failed {summary.failed}"
    )


def print_summary(summary: RunSummary, console: Console, errors: Console | None = None) -> None:
    """The summary line on ``console``; one line per failure on ``errors`` (default: stderr)."""
    console.print(summary_line(summary), markup=False, soft_wrap=True)
    errors = errors or Console(stderr=True)
    for failure in summary.failures:
        errors.print(
            f"failed: {failure.locator} [{failure.stage}] {failure.reason}",
            markup=False, highlight=False, soft_wrap=True,
        )


DOCUMENTS = "documents"


def command(
    inputs: list[str] = typer.Argument(..., help="Files, folders, globs, URLs, or - for stdin."),
    db: str | None = DB,
    published: str | None = PUBLISHED,
    source: str | None = typer.Option(None, "--source", help="Source name to record."),
    kind: str = KIND,
    gazetteer: Path | None = GAZETTEER,
    model: str | None = MODEL,
    max_bytes: int | None = typer.Option(None, "--max-bytes", help="Size cap per input."),
    engine: str = typer.Option("local", "--engine", help="local (one process) or dask."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler tcp://HOST:PORT (default: a local cluster)."
    ),
    workers: int = typer.Option(2, "--workers", help="Worker processes of a local Dask cluster."),
    staging: str | None = typer.Option(
        None, "--staging", help="Parquet staging folder or fsspec URL for --engine dask."
    ),
) -> None:
    """Ingest and process INPUTs into the database; exit 1 when some documents failed."""
    if engine not in ("local", "dask"):
        typer.echo(f"error: --engine must be local or dask, not {engine!r}", err=True)
        raise typer.Exit(2)
    settings = settings_from(db, gazetteer, model)
    if max_bytes:
        settings.max_bytes = max_bytes
    options = ReadOptions(
        published=parse_date(published),
        source=source,
        max_bytes=settings.max_bytes,
        timeout=settings.fetch_timeout,
        languages=settings.languages,
        kind=check_kind(kind),
    )
    console = Console(stderr=True)
    try:
        from tocsin.store import open_database  # the database layer loads when a command runs

        database = open_database(settings.db_url)
    except Exception as error:  # noqa: BLE001 - one-line reason for the user
        typer.echo(f"error: cannot open database {settings.db_url}: {error}", err=True)
        raise typer.Exit(2) from error
    show = console.is_terminal
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not show,
    ) as progress:
        total = count_inputs(inputs) if show else None
        task = progress.add_task(DOCUMENTS, total=total, rate="")

        @contextmanager
        def loading(label: str) -> Iterator[None]:
            before = next(t.description for t in progress.tasks if t.id == task)
            progress.update(task, description=label)
            try:
                yield
            finally:
                progress.update(task, description=before)

        resources = AnnouncedResources(settings, loading)

        def advance(n: int) -> None:
            progress.advance(task, n)
            elapsed = progress.tasks[0].elapsed or 0.0
            done = progress.tasks[0].completed
            if elapsed > 0:
                progress.update(task, rate=f"{done / elapsed:.1f} docs/s")

        try:
            if engine == "dask":
                from tocsin.cli.dask_run import run_on_dask

                summary = run_on_dask(inputs, database, settings, options, scheduler, workers,
                                      staging, advance)
            else:
                from tocsin.runner import run

                summary = run(inputs, database, resources, options, on_document=advance)
        finally:
            database.close()
    print_summary(summary, Console(file=sys.stdout))
    raise typer.Exit(1 if summary.failed else 0)
