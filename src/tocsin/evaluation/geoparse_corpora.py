"""Readers for geoparsing gold corpora: GeoWebNews, LGL-format (LGL, TR-News) and GeoVirus XML.

Each reader turns one file into ``GoldArticle`` records with character offsets into the article
text. The format is detected from the file itself (``detect_format``), not from its name. A toponym
whose offsets fall outside its article's text (a few in GeoWebNews) is left out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("geowebnews", "lgl", "geovirus")


@dataclass(frozen=True)
class GoldToponym:
    """One annotated toponym span; ``lat``/``lon`` are None when the corpus gives no position."""

    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None

    @property
    def resolvable(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class GoldArticle:
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)

    def __post_init__(self) -> None:
        size = len(self.text)
        self.toponyms = [t for t in self.toponyms if 0 <= t.start < t.end <= size]


class CorpusFormatError(ValueError):
    pass


def detect_format(root: ET.Element) -> str:
    """Which corpus format an XML root holds, judged by the elements its first article has."""
    article = root.find("article")
    if article is None:
        raise CorpusFormatError("no <article> element: not a geoparsing corpus")
    if article.find("toponyms") is not None and article.find(".//extractedName") is not None:
        return "geowebnews"
    if article.find("toponyms") is not None:
        return "lgl"
    if article.find("locations") is not None:
        return "geovirus"
    # The first article may have no annotations at all: look further.
    for other in root.iter("article"):
        if other.find(".//extractedName") is not None:
            return "geowebnews"
        if other.find(".//gaztag") is not None or other.find(".//phrase") is not None:
            return "lgl"
        if other.find(".//location") is not None:
            return "geovirus"
    raise CorpusFormatError("cannot tell the corpus format from its elements")


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _realign(text: str, start: int, end: int, phrase: str) -> tuple[int, int]:
    """Offsets whose slice is ``phrase``: as given, or the nearest occurrence within a few chars."""
    if not phrase or text[start:end] == phrase:
        return start, end
    for shift in (-1, 1, -2, 2, -3, 3):
        s = start + shift
        if s >= 0 and text[s : s + len(phrase)] == phrase:
            return s, s + len(phrase)
    return start, end


def _read_geowebnews(root: ET.Element) -> list[GoldArticle]:
    articles = []
    for node in root.iter("article"):
        text = node.findtext("text") or ""
        toponyms = []
        for tp in node.iter("toponym"):
            start, end = _int(tp.findtext("start")), _int(tp.findtext("end"))
            if start is None or end is None:
                continue
            name = tp.findtext("extractedName") or ""
            start, end = _realign(text, start, end, name)
            toponyms.append(
                GoldToponym(
                    start,
                    end,
                    text[start:end],
                    _float(tp.findtext("latitude")),
                    _float(tp.findtext("longitude")),
                    _int(tp.findtext("geonamesID")),
                )
            )
        articles.append(GoldArticle(text, sorted(toponyms, key=lambda t: t.start)))
    return articles


def _read_lgl(root: ET.Element) -> list[GoldArticle]:
    articles = []
    for node in root.iter("article"):
        text = node.findtext("text") or ""
        toponyms = []
        for tp in node.iter("toponym"):
            start, end = _int(tp.findtext("start")), _int(tp.findtext("end"))
            if start is None or end is None:
                continue
            start, end = _realign(text, start, end, tp.findtext("phrase") or "")
            tag = tp.find("gaztag")
            lat = lon = None
            geonameid = None
            if tag is not None:
                lat, lon = _float(tag.findtext("lat")), _float(tag.findtext("lon"))
                geonameid = _int(tag.get("geonameid"))
            toponyms.append(GoldToponym(start, end, text[start:end], lat, lon, geonameid))
        articles.append(GoldArticle(text, sorted(toponyms, key=lambda t: t.start)))
    return articles


def _read_geovirus(root: ET.Element) -> list[GoldArticle]:
    articles = []
    for node in root.iter("article"):
        text = node.findtext("text") or ""
        toponyms = []
        for loc in node.iter("location"):
            start, end = _int(loc.findtext("start")), _int(loc.findtext("end"))
            if start is None or end is None:
                continue
            start, end = start - 1, end - 1  # GeoVirus offsets are 1-based
            start, end = _realign(text, start, end, loc.findtext("name") or "")
            toponyms.append(
                GoldToponym(
                    start,
                    end,
                    text[start:end],
                    _float(loc.findtext("lat")),
                    _float(loc.findtext("lon")),
                )
            )
        articles.append(GoldArticle(text, sorted(toponyms, key=lambda t: t.start)))
    return articles


_READERS = {"geowebnews": _read_geowebnews, "lgl": _read_lgl, "geovirus": _read_geovirus}


def read_corpus(path: str | Path) -> tuple[str, list[GoldArticle]]:
    """The corpus format and its articles, read from an XML file of any supported format."""
    try:
        root = ET.parse(str(path)).getroot()
    except ET.ParseError as exc:
        raise CorpusFormatError(f"{path}: not well-formed XML ({exc})") from exc
    kind = detect_format(root)
    return kind, _READERS[kind](root)
