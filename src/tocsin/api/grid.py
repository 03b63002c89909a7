"""``GET /api/events/grid``: the events matching the filters counted per map cell, for wide views.

A map of the whole world cannot show a million markers, nor fetch them. This route counts the
located events that match the same filters as ``GET /api/events`` in square latitude/longitude
cells, per category, in one grouped SQL scan, and returns one entry per cell that holds events:
its bounds, the mean place of its events, the count and the counts per category. The cell size
comes from the map's zoom level (``CELL_DEGREES_BY_ZOOM``: about 64 screen pixels at that zoom)
and is doubled until the requested box (``bbox``, the whole world without it) spans at most
``MAX_CELLS`` cells, so a response stays bounded whatever is asked.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from tocsin.api.filters import event_filters
from tocsin.api.problems import problem_responses
from tocsin.api.response_models import EventGrid
from tocsin.api.state import database_of
from tocsin.queries import EventFilters, GridCell, event_grid

router = APIRouter(tags=["events"])

WORLD = (-180.0, -90.0, 180.0, 90.0)
# Web map zoom -> cell side in degrees: 64 of the 256 * 2**zoom pixels that span 360 degrees.
CELL_DEGREES_BY_ZOOM: tuple[float, ...] = (
    90.0, 45.0, 22.5, 11.25, 5.625, 2.8125, 1.40625, 0.703125, 0.3515625, 0.17578125,
    0.087890625, 0.0439453125, 0.02197265625, 0.010986328125, 0.0054931640625,
    0.00274658203125, 0.001373291015625, 0.0006866455078125, 0.00034332275390625,
)  # fmt: skip
MAX_ZOOM = len(CELL_DEGREES_BY_ZOOM) - 1
MAX_CELLS = 2048


def _spans(bbox: tuple[float, float, float, float]) -> tuple[float, float]:
    """Width and height of a box in degrees (west > east crosses the antimeridian)."""
    west, south, east, north = bbox
    width = east - west if west <= east else 360.0 - (west - east)
    return width, north - south


def cells_spanned(bbox: tuple[float, float, float, float], size: float) -> int:
    """The most cells of side ``size`` that the box can touch (aligned anywhere)."""
    width, height = _spans(bbox)
    columns = min(math.ceil(width / size) + 1, math.ceil(360.0 / size))
    rows = min(math.ceil(height / size) + 1, math.ceil(180.0 / size))
    return columns * rows


def cell_degrees(zoom: int, bbox: tuple[float, float, float, float]) -> float:
    """The side of the cells for ``zoom``, doubled until ``bbox`` spans at most MAX_CELLS."""
    size = CELL_DEGREES_BY_ZOOM[min(max(zoom, 0), MAX_ZOOM)]
    while cells_spanned(bbox, size) > MAX_CELLS:
        size *= 2
    return size


def cell_dict(cell: GridCell, size: float) -> dict[str, Any]:
    south, west = -90.0 + cell.row * size, -180.0 + cell.column * size
    return {
        "south": south, "west": west,
        "north": min(south + size, 90.0), "east": min(west + size, 180.0),
        "lat": round(cell.lat, 5), "lon": round(cell.lon, 5),
        "count": cell.count, "types": cell.types,
    }  # fmt: skip


@router.get(
    "/api/events/grid",
    summary="Events matching the filters counted per map cell and per category",
    response_model=None,
    responses={200: {"model": EventGrid}, **problem_responses(422)},
)
def grid(
    request: Request,
    filters: Annotated[EventFilters, Depends(event_filters)],
    zoom: Annotated[
        int,
        Query(ge=0, le=MAX_ZOOM,
              description="Web map zoom level (0 = the world in 256 pixels); sets the cell size."),
    ] = 2,
) -> dict[str, Any]:
    """Cells of ``bbox`` (the whole world without it) that hold located events matching the
    filters; each with its bounds, the mean place of its events, ``count`` and ``types``."""
    box = filters.bbox or WORLD
    size = cell_degrees(zoom, box)
    cells = event_grid(database_of(request), filters, size)
    return {
        "zoom": zoom,
        "cell_degrees": size,
        "bbox": list(box),
        "total": sum(cell.count for cell in cells),
        "cells": [cell_dict(cell, size) for cell in cells],
    }
