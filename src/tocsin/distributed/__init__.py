"""Running the pipeline on a Dask cluster: partitioned inputs, Parquet staging, bulk loading.

``run_distributed`` plans partitions of the inputs (``partitions``), has Dask workers read and
analyse each one with the same stage functions as a single process (``extract_task``), stages
the rows as Parquet (``staging``) and bulk-loads them into the database in input order
(``bulk_load``). Other code calls ``run_distributed``; the CLI calls it through ``tocsin run
--engine dask``.
"""

from tocsin.distributed.engine import DistributedOptions, run_distributed
from tocsin.distributed.partitions import Partition, plan_partitions

__all__ = ["DistributedOptions", "Partition", "plan_partitions", "run_distributed"]
