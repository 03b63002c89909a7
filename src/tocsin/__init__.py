"""Tocsin: conflict and crisis events from news and social posts, with evidence and alerts."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def extract(text: str, published: Any = None) -> dict[str, Any]:
    """Analyse one text without storing it; the same record as ``tocsin extract --json``."""
    from tocsin.extraction import extract as _extract

    return _extract(text, published=published)


__all__ = ["__version__", "extract"]
