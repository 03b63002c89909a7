"""The hand-annotated news set: its records, and the texts they point into.

An annotation file (JSON lines) holds one article a line: which corpus file under the data
folder (``corpus``), the article's position in that corpus (``index``), the first 16 hex digits
of the SHA-256 of its text (``sha256``), its length (``chars``), its publication date when the
corpus gives one, and its incidents and non-event statements as character offsets with labels.
No text of the article is stored: ``article_text`` reads it from the data folder and refuses a
text whose hash differs (the corpus file changed, or the index points elsewhere).

The split of an article is the split its corpus's own evaluation gives it
(``tocsin.evaluation.splits``): GLOCON documents by their url (data set ``glocon``), the
geoparsing corpora by their text (data set ``geoparse``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources as package_files
from pathlib import Path
from typing import Any, Literal

from tocsin.evaluation.geoparse_corpora import read_corpus
from tocsin.evaluation.splits import split_of

Span = tuple[int, int]


class AnnotationError(ValueError):
    """An annotation does not fit the text it points to, or is malformed."""


@dataclass(frozen=True)
class GoldIncident:
    category: str
    evidence: tuple[Span, ...]
    salient: bool
    acled: str | None = None
    place: Span | None = None
    date: Span | Literal["published"] | None = None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class NonEvent:
    kind: str
    evidence: tuple[Span, ...]


@dataclass(frozen=True)
class AnnotatedArticle:
    corpus: str
    index: int
    sha256: str
    chars: int
    published: str | None
    incidents: tuple[GoldIncident, ...]
    non_events: tuple[NonEvent, ...]
    source: str = ""

    @property
    def key(self) -> str:
        return f"{self.corpus}#{self.index}"


def default_folder() -> Path:
    """The annotated news set shipped with the package (``tocsin/data/news_annotations``)."""
    return Path(str(package_files.files("tocsin.data").joinpath("news_annotations")))


def _span(value: Any) -> Span:
    start, end = int(value[0]), int(value[1])
    if not 0 <= start < end:
        raise AnnotationError(f"bad span {value!r}")
    return start, end


def _incident(row: dict[str, Any]) -> GoldIncident:
    date = row.get("date")
    return GoldIncident(
        category=str(row["category"]),
        evidence=tuple(_span(s) for s in row["evidence"]),
        salient=bool(row.get("salient")),
        acled=row.get("acled"),
        place=_span(row["place"]) if row.get("place") else None,
        date="published" if date == "published" else (_span(date) if date else None),
        counts={str(k): int(v) for k, v in (row.get("counts") or {}).items()},
    )


def parse_article(row: dict[str, Any], source: str = "") -> AnnotatedArticle:
    try:
        return AnnotatedArticle(
            corpus=str(row["corpus"]),
            index=int(row["index"]),
            sha256=str(row["sha256"]),
            chars=int(row["chars"]),
            published=row.get("published"),
            incidents=tuple(_incident(i) for i in row.get("incidents") or ()),
            non_events=tuple(NonEvent(str(n["kind"]), tuple(_span(s) for s in n["evidence"]))
                             for n in row.get("non_events") or ()),
            source=source,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise AnnotationError(f"{source}: malformed annotation ({error})") from error


def load_annotations(folder: Path | None = None) -> list[AnnotatedArticle]:
    """Every annotated article of the ``*.jsonl`` files in ``folder``, file by file."""
    folder = Path(folder) if folder is not None else default_folder()
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"{folder}: no annotation file (*.jsonl)")
    articles = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    articles.append(parse_article(json.loads(line), f"{path.name}:{number}"))
    return articles


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@cache
def _json_lines(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@cache
def _xml_texts(path: Path) -> list[str]:
    return [article.text for article in read_corpus(path)[1]]


def _unit(data: Path, article: AnnotatedArticle) -> tuple[str, str, str]:
    """(text, data set, split key) of the annotated article, read from the data folder."""
    path = (data / article.corpus).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"{path}: corpus file of {article.key} not found")
    if path.suffix == ".json":
        rows = _json_lines(path)
        if article.index >= len(rows):
            raise AnnotationError(f"{article.key}: no such document")
        row = rows[article.index]
        return str(row.get("text") or ""), "glocon", str(row.get("url") or row.get("id")
                                                           or row.get("text"))
    texts = _xml_texts(path)
    if article.index >= len(texts):
        raise AnnotationError(f"{article.key}: no such article")
    text = texts[article.index]
    return text, "geoparse", text


def article_text(data: Path, article: AnnotatedArticle) -> str:
    """The article's text from the data folder; refused when its hash is not the annotated one."""
    text, _, _ = _unit(data, article)
    if text_hash(text) != article.sha256 or len(text) != article.chars:
        raise AnnotationError(
            f"{article.key}: the text in {article.corpus} is not the annotated one "
            f"(hash {text_hash(text)}, annotated {article.sha256}): re-annotate it")
    return text


def article_split(data: Path, article: AnnotatedArticle) -> str:
    """``fit`` or ``check``: the split the article's corpus evaluation puts it in."""
    _, dataset, key = _unit(data, article)
    return split_of(dataset, key)
