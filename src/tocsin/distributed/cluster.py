"""Connect to a Dask cluster: an existing scheduler, or a LocalCluster of worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from distributed import Client, LocalCluster


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler`` (``tcp://HOST:PORT``), or of a LocalCluster
    of ``workers`` processes with one thread each (spaCy parses hold the GIL), closed after."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(
        n_workers=max(workers, 1),
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
    ) as cluster, Client(cluster) as client:
        yield client
