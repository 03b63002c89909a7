"""Places: toponym recognition and resolution against the gazetteer (see issue 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tocsin.records import Document, Place

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from tocsin.resources import Resources


def find_places(document: Document, parsed: Doc, resources: Resources) -> list[Place]:
    """Every toponym of ``parsed`` with its resolution. Placeholder until the geoparser lands."""
    return []
