"""An Event as one flat row of scalar fields (CSV rows, GeoJSON properties, Parquet, DataFrame).

The keys and their order are those of ``data/event_columns.toml``; values are Python scalars
(dates as ISO strings, ``documents`` as a list), None when unknown.
"""

from __future__ import annotations

import json
from typing import Any

from tocsin.exports.event_columns import event_column_names
from tocsin.records import Actor, Event


def _actor(prefix: str, actor: Actor | None) -> dict[str, Any]:
    return {
        f"{prefix}": actor.text if actor else None,
        f"{prefix}_country": actor.country if actor else None,
        f"{prefix}_sector": actor.sector if actor else None,
        f"{prefix}_group": actor.group if actor else None,
    }


def flat_event(event: Event) -> dict[str, Any]:
    """Scalar fields only: ids, type, actors, place, dates (ISO strings), counts, provenance."""
    place, date, counts = event.location, event.date, event.counts
    values: dict[str, Any] = {
        "id": event.id,
        "event": event.event,
        "mode": event.mode,
        "acled_event_type": event.acled[0] if event.acled else None,
        "acled_sub_event_type": event.acled[1] if event.acled and len(event.acled) > 1 else None,
        **_actor("actor1", event.actor1),
        **_actor("actor2", event.actor2),
        "location": (place.name or place.text) if place else None,
        "location_text": place.text if place else None,
        "geonameid": place.geonameid if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "precision": place.precision if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "date_start": date.start.isoformat() if date and date.start else None,
        "date_end": date.end.isoformat() if date and date.end else None,
        "date_precision": date.precision if date else None,
        "killed": counts.killed,
        "injured": counts.injured,
        "displaced": counts.displaced,
        "arrested": counts.arrested,
        "abducted": counts.abducted,
        "count_qualifier": counts.qualifier,
        "count_unit": counts.unit,
        "count_upper": json.dumps(counts.upper, sort_keys=True) if counts.upper else None,
        "conflicting_counts": event.conflicting_counts,
        "modality": event.modality,
        "confidence": event.confidence,
        "sources": event.sources,
        "reports": len(event.mentions),
        "documents": sorted({r.document for r in event.mentions}),
    }
    return {name: values[name] for name in event_column_names()}
