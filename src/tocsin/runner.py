"""The single-process runner: read inputs and feed them, batch by batch, through the ingest
loop (``tocsin.ingest``: skip known documents, analyse, store), then fuse.

Each document is stored with all its results in one transaction, so a run killed at any point
leaves only whole documents behind; running the same command again skips what is stored and
finishes the rest, ending with the database an uninterrupted run would have produced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from tocsin.incremental_fusion import fuse_pending
from tocsin.ingest import STORED, Ingest
from tocsin.records import Document, Failure
from tocsin.resources import Resources
from tocsin.sources import ReadOptions, read_inputs
from tocsin.store import Database


@dataclass
class RunSummary:
    """What one run did."""

    processed: int = 0
    duplicates: int = 0
    unsupported: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def to_dict(self) -> dict[str, object]:
        return {
            "processed": self.processed,
            "duplicates": self.duplicates,
            "unsupported": self.unsupported,
            "failed": self.failed,
            "failures": [f.to_dict() for f in self.failures],
        }


def _batches(items: Iterable[Document | Failure], size: int) -> Iterator[list[Document | Failure]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def run(
    inputs: Sequence[str],
    database: Database,
    resources: Resources,
    options: ReadOptions | None = None,
    on_document: Callable[[int], None] | None = None,
) -> RunSummary:
    """Process ``inputs`` into ``database``; ``on_document(n)`` reports progress."""
    summary = RunSummary()
    ingest = Ingest(database, resources, fuse=lambda: fuse_pending(database))
    items = read_inputs(inputs, options or ReadOptions())
    for batch in _batches(items, resources.settings.batch_size):
        for outcome in ingest.batch(batch):
            if outcome.failure is not None:
                summary.failures.append(outcome.failure)
            elif outcome.status == STORED:
                summary.processed += 1
                if outcome.unsupported:
                    summary.unsupported += 1
            else:
                summary.duplicates += 1
        if on_document:
            on_document(len(batch))
    # Fuse the new mentions (and any a crashed run left unfused) into the stored Events.
    ingest.fuse()
    return summary
