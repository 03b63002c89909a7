"""Which event-place ranker the product uses: TOCSIN_EVENT_PLACE_RANKER names a model file,
or "rules" for the hand rules of ``event_place.toml``; unset, the shipped model. Read by the
ranker's loader (``event_place_model``) and by the document's rules (``ranking``)."""

from __future__ import annotations

import os

ENV = "TOCSIN_EVENT_PLACE_RANKER"
RULES = "rules"


def ranker_setting() -> str:
    """The setting as given ("" when unset)."""
    return os.environ.get(ENV, "").strip()


def learned_ranker_on() -> bool:
    """The learned ranker chooses event places (any setting but "rules")."""
    return ranker_setting() != RULES
