"""The ingest loop: skip known documents -> analyse -> store -> fuse.

``tocsin run`` (``runner``), ``tocsin watch`` (``watch.watcher``) and the Dask task
(``distributed.extract_task``) all feed their batches through one ``Ingest``. A batch is what a
source read: Documents, and Failures of inputs that could not be read. ``Ingest.batch``

1. records each read Failure;
2. skips documents it saw before (in this ``Ingest``) or that the sink already holds, before
   the costly parse;
3. analyses the rest in one ``pipeline.analyse`` call;
4. records each analysis Failure and stores each result;

and says, item by item and in order, what became of it (``Outcome``). ``Ingest.fuse`` runs the
fusion step the caller chose: the runner fuses the pending mentions at the end of a run, the
watcher after a cycle that stored something (then checks alerts), while a Dask task only stages
rows, fused after the bulk load.

Where results go is a ``DocumentSink``: a ``Database`` is one; the Dask task's sink writes
Parquet rows and asks the database, when it can reach it, what it already holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from tocsin.pipeline import analyse
from tocsin.records import STATUS_OK, Document, DocumentResult, Failure
from tocsin.resources import Resources

STORED, DUPLICATE, FAILED = "stored", "duplicate", "failed"


class DocumentSink(Protocol):
    """Where analysed documents go (``tocsin.store.Database`` is one)."""

    def known_document_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already held."""
        ...

    def record_failure(self, failure: Failure) -> None:
        """Keep an input that could not be read or analysed."""
        ...

    def store_result(self, result: DocumentResult) -> bool:
        """Store a document with all its results; False when it was there already."""
        ...


@dataclass(frozen=True)
class Outcome:
    """What became of one item of a batch: ``STORED``, ``DUPLICATE`` (seen before or already
    held) or ``FAILED`` (``failure`` says why: reading or one stage)."""

    item: Document | Failure
    status: str
    result: DocumentResult | None = None
    failure: Failure | None = None

    @property
    def document_id(self) -> str | None:
        """The id of the document read (None when reading failed)."""
        return self.item.id if isinstance(self.item, Document) else None

    @property
    def unsupported(self) -> bool:
        """Stored, but as a document whose text could not be analysed (e.g. not English)."""
        return self.result is not None and self.result.document.status != STATUS_OK


class Ingest:
    """One ingest loop over ``sink``: call ``batch`` per batch read, ``fuse`` when done."""

    def __init__(
        self,
        sink: DocumentSink,
        resources: Resources,
        fuse: Callable[[], object] | None = None,
    ) -> None:
        self.sink = sink
        self.resources = resources
        self._fuse = fuse
        self._seen: set[str] = set()

    def batch(self, items: Sequence[Document | Failure]) -> list[Outcome]:
        """Skip known documents, analyse and store the rest; one Outcome per item, in order."""
        outcomes: list[Outcome | None] = [None] * len(items)
        fresh: list[tuple[int, Document]] = []
        for position, item in enumerate(items):
            if isinstance(item, Failure):
                self.sink.record_failure(item)
                outcomes[position] = Outcome(item, FAILED, failure=item)
            elif item.id in self._seen:
                outcomes[position] = Outcome(item, DUPLICATE)
            else:
                self._seen.add(item.id)
                fresh.append((position, item))
        known = self.sink.known_document_ids([d.id for _, d in fresh]) if fresh else set()
        todo = [(p, d) for p, d in fresh if d.id not in known]
        for position, document in fresh:
            if document.id in known:
                outcomes[position] = Outcome(document, DUPLICATE)
        results = analyse([d for _, d in todo], self.resources)
        for (position, document), result in zip(todo, results, strict=True):
            if isinstance(result, Failure):
                self.sink.record_failure(result)
                outcomes[position] = Outcome(document, FAILED, failure=result)
            elif self.sink.store_result(result):
                outcomes[position] = Outcome(document, STORED, result=result)
            else:
                outcomes[position] = Outcome(document, DUPLICATE, result=result)
        return [o for o in outcomes if o is not None]

    def fuse(self) -> None:
        """Run the fusion step given at construction (nothing when none was given)."""
        if self._fuse is not None:
            self._fuse()
