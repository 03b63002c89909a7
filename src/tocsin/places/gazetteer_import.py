"""Merge GeoNames dump files into a gazetteer file: ``import_files(gazetteer_path, paths)``.

Every file is checked and parsed (kind from its name or content, see ``geonames_files``) and all
of them are merged in ONE transaction: a bad file aborts the whole import and leaves the gazetteer
as it was. Places are upserted by geonameid. Afterwards admin areas are reconciled: an admin1 or
admin2 code whose GeoNames feature is not in the file gets an entry placed at the mean of its
member places, an entry the embedded default derived for the same area takes the real geonameid
(keeping Tocsin's extra names), and places get their admin names from the code tables.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tocsin.places import gazetteer_schema as schema
from tocsin.places.geonames_files import (
    DumpFormatError,
    DumpKind,
    PlaceRow,
    detect_kind,
    read_admin_codes,
    read_alternate_names,
    read_countries,
    read_feature_codes,
    read_hierarchy,
    read_places,
)
from tocsin.places.name_index import fill_matcher_names
from tocsin.places.names import ascii_name

# Files are merged in this order so code tables can fill what places need.
_ORDER = {
    DumpKind.COUNTRIES: 0,
    DumpKind.FEATURE_CODES: 1,
    DumpKind.PLACES: 2,
    DumpKind.ALTERNATE_NAMES: 3,
    DumpKind.ADMIN1: 4,
    DumpKind.ADMIN2: 5,
    DumpKind.HIERARCHY: 6,
}


@dataclass
class ImportReport:
    files: list[tuple[str, str, int]] = field(default_factory=list)  # (file, kind, rows)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(r for _, _, r in self.files)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_files(
    gazetteer_path: Path | str, paths: Iterable[Path | str], *, origin: str = "geonames"
) -> ImportReport:
    """Merge the dump files ``paths`` into the gazetteer at ``gazetteer_path`` (created if new)."""
    started = time.perf_counter()
    files = [Path(p) for p in paths]
    for path in files:
        if not path.is_file():
            raise FileNotFoundError(path)
    kinds = [(path, detect_kind(path)) for path in files]
    kinds.sort(key=lambda item: _ORDER[item[1]])
    report = ImportReport()
    conn = schema.connect(Path(gazetteer_path))
    try:
        conn.execute("BEGIN IMMEDIATE")
        when = datetime.now(UTC).isoformat(timespec="seconds")
        for path, kind in kinds:
            rows = _import_one(conn, path, kind, origin)
            if rows == 0:
                raise DumpFormatError(f"{path.name}: no rows")
            schema.record_source(conn, str(path.resolve()), str(kind), rows, sha256_of(path), when)
            report.files.append((path.name, str(kind), rows))
        reconcile_admin_areas(conn)
        schema.fill_admin_names(conn)
        schema.fill_folded_names(conn)
        fill_matcher_names(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    report.seconds = time.perf_counter() - started
    return report


def _import_one(conn: sqlite3.Connection, path: Path, kind: DumpKind, origin: str) -> int:
    if kind is DumpKind.PLACES:
        return schema.put_places(conn, (_place(row, origin) for row in read_places(path)))
    if kind in (DumpKind.ADMIN1, DumpKind.ADMIN2):
        return _import_admin(conn, path, kind)
    if kind is DumpKind.COUNTRIES:
        rows = [
            (
                c.iso2, c.iso3, c.isonumeric, c.fips, c.name, c.capital, c.area_km2, c.population,
                c.continent, c.tld, c.currency_code, c.currency_name, c.phone, c.postal_format,
                c.postal_regex, c.languages, c.geonameid, c.neighbours, c.equivalent_fips,
            )
            for c in read_countries(path)
        ]
        conn.executemany(f"INSERT OR REPLACE INTO countries VALUES ({', '.join('?' * 19)})", rows)
        return len(rows)
    if kind is DumpKind.HIERARCHY:
        count = 0
        for chunk in schema.batches(read_hierarchy(path), 50_000):
            conn.executemany(
                "INSERT OR REPLACE INTO hierarchy(parent, child, type) VALUES (?, ?, ?)",
                [(h.parent, h.child, h.type) for h in chunk],
            )
            count += len(chunk)
        return count
    if kind is DumpKind.FEATURE_CODES:
        codes = [(f.code, f.name, f.description) for f in read_feature_codes(path)]
        conn.executemany("INSERT OR REPLACE INTO feature_codes VALUES (?, ?, ?)", codes)
        return len(codes)
    if kind is DumpKind.ALTERNATE_NAMES:
        return schema.add_names(
            conn,
            (
                (a.name, a.geonameid, schema.NAME_ALTERNATE)
                for a in read_alternate_names(path)
                if a.language not in ("link", "post", "iata", "icao", "faac", "wkdt", "unlc")
            ),
        )
    raise DumpFormatError(f"{path.name}: unsupported kind {kind}")


def _place(row: PlaceRow, origin: str) -> schema.Place:
    return schema.Place(
        geonameid=row.geonameid, name=row.name, asciiname=row.asciiname or ascii_name(row.name),
        lat=row.lat, lon=row.lon, feature_class=row.feature_class, feature_code=row.feature_code,
        country2=row.country2, cc2=row.cc2, admin1_code=row.admin1_code,
        admin2_code=row.admin2_code, admin3_code=row.admin3_code, admin4_code=row.admin4_code,
        population=row.population, alternatenames=row.alternatenames, elevation=row.elevation,
        timezone=row.timezone, modified=row.modified, origin=origin,
    )


def _import_admin(conn: sqlite3.Connection, path: Path, kind: DumpKind) -> int:
    count = 0
    for chunk in schema.batches(read_admin_codes(path, kind)):
        if kind is DumpKind.ADMIN1:
            conn.executemany(
                """INSERT INTO admin1(country2, code, name, asciiname, geonameid) VALUES (?,?,?,?,?)
                   ON CONFLICT(country2, code) DO UPDATE SET name = excluded.name,
                   asciiname = excluded.asciiname, geonameid = excluded.geonameid""",
                [(*r.parts, r.name, r.asciiname, r.geonameid) for r in chunk],
            )
        else:
            conn.executemany(
                "INSERT OR REPLACE INTO admin2 VALUES (?, ?, ?, ?, ?, ?)",
                [(*r.parts, r.name, r.asciiname, r.geonameid) for r in chunk],
            )
        count += len(chunk)
    return count


def reconcile_admin_areas(conn: sqlite3.Connection) -> None:
    """Give every admin1/admin2 code with a geonameid an entry in ``places`` when one can be placed.

    An entry derived by the embedded default for the same area (origin ``derived``, same codes)
    is moved to the real geonameid, or dropped in favour of the real GeoNames row when that exists.
    """
    for code_kind, table, keys in (
        ("ADM1", "admin1", ("country2", "code")),
        ("ADM2", "admin2", ("country2", "admin1_code", "code")),
    ):
        coded = conn.execute(
            f"""SELECT t.geonameid, t.name, t.asciiname, {', '.join('t.' + k for k in keys)},
                       p.geonameid IS NOT NULL
                FROM {table} t LEFT JOIN places p ON p.geonameid = t.geonameid
                WHERE t.geonameid IS NOT NULL"""
        ).fetchall()
        derived = _derived_entries(conn, code_kind)
        missing = [row for row in coded if not row[-1]]
        centres = _member_centres(conn, len(keys)) if missing else {}
        new_places: list[schema.Place] = []
        for gid, name, asciiname, *codes, present in coded:
            key = tuple(codes)
            old = derived.get(key)
            if present:
                if old is not None and old != gid:
                    _move_extra_names(conn, old, gid)
                    conn.execute("DELETE FROM places WHERE geonameid = ?", (old,))
                continue
            if old is not None:
                conn.execute(
                    """UPDATE places SET geonameid = ?, name = ?, asciiname = ?, origin = 'geonames'
                       WHERE geonameid = ?""",
                    (gid, name, asciiname, old),
                )
                _move_extra_names(conn, old, gid, keep_all=True)
                schema.add_names(
                    conn, [(name, gid, schema.NAME_MAIN), (asciiname, gid, schema.NAME_ASCII)]
                )
                continue
            centre = centres.get(key)
            if centre is None:
                continue
            lat, lon, population = centre
            new_places.append(
                schema.Place(
                    geonameid=gid, name=name, asciiname=asciiname, lat=lat, lon=lon,
                    feature_class="A", feature_code=code_kind, country2=codes[0],
                    admin1_code=codes[1], admin2_code=codes[2] if len(codes) > 2 else None,
                    population=int(population), origin="derived-centre",
                )
            )
        if new_places:
            schema.put_places(conn, new_places)


def _derived_entries(conn: sqlite3.Connection, code_kind: str) -> dict[tuple[str, ...], int]:
    rows = conn.execute(
        """SELECT geonameid, country2, admin1_code, admin2_code FROM places
           WHERE origin = 'derived' AND feature_code = ?""",
        (code_kind,),
    ).fetchall()
    if code_kind == "ADM1":
        return {(c2, a1): gid for gid, c2, a1, _ in rows if c2 and a1}
    return {(c2, a1, a2): gid for gid, c2, a1, a2 in rows if c2 and a1 and a2}


def _member_centres(
    conn: sqlite3.Connection, depth: int
) -> dict[tuple[str, ...], tuple[float, float, int]]:
    """Mean position of the populated places of each admin1 (depth 2) or admin2 (depth 3) area."""
    group = "country2, admin1_code" if depth == 2 else "country2, admin1_code, admin2_code"
    rows = conn.execute(
        f"""SELECT {group}, AVG(lat), AVG(lon), SUM(population) FROM places
            WHERE feature_class = 'P' AND admin1_code IS NOT NULL
              {'AND admin2_code IS NOT NULL' if depth == 3 else ''}
            GROUP BY {group}"""
    ).fetchall()
    return {tuple(r[:depth]): (r[depth], r[depth + 1], r[depth + 2] or 0) for r in rows}


def _move_extra_names(
    conn: sqlite3.Connection, old: int, new: int, *, keep_all: bool = False
) -> None:
    condition = "" if keep_all else " AND kind = 3"
    conn.execute(
        f"UPDATE OR IGNORE names SET geonameid = ? WHERE geonameid = ?{condition}", (new, old)
    )
    conn.execute("DELETE FROM names WHERE geonameid = ?", (old,))
