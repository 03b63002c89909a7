"""The gazetteer's SQLite schema and the batched writes that fill it (build and import share them).

Tables:
- ``places``: one row per geonameid (GeoNames rows, plus entries the embedded default derives or
  curates, which have negative ids); admin1/admin2 names are stored denormalised next to the codes.
- ``names``: normalised name -> geonameid, ``kind`` 0 main name, 1 ascii name, 2 alternate name,
  3 added by Tocsin (curated aliases, ISO names; kept when a GeoNames import replaces the place).
- ``folded_names``: the folded key of every indexed name (``folded_names.fold_key``) ->
  geonameid, for the looser lookup of romanised spellings; refilled after every build or import.
- ``matcher_names``: the keys the token-level toponym matcher searches (``name_index``), with
  ``meta.matcher_max_words``; refilled after every build or import.
- ``admin1``, ``admin2``: code tables (country2, codes -> name, geonameid).
- ``countries``: countryInfo columns.
- ``hierarchy``: parent -> child geonameid links; ``feature_codes``: "A.ADM1" -> name, description.
- ``sources``: what was imported or built (file, kind, rows, sha256, when); ``meta``: key/value.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TypeVar

from tocsin.places.folded_names import fold_key
from tocsin.places.names import has_latin_letter, may_hold_latin, normalise_name

SCHEMA_VERSION = "1"
BATCH = 20_000

NAME_MAIN, NAME_ASCII, NAME_ALTERNATE, NAME_EXTRA = 0, 1, 2, 3

DDL = """
CREATE TABLE IF NOT EXISTS places (
    geonameid INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    asciiname TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    feature_class TEXT NOT NULL DEFAULT '',
    feature_code TEXT NOT NULL DEFAULT '',
    country2 TEXT,
    cc2 TEXT,
    admin1_code TEXT,
    admin2_code TEXT,
    admin3_code TEXT,
    admin4_code TEXT,
    admin1_name TEXT,
    admin2_name TEXT,
    population INTEGER NOT NULL DEFAULT 0,
    elevation INTEGER,
    timezone TEXT,
    modified TEXT,
    origin TEXT NOT NULL DEFAULT 'geonames'
);
CREATE TABLE IF NOT EXISTS names (
    name TEXT NOT NULL,
    geonameid INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    PRIMARY KEY (name, geonameid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS folded_names (
    key TEXT NOT NULL,
    geonameid INTEGER NOT NULL,
    PRIMARY KEY (key, geonameid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS matcher_names (key TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS admin1 (
    country2 TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    asciiname TEXT NOT NULL,
    geonameid INTEGER,
    iso_code TEXT,
    PRIMARY KEY (country2, code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS admin2 (
    country2 TEXT NOT NULL,
    admin1_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    asciiname TEXT NOT NULL,
    geonameid INTEGER,
    PRIMARY KEY (country2, admin1_code, code)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS countries (
    iso2 TEXT PRIMARY KEY,
    iso3 TEXT NOT NULL,
    isonumeric TEXT,
    fips TEXT,
    name TEXT NOT NULL,
    capital TEXT,
    area_km2 REAL,
    population INTEGER,
    continent TEXT,
    tld TEXT,
    currency_code TEXT,
    currency_name TEXT,
    phone TEXT,
    postal_format TEXT,
    postal_regex TEXT,
    languages TEXT,
    geonameid INTEGER,
    neighbours TEXT,
    equivalent_fips TEXT
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS countries_iso3 ON countries(iso3);
CREATE TABLE IF NOT EXISTS hierarchy (
    parent INTEGER NOT NULL,
    child INTEGER NOT NULL,
    type TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (parent, child)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hierarchy_child ON hierarchy(child);
CREATE TABLE IF NOT EXISTS feature_codes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    kind TEXT NOT NULL,
    rows INTEGER NOT NULL,
    sha256 TEXT,
    imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""

TABLES = (
    "places", "names", "folded_names", "matcher_names", "admin1", "admin2", "countries",
    "hierarchy", "feature_codes", "sources",
)


@dataclass(frozen=True)
class Place:
    """A row for ``places`` plus the names to index for it."""

    geonameid: int
    name: str
    asciiname: str
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country2: str | None
    admin1_code: str | None = None
    admin2_code: str | None = None
    population: int = 0
    alternatenames: Sequence[str] = ()
    extra_names: Sequence[str] = ()
    cc2: str | None = None
    admin3_code: str | None = None
    admin4_code: str | None = None
    admin1_name: str | None = None
    admin2_name: str | None = None
    elevation: int | None = None
    timezone: str | None = None
    modified: str | None = None
    origin: str = "geonames"

    def row(self) -> tuple[object, ...]:
        return (
            self.geonameid, self.name, self.asciiname, self.lat, self.lon, self.feature_class,
            self.feature_code, self.country2 or None, self.cc2 or None, self.admin1_code or None,
            self.admin2_code or None, self.admin3_code or None, self.admin4_code or None,
            self.admin1_name, self.admin2_name, self.population, self.elevation,
            self.timezone or None, self.modified or None, self.origin,
        )

    def name_rows(self) -> Iterator[tuple[str, int, int]]:
        seen: set[str] = set()
        groups = (
            (NAME_MAIN, (self.name,)),
            (NAME_ASCII, (self.asciiname,)),
            (NAME_ALTERNATE, self.alternatenames),
            (NAME_EXTRA, self.extra_names),
        )
        for kind, texts in groups:
            for text in texts:
                if len(text) > 120 or not may_hold_latin(text):
                    continue
                key = normalise_name(text)
                if key and key not in seen and has_latin_letter(key):
                    seen.add(key)
                    yield (key, self.geonameid, kind)


T = TypeVar("T")


def batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# Needed to replace a place's names on import; the embedded default does without (smaller file).
IMPORT_INDEXES = "CREATE INDEX IF NOT EXISTS names_geonameid ON names(geonameid);"


def connect(path: Path, *, for_import: bool = True) -> sqlite3.Connection:
    """A writable connection with the schema in place (creates the file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.executescript(DDL)
    if for_import:
        conn.executescript(IMPORT_INDEXES)
    conn.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
    )
    return conn


_PLACE_SQL = f"INSERT OR REPLACE INTO places VALUES ({', '.join('?' * 20)})"


def put_places(conn: sqlite3.Connection, places: Iterable[Place], *, fresh: bool = False) -> int:
    """Upsert places by geonameid and (re)index their names; returns the number written.

    A replaced place loses its GeoNames names (kinds 0-2) and keeps names Tocsin added (kind 3).
    ``fresh`` skips the deletes when the file is known to be empty (the embedded build).
    """
    count = 0
    for chunk in batches(places):
        conn.executemany(_PLACE_SQL, [p.row() for p in chunk])
        if not fresh:
            conn.executemany(
                "DELETE FROM names WHERE geonameid = ? AND kind < 3",
                [(p.geonameid,) for p in chunk],
            )
        conn.executemany(
            "INSERT OR IGNORE INTO names(name, geonameid, kind) VALUES (?, ?, ?)",
            [row for p in chunk for row in p.name_rows()],
        )
        count += len(chunk)
    return count


def add_names(conn: sqlite3.Connection, rows: Iterable[tuple[str, int, int]]) -> int:
    """Index more names (text, geonameid, kind); texts are normalised here."""
    count = 0
    for chunk in batches(rows):
        prepared = [
            (key, gid, kind)
            for text, gid, kind in chunk
            if (key := normalise_name(text)) and has_latin_letter(key)
        ]
        conn.executemany(
            "INSERT OR IGNORE INTO names(name, geonameid, kind) VALUES (?, ?, ?)", prepared
        )
        count += len(prepared)
    return count


def record_source(
    conn: sqlite3.Connection, file: str, kind: str, rows: int, sha256: str | None, when: str
) -> None:
    conn.execute(
        "INSERT INTO sources(file, kind, rows, sha256, imported_at) VALUES (?, ?, ?, ?, ?)",
        (file, kind, rows, sha256, when),
    )


def fill_admin_names(conn: sqlite3.Connection) -> None:
    """Copy admin1/admin2 names from the code tables onto the places that carry those codes."""
    conn.execute(
        """UPDATE places SET admin1_name = a.name FROM admin1 a
           WHERE a.country2 = places.country2 AND a.code = places.admin1_code
             AND places.admin1_name IS NOT a.name"""
    )
    conn.execute(
        """UPDATE places SET admin2_name = a.name FROM admin2 a
           WHERE a.country2 = places.country2 AND a.admin1_code = places.admin1_code
             AND a.code = places.admin2_code AND places.admin2_name IS NOT a.name"""
    )


def fill_folded_names(conn: sqlite3.Connection) -> int:
    """Rebuild ``folded_names`` from ``names`` (inside the caller's transaction); returns rows."""
    conn.create_function("fold_key", 1, fold_key, deterministic=True)
    conn.execute("DELETE FROM folded_names")
    conn.execute(
        """INSERT OR IGNORE INTO folded_names(key, geonameid)
           SELECT key, geonameid FROM (SELECT fold_key(name) AS key, geonameid FROM names)
           WHERE key != ''"""
    )
    return int(conn.execute("SELECT COUNT(*) FROM folded_names").fetchone()[0])
