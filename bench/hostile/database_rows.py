"""Reading a Tocsin SQLite database the harness made: rows as dicts, and a comparable dump."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

# Bookkeeping columns that record when or how often, not what.
BOOKKEEPING = frozenset({"created_at", "updated_at", "attempts", "last_used_at"})


def rows(path: Path, query: str, *params: Any) -> list[dict[str, Any]]:
    """``query``'s rows as dicts (an empty list when the database or table is missing)."""
    if not path.exists():
        return []
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    connection.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in connection.execute(query, params)]
    except sqlite3.OperationalError:
        return []
    finally:
        connection.close()


def count(path: Path, table: str) -> int:
    """Rows in ``table`` (0 while the database or table does not exist yet, or is locked)."""
    try:
        found = rows(path, f"select count(*) as n from {table}")  # noqa: S608 - our names
    except sqlite3.DatabaseError:
        return 0
    return int(found[0]["n"]) if found else 0


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, without bookkeeping columns and Alembic's version."""
    connection = sqlite3.connect(path)
    try:
        tables = [r[0] for r in connection.execute(
            "select name from sqlite_master where type='table' and name not like 'sqlite_%'"
            " and name != 'alembic_version' order by name")]
        found: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables:
            columns = [r[1] for r in connection.execute(f"pragma table_info({table})")
                       if r[1] not in BOOKKEEPING]
            quoted = ", ".join(f'"{c}"' for c in columns)
            selected = connection.execute(f"select {quoted} from {table}").fetchall()  # noqa: S608
            found[table] = sorted(selected, key=repr)
        return found
    finally:
        connection.close()


def differences(left: dict[str, list[tuple[Any, ...]]],
                right: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    """One line per table whose rows differ between two dumps."""
    lines = []
    for table in sorted(set(left) | set(right)):
        a, b = left.get(table, []), right.get(table, [])
        if a != b:
            only_a = len(set(map(repr, a)) - set(map(repr, b)))
            only_b = len(set(map(repr, b)) - set(map(repr, a)))
            lines.append(f"{table}: {len(a)} rows vs {len(b)} ({only_a} only in the first, "
                         f"{only_b} only in the second)")
    return lines
