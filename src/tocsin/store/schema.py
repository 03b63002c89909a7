"""Every table of the store on one ``MetaData``: the result tables (``models``) and those of
later stages (alerts, API, fusion, watch), the cumulative totals, the map cells and the event
counts, each in its own module.

Importing this module registers them all on ``Base.metadata``; the ``tocsin.store`` package
does so, so migrations and schema checks see every table whatever module they import.
"""

from __future__ import annotations

from sqlalchemy import MetaData

import tocsin.store.alert_tables  # noqa: F401 - registers its tables
import tocsin.store.api_tables  # noqa: F401
import tocsin.store.event_count_tables  # noqa: F401
import tocsin.store.fusion_tables  # noqa: F401
import tocsin.store.map_cell_tables  # noqa: F401
import tocsin.store.models  # noqa: F401
import tocsin.store.total_tables  # noqa: F401
import tocsin.store.watch_tables  # noqa: F401
from tocsin.store.base import Base

metadata: MetaData = Base.metadata

__all__ = ["metadata"]
