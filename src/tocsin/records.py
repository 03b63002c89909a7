"""The typed records that flow through Tocsin's pipeline.

Every stage takes and returns these plain dataclasses; ``to_dict`` gives the JSON shape that
``tocsin extract --json`` prints and the API returns (see DESIGN.md, "The records").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Document status values.
STATUS_OK = "ok"
STATUS_UNSUPPORTED_LANGUAGE = "unsupported_language"
STATUS_EMPTY = "empty"

# Place precision levels, finest first.
PRECISIONS = ("point", "town", "admin2", "admin1", "region", "country")

# Document kinds: a report written for readers (news, post, feed entry), or a coder's note that
# describes one event in a fixed style (ACLED's ``notes``); declared by the user, never guessed.
KIND_ARTICLE = "article"
KIND_NOTE = "note"
KINDS = (KIND_ARTICLE, KIND_NOTE)

# Modality values (DESIGN.md).
MODALITIES = ("asserted", "negated", "forecast", "hypothetical", "intended", "generic", "alleged")


def _plain(value: Any) -> Any:
    """Turn dataclasses, dates and containers into JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@dataclass
class Document:
    """One report (article, post, feed entry) after reading and cleaning.

    ``id`` is derived from the normalised text (see ``document_id``), so the same report read
    from two sources gets the same id. ``locator`` says where it was read from (path, URL, and
    the record within a feed, JSON Lines or WARC file).
    """

    id: str
    text: str
    locator: str
    format: str
    title: str | None = None
    author: str | None = None
    published: dt.date | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None
    status: str = STATUS_OK
    kind: str = KIND_ARTICLE

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass
class Entity:
    text: str
    label: str
    start: int
    end: int
    sentence: int


@dataclass
class Place:
    """A toponym found in a document and, when resolved, the gazetteer entry it names.

    ``country`` is ISO 3166 alpha-3. ``metonym`` is true when the name stands for a government
    or other actor ("Ankara said ...") rather than a location.
    """

    text: str
    start: int
    end: int
    sentence: int
    name: str | None = None
    geonameid: int | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    metonym: bool = False
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass
class Actor:
    text: str
    country: str | None = None
    sector: str | None = None
    group: str | None = None


@dataclass
class DateSpan:
    start: dt.date | None = None
    end: dt.date | None = None
    precision: str | None = None  # day, range, week, month, year, published
    text: str | None = field(default=None, compare=False)  # the date expression as written


@dataclass
class Counts:
    killed: int | None = None
    injured: int | None = None
    displaced: int | None = None
    arrested: int | None = None
    abducted: int | None = None
    qualifier: str | None = None
    unit: str | None = None  # people or households
    # The higher figure a report claims but does not confirm, per count type ("as many as 60
    # may have died ... nine bodies recovered": killed 9, upper {"killed": 60}).
    upper: dict[str, int] = field(default_factory=dict)


@dataclass
class Evidence:
    document: str
    sentence: str
    start: int
    end: int


@dataclass
class EventMention:
    """One event as one sentence of one document reports it (DESIGN.md, "The records")."""

    event: str
    evidence: Evidence
    mode: str | None = None
    acled: list[str] | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    location: Place | None = None
    date: DateSpan | None = None
    counts: Counts = field(default_factory=Counts)
    modality: str = "asserted"
    confidence: float = 0.5
    source: str | None = None  # who claims it, when attributed ("said the ministry")
    trigger: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass
class Total:
    """A cumulative figure over a period ("37,100 killed since the war began", "so far this
    year"): an aggregate that a report states, never an incident (DESIGN.md, "The records").

    ``category`` is the count type (killed, injured, displaced, arrested, abducted); ``period``
    runs from the start the text states (None when it names none: "since the war began") to
    the publication date; ``period_text`` is the phrase that made the figure cumulative;
    ``source`` who states it, when attributed.
    """

    category: str
    value: int
    evidence: Evidence
    qualifier: str | None = None
    unit: str | None = None
    period: DateSpan = field(default_factory=DateSpan)
    period_text: str | None = None
    location: Place | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass
class Failure:
    """A document (or input) that could not be processed, and why."""

    locator: str
    stage: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass
class DocumentResult:
    """Everything the pipeline found in one document."""

    document: Document
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


@dataclass
class MentionRef:
    """One source of a fused Event: which mention of which document, and its evidence."""

    mention: str  # event mention id: "<document id>:<index>"
    document: str
    sentence: str
    start: int
    end: int
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None


@dataclass
class CountReport:
    """One source's figure for one count of an Event (kept even when another figure is chosen)."""

    kind: str  # killed, injured, displaced, arrested, abducted
    value: int
    qualifier: str | None
    mention: str
    source: str | None = None


@dataclass
class Event:
    """One real event, fused from every mention that reports it (DESIGN.md, "Fuse")."""

    id: str
    event: str
    mode: str | None = None
    acled: list[str] | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    location: Place | None = None
    date: DateSpan | None = None
    counts: Counts = field(default_factory=Counts)
    modality: str = "asserted"
    confidence: float = 0.5
    sources: int = 1  # independent sources (near-duplicate texts count once)
    mentions: list[MentionRef] = field(default_factory=list)
    count_reports: list[CountReport] = field(default_factory=list)
    conflicting_counts: bool = False

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)
