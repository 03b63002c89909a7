"""Well-Known Binary (ISO/OGC simple features) for the one geometry Tocsin writes: a 2D Point."""

from __future__ import annotations

import struct

_POINT_WKB = struct.Struct("<BIdd")  # byte order 1 (little-endian), geometry type 1 (Point), x, y


def point_wkb(lon: float, lat: float) -> bytes:
    """A Point as little-endian WKB (x is the longitude, y the latitude)."""
    return _POINT_WKB.pack(1, 1, lon, lat)
