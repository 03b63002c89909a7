"""The single-process runner: read inputs, analyse them in batches, store each document.

Each document is stored with all its results in one transaction, so a run killed at any point
leaves only whole documents behind; running the same command again skips what is stored and
finishes the rest, ending with the database an uninterrupted run would have produced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from tocsin.pipeline import analyse
from tocsin.records import STATUS_OK, Document, Failure
from tocsin.resources import Resources
from tocsin.sources import ReadOptions, read_inputs
from tocsin.store import Database
from tocsin.store.event_store import fuse_pending


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
    seen: set[str] = set()
    items = read_inputs(inputs, options or ReadOptions())
    for batch in _batches(items, resources.settings.batch_size):
        documents: list[Document] = []
        for item in batch:
            if isinstance(item, Failure):
                database.record_failure(item)
                summary.failures.append(item)
            elif item.id in seen:
                summary.duplicates += 1
            else:
                seen.add(item.id)
                documents.append(item)
        stored = database.known_document_ids([d.id for d in documents])
        summary.duplicates += len(stored)
        fresh = [d for d in documents if d.id not in stored]
        for result in analyse(fresh, resources):
            if isinstance(result, Failure):
                database.record_failure(result)
                summary.failures.append(result)
                continue
            if database.store_result(result):
                summary.processed += 1
                if result.document.status != STATUS_OK:
                    summary.unsupported += 1
            else:
                summary.duplicates += 1
        if on_document:
            on_document(len(batch))
    # Fuse the new mentions (and any a crashed run left unfused) into the stored Events.
    fuse_pending(database)
    return summary
