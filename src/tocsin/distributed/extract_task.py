"""The Dask task: read one partition, analyse it with the pipeline's stage functions, stage it.

It feeds ``read_partition`` through the same ingest loop as the single-process runner
(``tocsin.ingest``), into a sink that turns results into staging rows (``result_rows``), with
the spaCy pipeline and gazetteer loaded once per worker process
(``shared_resources``). Documents already in the database (when the worker can reach it) and
repeats within the partition are skipped before the costly parse; repeats across partitions are
left to the loader. Only a small summary travels back to the scheduler.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from sqlalchemy.exc import SQLAlchemyError

from tocsin.distributed.partition_reader import read_partition
from tocsin.distributed.partitions import Partition
from tocsin.distributed.staging import (
    RESULT_TABLES,
    Row,
    StagedPartition,
    is_complete,
    partition_url,
    read_counts,
    write_partition,
)
from tocsin.distributed.worker_database import reachable_database
from tocsin.ingest import DUPLICATE, STORED, Ingest
from tocsin.records import Document, DocumentResult, Failure
from tocsin.resources import shared_resources
from tocsin.settings import Settings
from tocsin.sources import ReadOptions
from tocsin.store.rows import result_rows


def _known_ids(db_url: str | None, ids: list[str]) -> set[str]:
    database = reachable_database(db_url)
    if database is None or not ids:
        return set()
    try:
        return database.known_document_ids(ids)
    except SQLAlchemyError:
        return set()  # unreachable or not migrated yet: the loader skips what is stored


def _batches(items: Iterable[Document | Failure], size: int) -> Iterator[list[Document | Failure]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _failure_row(failure: Failure) -> Row:
    return {"locator": failure.locator, "stage": failure.stage, "reason": failure.reason}


class _StagingSink:
    """The task's ``DocumentSink``: rows for the staging tables, failures as rows, and the ids
    the database holds when the worker can reach it."""

    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url
        self.tables: dict[str, list[Row]] = {name: [] for name in RESULT_TABLES}
        self.failures: list[Row] = []

    def known_document_ids(self, ids: Iterable[str]) -> set[str]:
        return _known_ids(self.db_url, list(ids))

    def record_failure(self, failure: Failure) -> None:
        self.failures.append(_failure_row(failure))

    def store_result(self, result: DocumentResult) -> bool:
        rows = result_rows(result)
        for name in RESULT_TABLES:
            self.tables[name].extend(getattr(rows, name))
        return True


def extract_partition(
    partition: Partition,
    settings: Settings,
    options: ReadOptions,
    staging_root: str,
    salt: str = "",
    db_url: str | None = None,
) -> StagedPartition:
    """Process one partition into its staging folder; a finished folder is reused as it is.

    Counts: ``documents`` staged, ``unsupported`` among them, ``duplicates`` skipped, ``failed``
    documents. Raises only for a fault of the partition as a whole (a missing model, an input
    that changed or vanished, an unwritable staging folder): Dask retries it.
    """
    url = partition_url(staging_root, partition.key(salt))
    if is_complete(url):
        return StagedPartition(url, read_counts(url))
    sink = _StagingSink(db_url)
    ingest = Ingest(sink, shared_resources(settings))  # fused after the bulk load
    counts = {"documents": 0, "unsupported": 0, "duplicates": 0, "failed": 0}
    for batch in _batches(read_partition(partition, options), settings.batch_size):
        for outcome in ingest.batch(batch):
            if outcome.status == STORED:
                counts["documents"] += 1
                if outcome.unsupported:
                    counts["unsupported"] += 1
            elif outcome.status == DUPLICATE:
                counts["duplicates"] += 1
    tables, failures = sink.tables, sink.failures
    counts["failed"] = len(failures)
    return write_partition(url, tables, failures, counts)

