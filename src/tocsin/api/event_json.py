"""Events as JSON-ready dicts for the API: the same result as ``Event.to_dict()``, made faster.

``to_dict`` asks ``dataclasses`` for each record's fields and tests every value against each
kind it knows; a page of 500 Events spends tens of milliseconds there. Here the field names are
looked up once per class and plain scalars, the common case, return at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from tocsin.records import Event

_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(kind))
        _FIELDS[kind] = names
    return names


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:
        return value
    if isinstance(value, dt.date):  # datetimes too
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _record(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _record(value: Any) -> dict[str, Any]:
    return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}


def event_dict(event: Event) -> dict[str, Any]:
    """``event.to_dict()``, computed faster."""
    return _record(event)
