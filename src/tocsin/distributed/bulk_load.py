"""Bulk-load staged partitions into the database, one partition per transaction.

A partition's documents go in with all their rows or not at all (so every document stays
atomic, as with ``Database.store_result``); documents already stored are skipped with their
rows, and storing a document clears a failure recorded earlier for its locator. On PostgreSQL
the rows are streamed with COPY into temporary tables and moved with INSERT ... SELECT ... ON
CONFLICT DO NOTHING, so concurrent loaders cannot collide; elsewhere (SQLite) the write lock
is taken first and the rows are inserted with executemany.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
from psycopg import sql
from sqlalchemy import Connection, Table, delete, insert, select

from tocsin.distributed.staging import FAILURES, RESULT_TABLES, columns_of, read_table
from tocsin.records import STATUS_OK, Failure
from tocsin.store import Database
from tocsin.store.engine import WRITE_OPTION
from tocsin.store.models import FailureRow

_ID_CHUNK = 500
_failures: Table = FailureRow.__table__  # type: ignore[assignment]


@dataclass
class LoadResult:
    """What loading one partition did."""

    loaded: int = 0  # documents stored
    unsupported: int = 0  # of which not in a supported language
    skipped: int = 0  # documents that were already stored
    rows: int = 0  # rows written over all tables
    failures: list[Failure] | None = None


def _tables(url: str) -> dict[str, pa.Table]:
    return {name: read_table(url, name) for name in RESULT_TABLES}


def _pylist(table: pa.Table) -> list[dict]:
    return table.to_pylist()


def _load_generic(connection: Connection, tables: dict[str, pa.Table]) -> LoadResult:
    documents = _pylist(tables["documents"])
    ids = [d["id"] for d in documents]
    known: set[str] = set()
    documents_table = RESULT_TABLES["documents"]
    for i in range(0, len(ids), _ID_CHUNK):
        chunk = ids[i : i + _ID_CHUNK]
        known.update(
            connection.scalars(select(documents_table.c.id).where(documents_table.c.id.in_(chunk)))
        )
    fresh = [d for d in documents if d["id"] not in known]
    fresh_ids = {d["id"] for d in fresh}
    result = LoadResult(skipped=len(documents) - len(fresh))
    if fresh:
        connection.execute(insert(documents_table), fresh)
        result.rows += len(fresh)
    for name, table in RESULT_TABLES.items():
        if name == "documents":
            continue
        rows = [r for r in _pylist(tables[name]) if r["document_id"] in fresh_ids]
        if rows:
            connection.execute(insert(table), rows)
            result.rows += len(rows)
    locators = [d["locator"] for d in fresh]
    for i in range(0, len(locators), _ID_CHUNK):
        chunk = locators[i : i + _ID_CHUNK]
        connection.execute(delete(_failures).where(_failures.c.locator.in_(chunk)))
    result.loaded = len(fresh)
    result.unsupported = sum(1 for d in fresh if d["status"] != STATUS_OK)
    return result


def _copy_into(cursor: object, temp: str, columns: list[str], table: pa.Table) -> None:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(temp), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    values = [table.column(c).to_pylist() for c in columns]
    with cursor.copy(statement) as copy:  # type: ignore[attr-defined]
        for row in zip(*values, strict=True):
            copy.write_row(row)


def _load_postgresql(connection: Connection, tables: dict[str, pa.Table]) -> LoadResult:
    raw = connection.connection.driver_connection
    assert raw is not None
    result = LoadResult()
    with raw.cursor() as cursor:
        for name, table in RESULT_TABLES.items():
            columns = columns_of(table)
            cursor.execute(  # the target's column types, none of its constraints
                sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA")
                .format(
                    sql.Identifier(f"stage_{name}"),
                    sql.SQL(", ").join(map(sql.Identifier, columns)),
                    sql.Identifier(table.name),
                )
            )
            _copy_into(cursor, f"stage_{name}", columns, tables[name])
        cursor.execute("CREATE TEMP TABLE stage_new (id text PRIMARY KEY) ON COMMIT DROP")
        document_columns = sql.SQL(", ").join(
            map(sql.Identifier, columns_of(RESULT_TABLES["documents"]))
        )
        cursor.execute(
            sql.SQL(
                "WITH added AS (INSERT INTO documents ({cols}) SELECT {cols} FROM stage_documents"
                " ON CONFLICT (id) DO NOTHING RETURNING id)"
                " INSERT INTO stage_new SELECT id FROM added"
            ).format(cols=document_columns)
        )
        result.loaded = cursor.rowcount
        result.rows += cursor.rowcount
        result.skipped = tables["documents"].num_rows - result.loaded
        for name, table in RESULT_TABLES.items():
            if name == "documents":
                continue
            columns = columns_of(table)
            cursor.execute(
                sql.SQL(
                    "INSERT INTO {target} ({cols}) SELECT {s_cols} FROM {stage} AS s"
                    " JOIN stage_new AS n ON n.id = s.document_id"
                ).format(
                    target=sql.Identifier(table.name),
                    cols=sql.SQL(", ").join(map(sql.Identifier, columns)),
                    s_cols=sql.SQL(", ").join(sql.Identifier("s", c) for c in columns),
                    stage=sql.Identifier(f"stage_{name}"),
                )
            )
            result.rows += cursor.rowcount
        cursor.execute(
            "DELETE FROM failures AS f USING stage_documents AS d JOIN stage_new AS n"
            " ON n.id = d.id WHERE f.locator = d.locator"
        )
        cursor.execute(
            "SELECT count(*) FROM stage_documents AS d JOIN stage_new AS n ON n.id = d.id"
            " WHERE d.status <> %s",
            (STATUS_OK,),
        )
        row = cursor.fetchone()
        result.unsupported = int(row[0]) if row else 0
    return result


def load_partition(database: Database, url: str, label: str | None = None) -> LoadResult:
    """Load one staged partition in one transaction, then record its failures (and clear the
    failure recorded for the partition as a whole, ``label``, by an earlier run)."""
    tables = _tables(url)
    engine = database.engine
    with engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            if connection.dialect.name == "postgresql":
                result = _load_postgresql(connection, tables)
            else:
                result = _load_generic(connection, tables)
            if label:
                connection.execute(delete(_failures).where(_failures.c.locator == label))
    failures = [Failure(**row) for row in read_table(url, FAILURES).to_pylist()]
    for failure in failures:
        database.record_failure(failure)
    result.failures = failures
    return result


def load_partitions(database: Database, urls: Iterable[str]) -> LoadResult:
    """Load several staged partitions in order; the sum of what each load did."""
    total = LoadResult(failures=[])
    for url in urls:
        one = load_partition(database, url)
        total.loaded += one.loaded
        total.unsupported += one.unsupported
        total.skipped += one.skipped
        total.rows += one.rows
        assert total.failures is not None
        total.failures.extend(one.failures or [])
    return total
