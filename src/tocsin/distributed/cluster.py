"""Connect to a Dask cluster: an existing scheduler, or a LocalCluster of worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dask
from distributed import Client, LocalCluster

# Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536, which hands freed memory
# back to the system at once; spaCy allocates and frees so much per document that the page
# faults that follow cost about a tenth more CPU per document (measured: 7.7 s against 7.0 s
# for 80 news articles). Tocsin's workers keep a steady footprint, so local ones run without.
LOCAL_WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler`` (``tcp://HOST:PORT``), or of a LocalCluster
    of ``workers`` processes with one thread each (spaCy parses hold the GIL), closed after."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with dask.config.set(LOCAL_WORKER_CONFIG), LocalCluster(
        n_workers=max(workers, 1),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
    ) as cluster, Client(cluster) as client:
        yield client
