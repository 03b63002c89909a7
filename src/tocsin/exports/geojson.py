"""GeoJSON export (RFC 7946): a FeatureCollection with one Point Feature per Event.

Coordinates are [longitude, latitude] in WGS 84, rounded to 6 decimals. Properties are the flat
fields of ``flat_event`` (scalars, plus the list of document ids). Events without coordinates are
kept, with a null geometry (RFC 7946 section 3.2 allows it), so a GeoJSON export loses no event;
pass ``located_only=True`` to leave them out (for tools that cannot draw null geometries).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from tocsin.exports.flat_event import flat_event
from tocsin.records import Event


def event_feature(event: Event) -> dict[str, Any]:
    place = event.location
    geometry = None
    if place is not None and place.lat is not None and place.lon is not None:
        geometry = {"type": "Point", "coordinates": [round(place.lon, 6), round(place.lat, 6)]}
    return {
        "type": "Feature",
        "id": event.id,
        "geometry": geometry,
        "properties": flat_event(event),
    }


def to_geojson(events: Iterable[Event], *, located_only: bool = False) -> dict[str, Any]:
    """The Events as a GeoJSON FeatureCollection (a JSON-ready dict)."""
    features = [event_feature(e) for e in events]
    if located_only:
        features = [f for f in features if f["geometry"] is not None]
    return {"type": "FeatureCollection", "features": features}


def write_geojson(
    events: Iterable[Event], target: str | Path | IO[str], *, located_only: bool = False
) -> int:
    """Write the FeatureCollection to a path or text file; return the number of features."""
    collection = to_geojson(events, located_only=located_only)
    text = json.dumps(collection, ensure_ascii=False)
    if isinstance(target, (str, Path)):
        Path(target).write_text(text + "\n", encoding="utf-8")
    else:
        target.write(text + "\n")
    return len(collection["features"])
