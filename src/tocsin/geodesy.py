"""Distances on the Earth's surface and the latitude/longitude boxes that enclose a radius.

Used by the radius filter of event queries (``near`` + ``within_km``): the boxes let an index
(PostGIS GiST, or SQLite's latitude/longitude columns) discard far events cheaply, and the
great-circle distance then keeps exactly those within the radius.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
# A hair of slack so that rounding never drops a point on the circle itself.
_MARGIN_DEGREES = 1e-9

Box = tuple[float, float, float, float]  # west, south, east, north


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def radius_box(lat: float, lon: float, km: float) -> Box:
    """A box (west, south, east, north) holding every point within ``km`` of (lat, lon).

    West > east when the box crosses the antimeridian; near a pole the box spans every longitude.
    """
    if km < 0:
        raise ValueError("the radius must not be negative")
    dlat = km / _KM_PER_DEGREE + _MARGIN_DEGREES
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    if south <= -90.0 or north >= 90.0:
        return -180.0, south, 180.0, north
    # The widest longitude span of the circle is at the latitude nearest a pole.
    widest = max(abs(south), abs(north))
    dlon = km / (_KM_PER_DEGREE * math.cos(math.radians(widest))) + _MARGIN_DEGREES
    if dlon >= 180.0:
        return -180.0, south, 180.0, north
    west, east = lon - dlon, lon + dlon
    west = west + 360.0 if west < -180.0 else west
    east = east - 360.0 if east > 180.0 else east
    return west, south, east, north
