"""A Dask worker plugin that loads the spaCy pipeline and gazetteer when a worker starts.

Tasks call ``shared_resources`` themselves, so the plugin only moves the loading cost out of
the first task (and makes a worker's memory visible before work starts). A loading error is
left for the tasks to raise, where Dask retries it and the run records it.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from tocsin.resources import shared_resources
from tocsin.settings import Settings


class PreloadResources(WorkerPlugin):
    """Load ``shared_resources(settings)`` once per worker process, at setup."""

    name = "tocsin-preload-resources"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def setup(self, worker: Any) -> None:
        resources = shared_resources(self.settings)
        try:
            _ = resources.nlp
            _ = resources.gazetteer
        except Exception:  # noqa: BLE001 - tasks raise it again and get it recorded
            return
