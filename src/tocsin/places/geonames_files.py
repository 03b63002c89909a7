"""Read GeoNames dump files: tell which kind a file is and parse its rows into typed tuples.

Kinds (``DumpKind``): ``places`` (the 19-column gazetteer rows of country dumps such as KE.txt,
cities500/1000/5000/15000, allCountries), ``admin1`` (admin1CodesASCII), ``admin2`` (admin2Codes),
``countries`` (countryInfo, ``#`` comment lines), ``hierarchy``, ``feature_codes``
(featureCodes_en and other languages) and ``alternate_names`` (alternateNames/alternateNamesV2).
A file is a ``.txt`` or a ``.zip`` holding one; the kind comes from the file name and, when the name
says nothing, from the first data line. Malformed lines raise ``DumpFormatError`` with the line
number, so a truncated or garbage download is refused before anything is written.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class DumpFormatError(ValueError):
    """A file that is not the GeoNames dump it claims to be (wrong columns, bad zip, empty)."""


class DumpKind(StrEnum):
    PLACES = "places"
    ADMIN1 = "admin1"
    ADMIN2 = "admin2"
    COUNTRIES = "countries"
    HIERARCHY = "hierarchy"
    FEATURE_CODES = "feature_codes"
    ALTERNATE_NAMES = "alternate_names"


# Columns per kind: exact count, or the minimum where GeoNames appended columns over the years.
COLUMNS: dict[DumpKind, tuple[int, int]] = {
    DumpKind.PLACES: (19, 19),
    DumpKind.ADMIN1: (4, 4),
    DumpKind.ADMIN2: (4, 4),
    DumpKind.COUNTRIES: (18, 19),
    DumpKind.HIERARCHY: (2, 3),
    DumpKind.FEATURE_CODES: (2, 3),
    DumpKind.ALTERNATE_NAMES: (4, 10),
}

_NAME_KINDS: tuple[tuple[re.Pattern[str], DumpKind], ...] = (
    (re.compile(r"^admin1codes", re.I), DumpKind.ADMIN1),
    (re.compile(r"^admin2codes", re.I), DumpKind.ADMIN2),
    (re.compile(r"^countryinfo", re.I), DumpKind.COUNTRIES),
    (re.compile(r"^hierarchy", re.I), DumpKind.HIERARCHY),
    (re.compile(r"^featurecodes", re.I), DumpKind.FEATURE_CODES),
    (re.compile(r"^alternatenames", re.I), DumpKind.ALTERNATE_NAMES),
    (re.compile(r"^([A-Z]{2}|allCountries|cities\d+|no-country)$", re.I), DumpKind.PLACES),
)


@dataclass(frozen=True)
class PlaceRow:
    geonameid: int
    name: str
    asciiname: str
    alternatenames: tuple[str, ...]
    lat: float
    lon: float
    feature_class: str
    feature_code: str
    country2: str
    cc2: str
    admin1_code: str
    admin2_code: str
    admin3_code: str
    admin4_code: str
    population: int
    elevation: int | None
    timezone: str
    modified: str


@dataclass(frozen=True)
class AdminRow:
    """admin1CodesASCII (code ``KE.30``) or admin2Codes (code ``KE.30.1234``)."""

    code: str
    name: str
    asciiname: str
    geonameid: int | None

    @property
    def parts(self) -> list[str]:
        return self.code.split(".")


@dataclass(frozen=True)
class CountryRow:
    iso2: str
    iso3: str
    isonumeric: str
    fips: str
    name: str
    capital: str
    area_km2: float | None
    population: int
    continent: str
    tld: str
    currency_code: str
    currency_name: str
    phone: str
    postal_format: str
    postal_regex: str
    languages: str
    geonameid: int | None
    neighbours: str
    equivalent_fips: str


@dataclass(frozen=True)
class HierarchyRow:
    parent: int
    child: int
    type: str


@dataclass(frozen=True)
class FeatureCodeRow:
    code: str  # "A.ADM1"
    name: str
    description: str


@dataclass(frozen=True)
class AlternateNameRow:
    geonameid: int
    language: str
    name: str


def open_lines(path: Path) -> Iterator[str]:
    """The text lines of a dump, from ``.txt`` or from the ``.txt`` inside a ``.zip``."""
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise DumpFormatError(f"{path.name}: not a readable zip ({exc})") from exc
        with archive:
            member = _zip_member(archive, path)
            bad = archive.testzip()
            if bad is not None:
                raise DumpFormatError(f"{path.name}: corrupt member {bad}")
            with archive.open(member) as raw:
                yield from _decoded(io.TextIOWrapper(raw, encoding="utf-8", newline=""), path)
        return
    with path.open(encoding="utf-8", newline="") as handle:
        yield from _decoded(handle, path)


def _decoded(handle: io.TextIOBase, path: Path) -> Iterator[str]:
    try:
        for line in handle:
            yield line.rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise DumpFormatError(f"{path.name}: not UTF-8 text ({exc})") from exc


def _zip_member(archive: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(".txt")]
    wanted = f"{path.stem}.txt".lower()
    for name in names:
        if name.lower() == wanted:
            return name
    data = [n for n in names if not n.lower().startswith("readme")]
    if len(data) != 1:
        raise DumpFormatError(f"{path.name}: expected one data .txt in the zip, found {names}")
    return data[0]


def kind_from_name(path: Path) -> DumpKind | None:
    stem = path.name.split(".")[0]
    for pattern, kind in _NAME_KINDS:
        if pattern.search(stem):
            return kind
    return None


def kind_from_line(line: str) -> DumpKind | None:
    """Guess a kind from one data line (not a comment)."""
    cols = line.split("\t")
    n = len(cols)
    if n == 19 and cols[0].isdigit():
        return DumpKind.PLACES
    if n in (18, 19) and re.fullmatch(r"[A-Z]{2}", cols[0]) and re.fullmatch(r"[A-Z]{3}", cols[1]):
        return DumpKind.COUNTRIES
    if n == 4 and re.fullmatch(r"[A-Z]{2}\.[^.]+", cols[0]):
        return DumpKind.ADMIN1
    if n == 4 and re.fullmatch(r"[A-Z]{2}\.[^.]+\.[^.]+", cols[0]):
        return DumpKind.ADMIN2
    if n in (2, 3) and cols[0].isdigit() and cols[1].isdigit():
        return DumpKind.HIERARCHY
    if n in (2, 3) and re.fullmatch(r"[A-Z]\.[A-Z0-9]+|null", cols[0]):
        return DumpKind.FEATURE_CODES
    if n >= 4 and cols[0].isdigit() and cols[1].isdigit():
        return DumpKind.ALTERNATE_NAMES
    return None


def detect_kind(path: Path) -> DumpKind:
    """The kind of a dump file, from its name, else from its first data line."""
    kind = kind_from_name(path)
    if kind is not None:
        return kind
    for line in open_lines(path):
        if line and not line.startswith("#"):
            found = kind_from_line(line)
            if found is None:
                raise DumpFormatError(f"{path.name}: not a GeoNames dump file I know")
            return found
    raise DumpFormatError(f"{path.name}: empty")


def _int(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return int(float(text))


def _columns(path: Path, kind: DumpKind) -> Iterator[tuple[int, list[str]]]:
    low, high = COLUMNS[kind]
    for number, line in enumerate(open_lines(path), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not low <= len(cols) <= high:
            raise DumpFormatError(
                f"{path.name}:{number}: {len(cols)} columns, a {kind} file has {low}-{high}"
            )
        yield number, cols


def read_places(path: Path) -> Iterator[PlaceRow]:
    for number, c in _columns(path, DumpKind.PLACES):
        try:
            yield PlaceRow(
                geonameid=int(c[0]),
                name=c[1],
                asciiname=c[2],
                alternatenames=tuple(a for a in c[3].split(",") if a) if c[3] else (),
                lat=float(c[4]),
                lon=float(c[5]),
                feature_class=c[6],
                feature_code=c[7],
                country2=c[8],
                cc2=c[9],
                admin1_code=c[10],
                admin2_code=c[11],
                admin3_code=c[12],
                admin4_code=c[13],
                population=_int(c[14]) or 0,
                elevation=_int(c[15]),
                timezone=c[17],
                modified=c[18],
            )
        except ValueError as exc:
            raise DumpFormatError(f"{path.name}:{number}: {exc}") from exc


def read_admin_codes(path: Path, kind: DumpKind) -> Iterator[AdminRow]:
    dots = 1 if kind is DumpKind.ADMIN1 else 2
    for number, c in _columns(path, kind):
        if c[0].count(".") != dots:
            raise DumpFormatError(f"{path.name}:{number}: {c[0]!r} is not a {kind} code")
        try:
            yield AdminRow(code=c[0], name=c[1], asciiname=c[2], geonameid=_int(c[3]))
        except ValueError as exc:
            raise DumpFormatError(f"{path.name}:{number}: {exc}") from exc


def read_countries(path: Path) -> Iterator[CountryRow]:
    for number, c in _columns(path, DumpKind.COUNTRIES):
        c = c + [""] * (19 - len(c))
        if not re.fullmatch(r"[A-Z]{2}", c[0]):
            raise DumpFormatError(f"{path.name}:{number}: {c[0]!r} is not an ISO code")
        try:
            area = float(c[6]) if c[6].strip() else None
            yield CountryRow(
                iso2=c[0], iso3=c[1], isonumeric=c[2], fips=c[3], name=c[4], capital=c[5],
                area_km2=area, population=_int(c[7]) or 0, continent=c[8], tld=c[9],
                currency_code=c[10], currency_name=c[11], phone=c[12], postal_format=c[13],
                postal_regex=c[14], languages=c[15], geonameid=_int(c[16]), neighbours=c[17],
                equivalent_fips=c[18],
            )
        except ValueError as exc:
            raise DumpFormatError(f"{path.name}:{number}: {exc}") from exc


def read_hierarchy(path: Path) -> Iterator[HierarchyRow]:
    for number, c in _columns(path, DumpKind.HIERARCHY):
        try:
            yield HierarchyRow(int(c[0]), int(c[1]), c[2] if len(c) > 2 else "")
        except ValueError as exc:
            raise DumpFormatError(f"{path.name}:{number}: {exc}") from exc


def read_feature_codes(path: Path) -> Iterator[FeatureCodeRow]:
    for _number, c in _columns(path, DumpKind.FEATURE_CODES):
        yield FeatureCodeRow(c[0], c[1], c[2] if len(c) > 2 else "")


def read_alternate_names(path: Path) -> Iterator[AlternateNameRow]:
    for number, c in _columns(path, DumpKind.ALTERNATE_NAMES):
        try:
            yield AlternateNameRow(int(c[1]), c[2], c[3])
        except ValueError as exc:
            raise DumpFormatError(f"{path.name}:{number}: {exc}") from exc
