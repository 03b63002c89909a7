"""GLOCON protest documents: does ``tocsin.extract`` find a protest in a news document?

The GLOCON Gold public sample labels whole news documents as reporting a protest or
contentious event (label 1) or not (0); label 2 (unclear) is left out. A document counts as
predicted protest when ``extract(text)`` yields an asserted ``PROTEST`` mention. Scores:
precision, recall and F1 of the protest class, and accuracy. Units are whole articles (their
url).

``evaluate_sentences`` scores the sample's sentence-level labels the same way: a sentence
reports a contentious event (label 1) when ``extract(sentence)`` yields an asserted ``PROTEST``
mention or an asserted mention of ACLED's ``Riots`` type (mob violence is a riot in ACLED and
an ASSAULT in Tocsin). A document's sentences share its url, so they fall in the same split as
the document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tocsin.evaluation.common import choose, split_info
from tocsin.evaluation.top_mention import asserted
from tocsin.extraction import extract
from tocsin.resources import Resources

DATASET = "glocon"
PROTEST = "PROTEST"
RIOTS = "Riots"


def document_file(path: Path) -> Path:
    """The document-level JSON-lines file of a GLOCON folder (or the file itself)."""
    if path.is_dir():
        files = sorted((path / "document").glob("*.json")) or sorted(path.glob("*.json"))
        if not files:
            raise FileNotFoundError(f"{path}: no document-level JSON file")
        return files[0]
    return path


def sentence_file(path: Path) -> Path:
    """The sentence-level JSON-lines file of a GLOCON folder (or the file itself)."""
    if path.is_dir():
        files = sorted((path / "sentence").glob("*.json"))
        if not files:
            raise FileNotFoundError(f"{path}: no sentence-level JSON file")
        return files[0]
    return path


def read_documents(path: Path) -> list[dict[str, Any]]:
    """The documents labelled 0 or 1 (label 2, unclear, is left out)."""
    with document_file(path).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [r for r in rows if str(r.get("label")) in ("0", "1") and (r.get("text") or "").strip()]


def read_sentences(path: Path) -> list[dict[str, Any]]:
    """The sentences labelled 0 or 1, each as a row with ``text`` (label 2 is left out)."""
    with sentence_file(path).open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [{**r, "text": r.get("sentence") or ""} for r in rows
            if str(r.get("label")) in ("0", "1") and (r.get("sentence") or "").strip()]


def unit_key(row: dict[str, Any]) -> str:
    return str(row.get("url") or row.get("id") or row["text"])


def predict(text: str, resources: Resources | None = None) -> bool:
    events = extract(text, resources=resources)["events"]
    return any(event["event"] == PROTEST for event in asserted(events))


def contentious(text: str, resources: Resources | None = None) -> bool:
    """Does ``text`` report a contentious event: an asserted PROTEST mention or ACLED riot."""
    events = extract(text, resources=resources)["events"]
    return any(event["event"] == PROTEST or (event.get("acled") or [None])[0] == RIOTS
               for event in asserted(events))


def _scores(rows: list[dict[str, Any]], predict_row: Any) -> dict[str, Any]:
    tp = fp = fn = tn = 0
    for row in rows:
        gold = str(row["label"]) == "1"
        got = bool(predict_row(row["text"]))
        tp += gold and got
        fp += got and not gold
        fn += gold and not got
        tn += not gold and not got
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "positives": tp + fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "accuracy": round((tp + tn) / len(rows), 4) if rows else None,
    }


def evaluate_sentences(path: Path, resources: Resources | None = None, *, split: str = "check",
                       limit: int | None = None) -> dict[str, Any]:
    """Sentence-level contentious-event detection: P/R/F1 of label 1 and accuracy."""
    rows = choose(read_sentences(path), DATASET, unit_key, split, limit)
    scores = _scores(rows, lambda text: contentious(text, resources))
    return {
        **split_info(DATASET, split, len(rows)),
        "level": "sentence",
        "sentences": len(rows),
        "contentious_sentences": scores.pop("positives"),
        **scores,
    }


def evaluate(path: Path, resources: Resources | None = None, *, split: str = "check",
             limit: int | None = None) -> dict[str, Any]:
    rows = choose(read_documents(path), DATASET, unit_key, split, limit)
    scores = _scores(rows, lambda text: predict(text, resources))
    return {
        **split_info(DATASET, split, len(rows)),
        "documents": len(rows),
        "protest_documents": scores.pop("positives"),
        **scores,
    }
