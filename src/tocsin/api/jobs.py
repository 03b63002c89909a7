"""Ingestion jobs: documents posted to the API go through the runner in a background thread.

``JobQueue.submit`` records a job (status ``queued``) and hands it to a small pool of threads,
so posts return at once. A job fetches its URLs on its own thread (each fetch within the fetch
timeout in all, to the addresses the read options' network policy permits), then takes the
pipeline lock, so the spaCy pipeline is never used by two threads together and a job whose URL
hangs does not hold up the jobs posted after it. The job's
row is updated as documents are done; ``JobQueue.get`` reads it back. Jobs that a stopped server
left unfinished are marked failed when the next queue opens on the database.
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, select, update

from tocsin.resources import Resources
from tocsin.runner import RunSummary, run
from tocsin.settings import Settings
from tocsin.sources import ReadOptions
from tocsin.sources.fetch import Fetched, FetchError, fetch
from tocsin.store import Database
from tocsin.store.api_tables import JobRow
from tocsin.store.engine import WRITE_OPTION

jobs: Table = JobRow.__table__  # type: ignore[assignment]

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"

# Runs the pipeline over inputs into the database: the runner's signature, minus resources.
Process = Callable[[Sequence[str], Database, ReadOptions, Callable[[int], None]], RunSummary]


@dataclass
class JobItem:
    """One posted document: exactly one of ``text``, ``html`` or ``url``."""

    text: str | None = None
    html: str | None = None
    url: str | None = None
    published: dt.date | None = None
    source: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class JobQueue:
    """Background ingestion for one database."""

    def __init__(
        self, database: Database, process: Process, read_options: ReadOptions, workers: int = 4
    ) -> None:
        self.database = database
        self.process = process
        self.read_options = read_options
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tocsin-job")
        self._pipeline = threading.Lock()
        self._abandon_unfinished()

    def _write(self, statement: Any) -> None:
        engine = self.database.engine
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
            with connection.begin():
                connection.execute(statement)

    def _abandon_unfinished(self) -> None:
        self._write(
            update(jobs)
            .where(jobs.c.status.in_((QUEUED, RUNNING)))
            .values(status=FAILED, error="the server stopped before the job finished",
                    finished_at=_now())
        )

    def submit(self, items: Sequence[JobItem], api_key_id: str | None = None) -> str:
        job_id = secrets.token_hex(8)
        self._write(
            insert(jobs).values(
                id=job_id, status=QUEUED, api_key_id=api_key_id, total=len(items), done=0,
                processed=0, duplicates=0, failed=0, failures=[], created_at=_now(),
            )
        )
        self._executor.submit(self._run, job_id, list(items))
        return job_id

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self.database.engine.connect() as connection:
            row = connection.execute(select(jobs).where(jobs.c.id == job_id)).mappings().first()
        if row is None:
            return None
        return {
            "id": row["id"],
            "status": row["status"],
            "total": row["total"],
            "done": row["done"],
            "processed": row["processed"],
            "duplicates": row["duplicates"],
            "failed": row["failed"],
            "failures": row["failures"] or [],
            "error": row["error"],
            "created_at": _iso(row["created_at"]),
            "started_at": _iso(row["started_at"]),
            "finished_at": _iso(row["finished_at"]),
        }

    def _run(self, job_id: str, items: list[JobItem]) -> None:
        self._write(update(jobs).where(jobs.c.id == job_id).values(status=RUNNING,
                                                                   started_at=_now()))
        totals = {"processed": 0, "duplicates": 0, "failed": 0}
        failures: list[dict[str, str]] = []
        try:
            with tempfile.TemporaryDirectory(prefix=f"tocsin-job-{job_id}-") as folder:
                for number, item in enumerate(items, start=1):
                    summary = self._run_item(Path(folder), job_id, number, item)
                    totals["processed"] += summary.processed
                    totals["duplicates"] += summary.duplicates
                    totals["failed"] += summary.failed
                    failures.extend(
                        {"item": str(number), "stage": f.stage, "reason": f.reason}
                        for f in summary.failures
                    )
                    self._write(
                        update(jobs).where(jobs.c.id == job_id)
                        .values(done=number, failures=failures, **totals)
                    )
        except Exception as error:  # noqa: BLE001 - the job reports it; the server goes on
            self._write(
                update(jobs).where(jobs.c.id == job_id).values(
                    status=FAILED, error=f"{type(error).__name__}: {error}", finished_at=_now()
                )
            )
            return
        self._write(update(jobs).where(jobs.c.id == job_id).values(status=DONE,
                                                                   finished_at=_now()))

    def _run_item(self, folder: Path, job_id: str, number: int, item: JobItem) -> RunSummary:
        options = ReadOptions(
            published=item.published,
            source=item.source,
            max_bytes=self.read_options.max_bytes,
            timeout=self.read_options.timeout,
            languages=self.read_options.languages,
            network=self.read_options.network,
        )
        if item.url is not None:
            target = item.url
            options.fetcher = self._fetch_ahead(item.url, options)
        else:
            suffix, body = (".html", item.html) if item.html is not None else (".txt", item.text)
            path = folder / f"item-{number}{suffix}"
            path.write_text(body or "", encoding="utf-8")
            target = str(path)
            options.locator = f"api:{job_id}#item={number}"  # not the server's temp path
        with self._pipeline:
            return self.process([target], self.database, options, lambda _n: None)

    @staticmethod
    def _fetch_ahead(url: str, options: ReadOptions) -> Callable[[str], Fetched]:
        """Fetch ``url`` now, outside the pipeline lock; the reader then gets the result."""
        try:
            result: Fetched | FetchError = fetch(
                url, timeout=options.timeout, max_bytes=options.max_bytes, network=options.network
            )
        except FetchError as error:
            result = error

        def fetched(wanted: str) -> Fetched:
            if wanted != url:  # not the URL fetched ahead: fetch it as the reader would
                return fetch(wanted, timeout=options.timeout, max_bytes=options.max_bytes,
                             network=options.network)
            if isinstance(result, FetchError):
                raise result
            return result

        return fetched

    def shutdown(self, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=not wait)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def runner_process(settings: Settings) -> Process:
    """The default ``Process``: ``tocsin.runner.run`` with resources loaded on first use (in
    the job thread, so the server starts fast and a job-less server never loads spaCy)."""
    loaded: list[Resources] = []

    def process(
        inputs: Sequence[str], database: Database, options: ReadOptions,
        on_document: Callable[[int], None],
    ) -> RunSummary:
        if not loaded:
            loaded.append(Resources(settings))
        return run(inputs, database, loaded[0], options, on_document=on_document)

    return process
