"""What ``tocsin run --engine dask`` calls: ``run_distributed`` with a one-line error on bad
input (standard input, a scheduler without staging, an unreachable scheduler)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import typer

from tocsin.distributed.engine import DistributedOptions, run_distributed
from tocsin.distributed.partitions import PlanError
from tocsin.runner import RunSummary
from tocsin.settings import Settings
from tocsin.sources import ReadOptions
from tocsin.store import Database


def run_on_dask(
    inputs: Sequence[str],
    database: Database,
    settings: Settings,
    read_options: ReadOptions,
    scheduler: str | None,
    workers: int,
    staging: str | None,
    on_document: Callable[[int], None] | None = None,
) -> RunSummary:
    """Run on Dask; exit 2 with a one-line reason when the run cannot start."""
    options = DistributedOptions(scheduler=scheduler, workers=workers, staging=staging)
    try:
        return run_distributed(
            inputs, database, settings, read_options, options, on_document=on_document
        )
    except (PlanError, ValueError, OSError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from error
