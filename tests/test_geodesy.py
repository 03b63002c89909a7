"""Great-circle distances and the boxes round a radius (used by the ``near`` filter)."""

from __future__ import annotations

import math

import pytest

from tocsin.geodesy import distance_km, radius_box


def inside(box: tuple[float, float, float, float], lat: float, lon: float) -> bool:
    west, south, east, north = box
    in_lon = west <= lon <= east if west <= east else (lon >= west or lon <= east)
    return south <= lat <= north and in_lon


def test_distance_between_known_cities() -> None:
    # Damascus to Aleppo is about 310 km; a point is 0 km from itself.
    assert distance_km(33.5138, 36.2765, 36.2021, 37.1343) == pytest.approx(310, abs=10)
    assert distance_km(10.0, 20.0, 10.0, 20.0) == 0.0
    # A quarter of the meridian.
    assert distance_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(10_007.5, abs=1)


@pytest.mark.parametrize(
    ("lat", "lon", "km"),
    [(35.9, 36.6, 50.0), (-33.9, 18.4, 300.0), (64.1, -21.9, 800.0), (0.0, 179.9, 500.0),
     (50.0, -179.5, 100.0), (-60.0, 10.0, 2_000.0)],
)
def test_every_point_on_the_circle_is_inside_the_box(lat: float, lon: float, km: float) -> None:
    box = radius_box(lat, lon, km)
    for step in range(72):
        bearing = math.radians(step * 5)
        # Destination point at distance km along the bearing (spherical Earth).
        d = km / 6371.0088
        p1, l1 = math.radians(lat), math.radians(lon)
        p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(bearing))
        l2 = l1 + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(p1),
                             math.cos(d) - math.sin(p1) * math.sin(p2))
        lon2 = (math.degrees(l2) + 540.0) % 360.0 - 180.0
        assert inside(box, math.degrees(p2), lon2), (step, box)


def test_box_crosses_the_antimeridian_and_covers_the_pole() -> None:
    west, _, east, _ = radius_box(0.0, 179.9, 500.0)
    assert west > east
    assert radius_box(89.0, 0.0, 300.0)[0::2] == (-180.0, 180.0)
    assert not inside(radius_box(35.9, 36.6, 50.0), 34.7, 36.7)  # Homs is outside Idlib's box
    with pytest.raises(ValueError):
        radius_box(0.0, 0.0, -1.0)
