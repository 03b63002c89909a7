"""``run_distributed``: the Dask counterpart of ``tocsin.runner.run``, with the same result.

Partitions are submitted to the cluster at once; as they finish, the driver loads them into
the database strictly in input order (a later partition waits for the earlier ones), so that
when the same report occurs twice the copy a single process would keep is the one stored; the
new mentions are then fused, as at the end of a single-process run (component groups in
parallel on the workers, ``fusion_tasks``). A partition that still
fails after Dask's retries is recorded as a failure with its reason.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from distributed import Client, Future, as_completed

from tocsin.distributed.bulk_load import load_partition
from tocsin.distributed.cluster import dask_client
from tocsin.distributed.extract_task import extract_partition
from tocsin.distributed.fusion_tasks import fuse_pending_parallel
from tocsin.distributed.partitions import Partition, plan_partitions
from tocsin.distributed.staging import StagedPartition
from tocsin.distributed.worker_resources import PreloadResources
from tocsin.records import Failure
from tocsin.runner import RunSummary
from tocsin.settings import Settings
from tocsin.sources import ReadOptions
from tocsin.store import Database

PARTITION_STAGE = "partition"


@dataclass
class DistributedOptions:
    """How to run on Dask: an existing scheduler or ``workers`` local processes; where to
    stage Parquet (a folder or fsspec URL every worker can write to and the driver can read;
    a temporary folder, removed afterwards, when None and the cluster is local)."""

    scheduler: str | None = None
    workers: int = 2
    staging: str | None = None
    documents_per_partition: int = 256
    retries: int = 2


def _one_line(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".strip()
    return text.splitlines()[0][:300] if text else type(error).__name__


def _salt(settings: Settings, read_options: ReadOptions, database: Database) -> str:
    """What, besides the inputs, decides a partition's staged rows."""
    return json.dumps(
        [settings.model, str(settings.gazetteer_path), str(settings.event_model_path),
         str(settings.detector_model_path),
         settings.languages, repr(read_options), database.url],
        default=str,
    )


class _OrderedLoader:
    """Loads finished partitions into the database in partition order."""

    def __init__(
        self,
        database: Database,
        summary: RunSummary,
        on_document: Callable[[int], None] | None,
    ) -> None:
        self.database = database
        self.summary = summary
        self.on_document = on_document
        self.next = 0
        self.waiting: dict[int, tuple[Partition, StagedPartition | BaseException]] = {}

    def finished(self, partition: Partition, outcome: StagedPartition | BaseException) -> None:
        self.waiting[partition.index] = (partition, outcome)
        while self.next in self.waiting:
            self._load(*self.waiting.pop(self.next))
            self.next += 1

    def _load(self, partition: Partition, outcome: StagedPartition | BaseException) -> None:
        if isinstance(outcome, BaseException):
            failure = Failure(partition.label, PARTITION_STAGE, _one_line(outcome))
            self.database.record_failure(failure)
            self.summary.failures.append(failure)
            if self.on_document:
                self.on_document(max(partition.lines, len(partition.arguments), 1))
            return
        result = load_partition(self.database, outcome.url, label=partition.label)
        counts = outcome.counts
        self.summary.processed += result.loaded
        self.summary.unsupported += result.unsupported
        self.summary.duplicates += counts.get("duplicates", 0) + result.skipped
        self.summary.failures.extend(result.failures or [])
        if self.on_document:
            self.on_document(
                counts.get("documents", 0) + counts.get("duplicates", 0)
                + counts.get("failed", 0)
            )


def _process(
    client: Client,
    partitions: list[Partition],
    database: Database,
    settings: Settings,
    read_options: ReadOptions,
    staging: str,
    options: DistributedOptions,
    on_document: Callable[[int], None] | None,
) -> RunSummary:
    summary = RunSummary()
    client.register_plugin(PreloadResources(settings))
    salt = _salt(settings, read_options, database)
    futures: dict[Future, Partition] = {}
    for partition in partitions:
        future = client.submit(
            extract_partition, partition, settings, read_options, staging, salt, database.url,
            retries=options.retries, pure=False,
            key=f"tocsin-extract-{partition.index}-{partition.key(salt)}",
        )
        futures[future] = partition
    loader = _OrderedLoader(database, summary, on_document)
    for future in as_completed(futures):
        partition = futures.pop(future)
        if future.status == "finished":
            loader.finished(partition, future.result())
        else:
            loader.finished(partition, future.exception() or RuntimeError(future.status))
        future.release()
    # As the single-process runner does: fuse the new mentions (and any left unfused), the
    # independent components on the workers.
    fuse_pending_parallel(database, client)
    return summary


def run_distributed(
    inputs: Sequence[str],
    database: Database,
    settings: Settings,
    read_options: ReadOptions | None = None,
    options: DistributedOptions | None = None,
    client: Client | None = None,
    on_document: Callable[[int], None] | None = None,
) -> RunSummary:
    """Process ``inputs`` into ``database`` on Dask; the stored tables equal those of
    ``tocsin.runner.run`` on the same inputs. ``client``: an existing Dask client to use
    (otherwise one is made from ``options``)."""
    options = options or DistributedOptions()
    read_options = read_options or ReadOptions()
    partitions = plan_partitions(inputs, options.documents_per_partition)
    staging = options.staging
    temporary = staging is None
    if staging is None:
        if options.scheduler:
            raise ValueError(
                "--staging is needed with --scheduler: a folder or URL every worker can write"
            )
        staging = tempfile.mkdtemp(prefix="tocsin-staging-")
    try:
        if client is not None:
            return _process(client, partitions, database, settings, read_options, staging,
                            options, on_document)
        with dask_client(options.scheduler, options.workers) as made:
            return _process(made, partitions, database, settings, read_options, staging,
                            options, on_document)
    finally:
        if temporary:
            shutil.rmtree(staging, ignore_errors=True)
