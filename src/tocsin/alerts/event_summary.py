"""The short form of an Event that travels with an alert: what, where, when, how many, and the
evidence sentences."""

from __future__ import annotations

from typing import Any

from tocsin.records import Event


def summarise_event(event: Event) -> dict[str, Any]:
    place = event.location
    return {
        "id": event.id,
        "event": event.event,
        "mode": event.mode,
        "acled": event.acled,
        "modality": event.modality,
        "place": None
        if place is None
        else {
            "name": place.name or place.text,
            "country": place.country,
            "admin1": place.admin1,
            "lat": place.lat,
            "lon": place.lon,
            "precision": place.precision,
        },
        "start": event.date.start.isoformat() if event.date and event.date.start else None,
        "end": event.date.end.isoformat() if event.date and event.date.end else None,
        "killed": event.counts.killed,
        "displaced": event.counts.displaced,
        "sources": event.sources,
        "evidence": [
            {"document": m.document, "sentence": m.sentence, "url": m.url} for m in event.mentions
        ],
    }
