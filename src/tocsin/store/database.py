"""The store's read/write API: one ``Database`` per SQLite file or PostgreSQL database.

``store_result`` writes a document and everything found in it in one transaction, so a run
that dies halfway leaves either the whole document or none of it, and a rerun resumes by
skipping the ids already stored (``known_document_ids``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, delete, func, insert, make_url, select
from sqlalchemy.dialects import postgresql, sqlite

from tocsin.records import DocumentResult, Failure
from tocsin.store import rows
from tocsin.store.engine import WRITE_OPTION, make_engine
from tocsin.store.migrate import upgrade
from tocsin.store.models import (
    DocumentRow,
    EntityRow,
    EventRow,
    FailureRow,
    MentionRow,
    PlaceRow,
    SentenceRow,
)
from tocsin.store.total_tables import TotalRow
from tocsin.store.url import normalise_url

# How many ids go into one IN (...) list.
_ID_CHUNK = 500

documents: Table = DocumentRow.__table__  # type: ignore[assignment]
sentences: Table = SentenceRow.__table__  # type: ignore[assignment]
entities: Table = EntityRow.__table__  # type: ignore[assignment]
places: Table = PlaceRow.__table__  # type: ignore[assignment]
event_mentions: Table = MentionRow.__table__  # type: ignore[assignment]
events: Table = EventRow.__table__  # type: ignore[assignment]
failures: Table = FailureRow.__table__  # type: ignore[assignment]
totals: Table = TotalRow.__table__  # type: ignore[assignment]


def _dialect_insert(connection: Connection, table: Table):  # type: ignore[no-untyped-def]
    """An INSERT that supports ON CONFLICT on this connection's dialect."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    if connection.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported database: {connection.dialect.name}")


class Database:
    """Tocsin's database: documents, their sentences, entities, places and event mentions,
    fused events, and failures. Create it with ``open_database``."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine

    def __repr__(self) -> str:
        return f"Database({self.engine.url!r})"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
            with connection.begin():
                yield connection

    # -- reading -------------------------------------------------------------------------

    def has_document(self, document_id: str) -> bool:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(documents.c.id).where(documents.c.id == document_id)
            ).first()
        return found is not None

    def known_document_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        wanted = list(dict.fromkeys(ids))
        known: set[str] = set()
        with self.engine.connect() as connection:
            for i in range(0, len(wanted), _ID_CHUNK):
                chunk = wanted[i : i + _ID_CHUNK]
                known.update(
                    connection.scalars(select(documents.c.id).where(documents.c.id.in_(chunk)))
                )
        return known

    def document_ids(self) -> list[str]:
        """Every stored document id, oldest publication first, then by id."""
        with self.engine.connect() as connection:
            found = connection.execute(
                select(documents.c.id).order_by(documents.c.published, documents.c.id)
            )
            return [row[0] for row in found]

    def stats(self) -> dict[str, int]:
        """Row counts: documents, failures, places, mentions, events."""
        counted = {
            "documents": documents,
            "failures": failures,
            "places": places,
            "mentions": event_mentions,
            "events": events,
        }
        with self.engine.connect() as connection:
            return {
                key: int(connection.scalar(select(func.count()).select_from(table)) or 0)
                for key, table in counted.items()
            }

    def load_result(self, document_id: str) -> DocumentResult | None:
        """Rebuild the ``DocumentResult`` that ``store_result`` wrote, or None."""
        with self.engine.connect() as connection:
            document = connection.execute(
                select(documents).where(documents.c.id == document_id)
            ).mappings().first()
            if document is None:
                return None

            def rows_of(table: Table, order: str) -> list:
                return list(
                    connection.execute(
                        select(table)
                        .where(table.c.document_id == document_id)
                        .order_by(table.c[order])
                    ).mappings()
                )

            return DocumentResult(
                document=rows.document_from_row(document),
                sentences=[rows.sentence_from_row(r) for r in rows_of(sentences, "index")],
                entities=[rows.entity_from_row(r) for r in rows_of(entities, "idx")],
                places=[rows.place_from_row(r) for r in rows_of(places, "idx")],
                events=[rows.mention_from_row(r) for r in rows_of(event_mentions, "idx")],
                totals=[rows.total_from_row(r) for r in rows_of(totals, "idx")],
            )

    # -- writing -------------------------------------------------------------------------

    def store_result(self, result: DocumentResult) -> bool:
        """Store a document with all its sentences, entities, places and mentions, atomically.

        Returns False (and writes nothing) when the document id is already stored, True when
        it was stored. Storing clears any failure recorded earlier for the document's locator.
        Any error rolls the whole document back and is raised.
        """
        table_rows = rows.result_rows(result)
        with self._write() as connection:
            added = connection.execute(
                _dialect_insert(connection, documents)
                .values(table_rows.documents)
                .on_conflict_do_nothing(index_elements=["id"])
                .returning(documents.c.id)
            ).first()
            if added is None:
                return False
            for table, values in (
                (sentences, table_rows.sentences),
                (entities, table_rows.entities),
                (places, table_rows.places),
                (event_mentions, table_rows.event_mentions),
                (totals, table_rows.totals),
            ):
                if values:
                    connection.execute(insert(table), values)
            connection.execute(
                delete(failures).where(failures.c.locator == result.document.locator)
            )
        return True

    def record_failure(self, failure: Failure, document_id: str | None = None) -> None:
        """Record that an input failed; a second failure of the same locator replaces the
        stage and reason and counts one more attempt."""
        with self._write() as connection:
            statement = _dialect_insert(connection, failures).values(
                locator=failure.locator,
                stage=failure.stage,
                reason=failure.reason,
                document_id=document_id,
                attempts=1,
            )
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["locator"],
                    set_={
                        "stage": statement.excluded.stage,
                        "reason": statement.excluded.reason,
                        "document_id": statement.excluded.document_id,
                        "attempts": failures.c.attempts + 1,
                    },
                )
            )

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class DatabaseMissing(FileNotFoundError):
    """There is no SQLite file where a database was expected (and it was not to be created);
    ``filename`` is the path that was looked for."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no database at {path}")
        self.filename = path

    def __str__(self) -> str:
        return str(self.args[0])


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL (as normalised by ``normalise_url``); None for an in-memory
    database, a ``file:`` URI or any other kind of database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def open_database(url: str, *, create: bool = True) -> Database:
    """Open the database at ``url`` and upgrade its schema to the newest revision. ``url`` is
    a file path (SQLite), ``sqlite:///...`` or ``postgresql://...``.

    A missing SQLite file (and its folder) is created when ``create`` is true; otherwise
    ``DatabaseMissing`` (a ``FileNotFoundError``) is raised and nothing is written. Other
    databases are opened as they are.
    """
    normalised = normalise_url(url)
    if not create:
        path = sqlite_file(normalised)
        if path is not None and not path.exists():
            raise DatabaseMissing(str(url) if "://" not in str(url) else str(path))
    engine = make_engine(normalised)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Database(normalised, engine)
