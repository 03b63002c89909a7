"""The gazetteer: an SQLite file of GeoNames-format places and the lookup API the resolver uses.

Open it with ``Gazetteer.open(path)`` (``path`` defaults to ``--gazetteer``/``TOCSIN_GAZETTEER``/
the user's data folder, see ``tocsin.settings.default_gazetteer_path``); a missing file is built
from the embedded default first (``gazetteer_build.build_default``, ~30 s). The connection stays
open (read-only, usable from several threads) and answers are cached in-process.

API (names fixed; the resolver and the phrase matcher call these):

- ``GazetteerEntry``: geonameid, name, asciiname, lat, lon, feature_class, feature_code,
  country2, country3, admin1_code, admin1_name, admin2_code, admin2_name, population.
  Ids < 0 are Tocsin's own entries (curated regions, admin areas derived by the default build).
- ``Gazetteer.lookup(name)``: entries whose name, ascii name or an alternate name has the same
  ``names.normalise_name`` key; most populous first. Cached (LRU).
- ``Gazetteer.lookup_many(names)``: ``{name: entries}`` in one round of queries.
- ``Gazetteer.lookup_folded(name)``: entries one of whose names has the same folded key
  (``folded_names.fold_name``: "Maarat al-Numan" finds "Ma'arrat an Nu'man"), in the countries
  whose names are romanised (``data/places/romanised_countries.toml``); a looser match
  for when ``lookup`` finds nothing. Empty for a file built before the table existed.
- ``Gazetteer.get(geonameid)``; ``Gazetteer.country(iso)`` (the country entry, by ISO2 or ISO3);
  ``Gazetteer.admin1(country2, admin1_code)`` (the admin1 area entry).
- ``Gazetteer.all_names(min_population=0)``: distinct normalised names of places with at least that
  population, plus every admin area, country, continent and curated region (for a phrase matcher:
  compare with ``normalise_name(span_text)``). ``Gazetteer.matcher_max_words()`` and
  ``Gazetteer.has_matcher_name(key)`` read the matcher's stored index (``name_index``).
- ``Gazetteer.demonym(word)``: "Russian"/"Russians" -> "RUS"; ``Gazetteer.group_word(word)``:
  "Turkmen", "Kurdish", "Sunni" -> True (a group of people, not a place);
  ``Gazetteer.alias(text)``: "U.S." -> "United States", "W.Va." -> "West Virginia", "Britain" ->
  "United Kingdom"; ``Gazetteer.alias_country(text)``: "W.Va." -> "US".
- ``precision(entry)``: "country", "admin1", "admin2", "region", "town" or "point" by feature code
  (rules in data/places/feature_precision.tsv).
- ``describe(path)``: what ``tocsin gazetteer status`` prints (sources, row counts, size).

Curated word lists live in ``tocsin/data/places/`` (demonyms.tsv, group_words.tsv, aliases.tsv).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tocsin.places.folded_names import fold_name, romanised_countries
from tocsin.places.gazetteer_build import build_default, build_digest, data_rows
from tocsin.places.names import normalise_name
from tocsin.settings import default_gazetteer_path

if TYPE_CHECKING:
    from tocsin.places.gazetteer_protocol import Entry

_ENTRY_SQL = """
SELECT p.geonameid, p.name, p.asciiname, p.lat, p.lon, p.feature_class, p.feature_code,
       p.country2, c.iso3, p.admin1_code, p.admin1_name, p.admin2_code, p.admin2_name,
       p.population
FROM places p LEFT JOIN countries c ON c.iso2 = p.country2
"""
_CHUNK = 500


@dataclass(frozen=True)
class GazetteerEntry:
    geonameid: int
    name: str
    asciiname: str
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country2: str | None
    country3: str | None
    admin1_code: str | None
    admin1_name: str | None
    admin2_code: str | None
    admin2_name: str | None
    population: int


def _entry(row: tuple[Any, ...]) -> GazetteerEntry:
    return GazetteerEntry(*row)


def _order(entry: GazetteerEntry) -> tuple[int, int]:
    return (-entry.population, entry.geonameid)


def default_is_stale(path: Path) -> bool:
    """Whether ``path`` is an embedded default gazetteer built from other place data than this
    Tocsin's, with nothing imported into it, so that rebuilding it loses nothing.

    A default with imported files is left alone (rebuilding would drop them); ``tocsin gazetteer
    status`` reports it as stale and ``tocsin gazetteer build --force`` plus the imports refresh it.
    """
    try:
        with closing(sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)) as conn:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            imported = conn.execute(
                "SELECT COUNT(*) FROM sources WHERE sha256 IS NOT NULL"
            ).fetchone()[0]
    except sqlite3.Error:
        return False  # not a gazetteer we built; opening it reports the problem
    if meta.get("built_by") != "tocsin embedded default" or imported:
        return False
    return meta.get("build_digest") != build_digest()


class Gazetteer:
    """A read-only view of one gazetteer file; cheap to query, safe to share between threads."""

    def __init__(self, path: Path | str, cache_size: int = 100_000) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(self.path)
        uri = f"file:{self.path.resolve()}?mode=ro"
        self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._conn.execute("PRAGMA query_only=ON")
        self._conn.execute("PRAGMA cache_size=-65536")
        self._lock = threading.RLock()
        self._cache_size = cache_size
        self._names: OrderedDict[str, tuple[GazetteerEntry, ...]] = OrderedDict()
        self._get = lru_cache(maxsize=cache_size)(self._get_uncached)
        self._full_countries: dict[int, frozenset[str]] = {}
        self._folded: bool | None = None

    @classmethod
    def open(cls, path: Path | str | None = None) -> Gazetteer:
        """Open the gazetteer at ``path`` (default location if None), building the default first
        when the file does not exist."""
        target = Path(path) if path is not None else default_gazetteer_path()
        if not target.exists():
            try:
                build_default(target)
            except FileExistsError:  # another process built it meanwhile
                pass
        elif default_is_stale(target):
            build_default(target, force=True)
        return cls(target)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    # -- names ------------------------------------------------------------------------------
    def _remember(self, key: str, entries: tuple[GazetteerEntry, ...]) -> None:
        with self._lock:
            self._names[key] = entries
            if len(self._names) > self._cache_size:
                self._names.popitem(last=False)

    def _recall(self, key: str) -> tuple[GazetteerEntry, ...] | None:
        with self._lock:
            found = self._names.get(key)
            if found is not None:
                self._names.move_to_end(key)
            return found

    def _lookup_key(self, key: str) -> tuple[GazetteerEntry, ...]:
        if not key:
            return ()
        found = self._recall(key)
        if found is None:
            rows = self._query(
                _ENTRY_SQL + " WHERE p.geonameid IN (SELECT geonameid FROM names WHERE name = ?)",
                (key,),
            )
            found = tuple(sorted((_entry(r) for r in rows), key=_order))
            self._remember(key, found)
        return found

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Entries whose normalised name equals ``normalise_name(name)``, most populous first."""
        return list(self._lookup_key(normalise_name(name)))

    def lookup_many(self, names: Iterable[str]) -> dict[str, list[GazetteerEntry]]:
        """``lookup`` for many names with few queries (names not yet cached go in batches)."""
        wanted = {name: normalise_name(name) for name in names}
        missing = sorted(k for k in set(wanted.values()) if k and self._recall(k) is None)
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start : start + _CHUNK]
            found: dict[str, list[GazetteerEntry]] = {k: [] for k in chunk}
            marks = ", ".join("?" * len(chunk))
            rows = self._query(
                f"""SELECT n.name, q.* FROM names n JOIN ({_ENTRY_SQL}) q
                    ON q.geonameid = n.geonameid WHERE n.name IN ({marks})""",
                chunk,
            )
            for row in rows:
                found[row[0]].append(_entry(row[1:]))
            for key, entries in found.items():
                self._remember(key, tuple(sorted(entries, key=_order)))
        return {name: list(self._lookup_key(key)) for name, key in wanted.items()}

    def lookup_folded(self, name: str) -> list[GazetteerEntry]:
        """Entries in a romanised-name country (``folded_names.romanised_countries``) with a
        name of the same folded key as ``name``, most populous first."""
        key = fold_name(name)
        if not key or not self._has_folded_names():
            return []
        cache_key = "\x00folded " + key
        found = self._recall(cache_key)
        if found is None:
            rows = self._query(
                _ENTRY_SQL
                + " WHERE p.geonameid IN (SELECT geonameid FROM folded_names WHERE key = ?)",
                (key,),
            )
            romanised = romanised_countries()
            found = tuple(sorted(
                (e for e in map(_entry, rows) if e.country2 in romanised), key=_order
            ))
            self._remember(cache_key, found)
        return list(found)

    def _has_folded_names(self) -> bool:
        if self._folded is None:
            rows = self._query(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'folded_names'"
            )
            self._folded = bool(rows)
        return self._folded

    def get(self, geonameid: int) -> GazetteerEntry | None:
        return self._get(int(geonameid))

    def _get_uncached(self, geonameid: int) -> GazetteerEntry | None:
        rows = self._query(_ENTRY_SQL + " WHERE p.geonameid = ?", (geonameid,))
        return _entry(rows[0]) if rows else None

    def country(self, iso: str) -> GazetteerEntry | None:
        """The country entry (PCLI or another PCL* code) by ISO 3166-1 alpha-2 or alpha-3."""
        code = iso.strip().upper()
        column = "iso2" if len(code) == 2 else "iso3"
        rows = self._query(f"SELECT iso2, geonameid FROM countries WHERE {column} = ?", (code,))
        if not rows:
            return None
        iso2, gid = rows[0]
        entry = self.get(gid) if gid is not None else None
        if entry is not None:
            return entry
        rows = self._query(
            _ENTRY_SQL + " WHERE p.country2 = ? AND p.feature_code LIKE 'PCL%' "
            "ORDER BY p.population DESC LIMIT 1",
            (iso2,),
        )
        return _entry(rows[0]) if rows else None

    def admin1(self, country2: str, admin1_code: str) -> GazetteerEntry | None:
        """The first-order admin area with that code (GeoNames code, e.g. ``SY``, ``09``)."""
        rows = self._query(
            "SELECT geonameid FROM admin1 WHERE country2 = ? AND code = ?",
            (country2.upper(), admin1_code),
        )
        if rows and rows[0][0] is not None and (entry := self.get(rows[0][0])) is not None:
            return entry
        rows = self._query(
            _ENTRY_SQL + " WHERE p.country2 = ? AND p.admin1_code = ? AND p.feature_code = 'ADM1'"
            " LIMIT 1",
            (country2.upper(), admin1_code),
        )
        return _entry(rows[0]) if rows else None

    # -- questions over a whole country or province -----------------------------------------
    def capital(self, iso3: str) -> GazetteerEntry | None:
        """The country's capital (feature code PPLC; the most populous one if several)."""
        country = self.country(iso3)
        if country is None or not country.country2:
            return None
        rows = self._query("SELECT geonameid FROM places WHERE feature_code = 'PPLC' AND "
                           "country2 = ? ORDER BY population DESC LIMIT 1", (country.country2,))
        return self.get(rows[0][0]) if rows else None

    def province_seats(self, admin1_name: str) -> list[GazetteerEntry]:
        """The seats (PPLA) of the first-order areas called ``admin1_name``, in any country."""
        rows = self._query("SELECT geonameid FROM places WHERE feature_code = 'PPLA' AND "
                           "admin1_name = ?", (admin1_name,))
        return [e for (gid,) in rows if (e := self.get(gid)) is not None]

    def country_names(self, country2: str) -> list[tuple[str, int]]:
        """(normalised name, geonameid) of every name of a country's populated places and
        admin areas."""
        return [(name, gid) for name, gid in self._query(
            "SELECT n.name, p.geonameid FROM places p JOIN names n ON n.geonameid = p.geonameid"
            " WHERE p.country2 = ? AND p.feature_class IN ('P', 'A')", (country2.upper(),))]

    def fully_imported_countries(self, min_features: int) -> frozenset[str]:
        """Countries (ISO3) with at least ``min_features`` GeoNames features that are neither
        populated places nor admin areas (streams, hills, localities): their whole GeoNames
        country file was imported. Counted once per file and threshold."""
        with self._lock:
            found = self._full_countries.get(min_features)
            if found is None:
                try:
                    rows = self._conn.execute(
                        "SELECT c.iso3 FROM places p JOIN countries c ON c.iso2 = p.country2"
                        " WHERE p.origin = 'geonames' AND p.feature_class NOT IN ('P', 'A')"
                        " GROUP BY p.country2 HAVING count(*) >= ?", (min_features,)).fetchall()
                except sqlite3.Error:
                    rows = []  # a file without origins or countries covers no country in full
                found = frozenset(iso3 for (iso3,) in rows if iso3)
                self._full_countries[min_features] = found
            return found

    def all_names(self, min_population: int = 0) -> Iterator[str]:
        """Distinct normalised names: places with ``population >= min_population``, and every
        admin area, country, continent and curated region whatever its population."""
        with self._lock:
            rows = self._conn.execute(
                """SELECT DISTINCT n.name FROM names n JOIN places p ON p.geonameid = n.geonameid
                   WHERE p.population >= ? OR p.feature_class = 'A' OR p.feature_code = 'CONT'
                      OR p.origin = 'curated'
                   ORDER BY n.name""",
                (min_population,),
            ).fetchall()
        for (name,) in rows:
            yield name

    def matcher_max_words(self) -> int | None:
        """Most words in a key of the stored matcher index (``name_index``); None when the
        file has no such index (written before it existed)."""
        try:
            row = self._query("SELECT value FROM meta WHERE key = 'matcher_max_words'")
            self._query("SELECT 1 FROM matcher_names LIMIT 1")
        except sqlite3.Error:
            return None
        return int(row[0][0]) if row else None

    def has_matcher_name(self, key: str) -> bool:
        """Whether ``key`` (a ``normalise_name`` key) is in the stored matcher index."""
        return bool(self._query("SELECT 1 FROM matcher_names WHERE key = ?", (key,)))

    # -- curated word lists -----------------------------------------------------------------
    def demonym(self, word: str) -> str | None:
        """ISO3 of the country a demonym or adjective refers to ("Russian", "Russians" -> RUS)."""
        table = _demonyms()
        key = normalise_name(word)
        found = table.get(key)
        if found is None and key.endswith("s"):
            found = table.get(key[:-1])
        return found

    def group_word(self, word: str) -> bool:
        """True for words naming a group of people rather than a place ("Turkmen", "Kurds")."""
        table = _group_words()
        key = normalise_name(word)
        return key in table or (key.endswith("s") and key[:-1] in table)

    def alias(self, text: str) -> str | None:
        """The gazetteer name an abbreviation or alias stands for ("U.S." -> "United States")."""
        found = _alias(text)
        return found[0] if found else None

    def alias_country(self, text: str) -> str | None:
        """The ISO2 country an alias's target lies in ("W.Va." -> "US")."""
        found = _alias(text)
        return found[1] if found else None


_SPACE = re.compile(r"\s+")


@cache
def _demonyms() -> dict[str, str]:
    return {normalise_name(r["word"]): r["iso3"] for r in data_rows("demonyms.tsv")}


@cache
def _group_words() -> frozenset[str]:
    return frozenset(normalise_name(r["word"]) for r in data_rows("group_words.tsv"))


@cache
def _aliases() -> tuple[dict[str, tuple[str, str | None]], dict[str, tuple[str, str | None]]]:
    exact: dict[str, tuple[str, str | None]] = {}
    anycase: dict[str, tuple[str, str | None]] = {}
    for row in data_rows("aliases.tsv"):
        value = (row["name"], row["country2"] or None)
        key = _SPACE.sub(" ", row["alias"].strip())
        if row["case"] == "exact":
            exact[key] = value
        else:
            anycase[normalise_name(key)] = value
    return exact, anycase


def _alias(text: str) -> tuple[str, str | None] | None:
    exact, anycase = _aliases()
    key = _SPACE.sub(" ", text.strip())
    if key in exact:
        return exact[key]
    return anycase.get(normalise_name(key))


@cache
def _precision_rules() -> dict[str, str]:
    return {r["feature"]: r["precision"] for r in data_rows("feature_precision.tsv")}


def precision(entry: Entry) -> str:
    """Precision of a place resolved to ``entry``: country, admin1, admin2, region, town, point."""
    rules = _precision_rules()
    for key in (f"{entry.feature_class}.{entry.feature_code}", entry.feature_class, "*"):
        if key in rules:
            return rules[key]
    return "point"


def describe(path: Path | str) -> dict[str, Any]:
    """What is installed in a gazetteer file: path, size, rows per table, imported sources."""
    from tocsin.places.gazetteer_schema import TABLES

    target = Path(path)
    info: dict[str, Any] = {"path": str(target), "exists": target.is_file()}
    if not target.is_file():
        return info
    info["size_bytes"] = target.stat().st_size
    conn = sqlite3.connect(f"file:{target.resolve()}?mode=ro", uri=True)
    try:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        info["tables"] = {
            t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in TABLES
            if t in present
        }
        info["sources"] = [
            {"file": f, "kind": k, "rows": r, "sha256": s, "imported_at": w}
            for f, k, r, s, w in conn.execute(
                "SELECT file, kind, rows, sha256, imported_at FROM sources ORDER BY id"
            )
        ]
        info["meta"] = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    finally:
        conn.close()
    info["outdated"] = (info["meta"].get("built_by") == "tocsin embedded default"
                        and info["meta"].get("build_digest") != build_digest())
    return info
