"""A checker for the essentials of RFC 7946 GeoJSON, to validate Tocsin's exports.

It checks object types and required members, geometry structure (positions of 2 or 3 finite
numbers, longitude in [-180, 180] and latitude in [-90, 90], LineStrings of 2+ positions, closed
linear rings of 4+ positions), Feature ids (string or number) and properties (object or null), and
the absence of the pre-RFC ``crs`` member. It returns the list of problems (empty when valid).
"""

from __future__ import annotations

import math
from typing import Any

_GEOMETRIES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _position(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, list) or len(value) not in (2, 3) or not all(map(_number, value)):
        problems.append(f"{where}: a position is 2 or 3 finite numbers, got {value!r}")
        return
    lon, lat = value[0], value[1]
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        problems.append(f"{where}: [lon, lat] out of range: {value!r}")


def _positions(value: Any, where: str, problems: list[str], minimum: int) -> None:
    if not isinstance(value, list) or len(value) < minimum:
        problems.append(f"{where}: needs a list of at least {minimum} positions")
        return
    for n, position in enumerate(value):
        _position(position, f"{where}[{n}]", problems)


def _ring(value: Any, where: str, problems: list[str]) -> None:
    _positions(value, where, problems, 4)
    if isinstance(value, list) and len(value) >= 4 and value[0] != value[-1]:
        problems.append(f"{where}: a linear ring must be closed")


def _geometry(value: Any, where: str, problems: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or value.get("type") not in _GEOMETRIES:
        problems.append(f"{where}: not a geometry object")
        return
    kind = value["type"]
    if kind == "GeometryCollection":
        members = value.get("geometries")
        if not isinstance(members, list):
            problems.append(f"{where}: GeometryCollection needs 'geometries'")
            return
        for n, member in enumerate(members):
            if member is None:
                problems.append(f"{where}.geometries[{n}]: null geometry in a collection")
            else:
                _geometry(member, f"{where}.geometries[{n}]", problems)
        return
    coordinates = value.get("coordinates")
    if kind == "Point":
        _position(coordinates, where, problems)
    elif kind == "MultiPoint":
        _positions(coordinates, where, problems, 0)
    elif kind == "LineString":
        _positions(coordinates, where, problems, 2)
    elif kind == "MultiLineString" or kind == "Polygon":
        if not isinstance(coordinates, list):
            problems.append(f"{where}: coordinates must be a list")
            return
        for n, part in enumerate(coordinates):
            if kind == "Polygon":
                _ring(part, f"{where}[{n}]", problems)
            else:
                _positions(part, f"{where}[{n}]", problems, 2)
    elif kind == "MultiPolygon":
        if not isinstance(coordinates, list):
            problems.append(f"{where}: coordinates must be a list")
            return
        for n, polygon in enumerate(coordinates):
            if not isinstance(polygon, list):
                problems.append(f"{where}[{n}]: a polygon is a list of rings")
                continue
            for m, ring in enumerate(polygon):
                _ring(ring, f"{where}[{n}][{m}]", problems)


def _feature(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict) or value.get("type") != "Feature":
        problems.append(f"{where}: not a Feature")
        return
    if "geometry" not in value:
        problems.append(f"{where}: a Feature needs a 'geometry' member (may be null)")
    else:
        _geometry(value["geometry"], f"{where}.geometry", problems)
    if "properties" not in value:
        problems.append(f"{where}: a Feature needs a 'properties' member (may be null)")
    elif value["properties"] is not None and not isinstance(value["properties"], dict):
        problems.append(f"{where}: properties must be an object or null")
    if "id" in value and not (isinstance(value["id"], str) or _number(value["id"])):
        problems.append(f"{where}: id must be a string or a number")


def geojson_problems(document: Any) -> list[str]:
    """What makes ``document`` (parsed JSON) invalid RFC 7946 GeoJSON; empty when it is valid."""
    problems: list[str] = []
    if not isinstance(document, dict) or "type" not in document:
        return ["not a GeoJSON object"]
    if "crs" in document:
        problems.append("the 'crs' member was removed in RFC 7946")
    kind = document["type"]
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            return problems + ["a FeatureCollection needs a 'features' list"]
        for n, feature in enumerate(features):
            _feature(feature, f"features[{n}]", problems)
    elif kind == "Feature":
        _feature(document, "feature", problems)
    else:
        _geometry(document, "geometry", problems)
    return problems
