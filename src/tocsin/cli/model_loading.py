"""The heavy models, loaded with a label saying which one is loading.

The spaCy pipeline takes a second or two to load, the gazetteer and the event typing model tens
of seconds on a first run (the default gazetteer is built, the typing model fitted; later runs
read both from the data folder in a fraction of a second), and a command that analyses
text loads them when the first document needs them. ``AnnouncedResources`` is the ``Resources``
those commands use: each load happens inside ``announce(label)``, which shows the label beside
a spinner on stderr (``LoadingSpinner``) or as the description of a progress bar's task
(``tocsin run``), so the wait says what it is waiting for. Loading stays lazy: a rerun that
finds every document already stored loads nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.status import Status

from tocsin.resources import Resources
from tocsin.settings import DEFAULT_MODELS, Settings

if TYPE_CHECKING:
    from spacy.language import Language

    from tocsin.mentions.lexicons import Lexicons

Announce = Callable[[str], AbstractContextManager[object]]


@contextmanager
def _silently(_label: str) -> Iterator[None]:
    yield


class AnnouncedResources(Resources):
    """``Resources`` whose loads each run inside ``announce(label)``."""

    def __init__(self, settings: Settings | None = None, announce: Announce = _silently) -> None:
        super().__init__(settings)
        self.announce = announce

    @cached_property
    def nlp(self) -> Language:
        name = self.settings.model or DEFAULT_MODELS[0]
        with self.announce(f"loading the spaCy pipeline {name}"):
            return super().nlp

    @cached_property
    def gazetteer(self) -> Any:
        from tocsin.places.name_index import name_index

        with self.announce(f"opening the gazetteer {self.settings.gazetteer_path}"):
            gazetteer = super().gazetteer
        with self.announce("indexing the gazetteer's place names"):
            name_index(gazetteer)  # stored in the file; built in memory for an older file
        return gazetteer

    @cached_property
    def lexicons(self) -> Lexicons:
        self.nlp  # noqa: B018 - its own announcement first
        with self.announce("loading the event word lists"):
            lexicons = super().lexicons
        typing_model = lexicons.classifiers.default.model
        fitted = typing_model.cache_path().exists()
        label = ("loading the event typing model" if fitted
                 else "fitting the event typing model (first run only)")
        with self.announce(label):
            typing_model.linear  # noqa: B018 - loaded (or fitted) now, not in the first document
            lexicons.classifiers.for_pipeline(self.settings.event_model_path)
        return lexicons


class LoadingSpinner:
    """``announce`` for commands without a progress bar: a spinner with the label on
    ``console`` (stderr) while a load runs, when that console is a terminal; elsewhere one
    line per load through ``log`` when one is given (``tocsin watch`` logs), else nothing."""

    def __init__(self, console: Console, log: logging.Logger | None = None) -> None:
        self.console = console
        self.log = log
        self._status: Status | None = None

    @contextmanager
    def __call__(self, label: str) -> Iterator[None]:
        started = time.monotonic()
        if not self.console.is_terminal:
            if self.log is not None:
                self.log.info("%s", label)
            yield
            if self.log is not None:
                self.log.info("%s: done in %.1f s", label, time.monotonic() - started)
            return
        if self._status is not None:  # a load inside another: say the inner one meanwhile
            outer = self._status.status
            self._status.update(label)
            try:
                yield
            finally:
                self._status.update(outer)
            return
        with self.console.status(label, spinner="dots") as status:
            self._status = status
            try:
                yield
            finally:
                self._status = None
