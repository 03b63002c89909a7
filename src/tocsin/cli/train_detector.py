"""``tocsin train-detector``: fit the incident detector on the fit splits of the labelled sets.

Sentences and their labels (1: reports an incident ACLED codes; 0: does not):
- CASE 2021 task 2: the first sentence of each snippet of an ACLED sub-type (1);
- GLOCON: each labelled sentence (1: a contentious event, 0: none);
- the event-location records: the sentence of the gold event word (1);
- PLOVER's gold-standard sentences of the categories ACLED codes (1);
- Tocsin's own annotated news: each sentence of an article (1 where the evidence of a gold
  incident of an ACLED type lies, 0 where no incident's does, statements that look like events
  but are not included; sentences of incidents ACLED does not code are left out);
- the geoparsing corpora's news: sentences in which the trigger lexicon finds nothing (0);
- the typing model's example sentences, written by the project (1).
Each set is cross-validated by whole documents inside fit; the model holds no text of them.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Span

    from tocsin.mentions.detection.word_vectors import WordVectors

NEGATIVE_SENTENCES = 3000  # geoparsing sentences without a trigger, drawn with a fixed seed
SEED = 20261208
LICENCES = {
    "case2021": "CASE 2021 task 2 (ACLED-derived snippets; research use)",
    "glocon": "GLOCON Gold public sample (research use)",
    "event-location": "event-location sentences (Xinhua/news excerpts; research use)",
    "plover": "PLOVER gold-standard sentences (CC BY-SA 4.0)",
    "news": "Tocsin's own annotations of GeoWebNews/LGL/GeoVirus/GLOCON articles (offsets only)",
    "geoparse": "GeoWebNews, LGL, GeoVirus (GPL-3.0 repositories; texts: publishers)",
    "templates": "typing_examples.tsv, written by the project",
}


@dataclass(frozen=True)
class Example:
    """A text, where in it the labelled sentence starts (None: the first sentence; -1: every
    sentence, labelled by ``spans``), its label and the document it came from."""

    source: str
    group: str
    text: str
    label: int
    at: int | None = None
    spans: tuple[tuple[int, int], ...] = ()
    skip: tuple[tuple[int, int], ...] = ()  # sentences left out (incidents ACLED does not code)


def _touches(sentence: Span, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(a < sentence.end_char and sentence.start_char < b for a, b in spans)


def _case(data: Path) -> Iterator[Example]:
    from tocsin.evaluation.case2021 import DATASET, case_codes, read_rows
    from tocsin.evaluation.splits import select

    path = data / "case2021-task2" / "eval.tsv"
    if not path.is_file():
        return
    codes = case_codes()
    for key, text, code in select(read_rows(path), DATASET, lambda r: r[0], "fit"):
        if code in codes:
            yield Example("case2021", f"case:{key}", text, 1)


def _glocon(data: Path) -> Iterator[Example]:
    from tocsin.evaluation.glocon import DATASET, read_sentences, unit_key
    from tocsin.evaluation.splits import select

    folder = data / "glocon-protest"
    if not folder.is_dir():
        return
    for row in select(read_sentences(folder), DATASET, unit_key, "fit"):
        yield Example("glocon", f"glocon:{unit_key(row)}", row["text"],
                      int(str(row["label"]) == "1"))


def _event_location(data: Path) -> Iterator[Example]:
    from tocsin.evaluation.event_location import DATASET, gold_verb, read_records, unit_key
    from tocsin.evaluation.splits import select

    path = data / "event-location" / "eval.jsonl"
    if not path.is_file():
        return
    for record in select(read_records(path), DATASET, unit_key, "fit"):
        verb = gold_verb(record)
        if verb is not None:
            yield Example("event-location", f"el:{unit_key(record)}", record["text"], 1,
                          at=verb[0])


def _plover(data: Path) -> Iterator[Example]:
    from tocsin.evaluation.plover import DATASET, gold_file, mapping, read_records, unit_key
    from tocsin.evaluation.splits import select
    from tocsin.mentions.typing.ontology import Ontology

    folder = data / "plover-gsr"
    if not folder.is_dir():
        return
    ontology = Ontology.load()
    coded = {t.category for t in ontology.acled_types}
    for record in select(read_records(gold_file(folder)), DATASET, unit_key, "fit"):
        category = mapping().categories.get(record["event"], record["event"])
        if category in coded and record.get("text"):
            yield Example("plover", f"plover:{unit_key(record)}", record["text"], 1)


def _news(data: Path) -> Iterator[Example]:
    from tocsin.evaluation.news_annotations import (
        article_split,
        article_text,
        load_annotations,
    )

    for article in load_annotations():
        try:
            if article_split(data, article) != "fit":
                continue
            text = article_text(data, article)
        except (OSError, ValueError):
            continue
        coded = tuple(s for incident in article.incidents if incident.acled
                      for s in incident.evidence)
        others = tuple(s for incident in article.incidents if not incident.acled
                       for s in incident.evidence)
        yield Example("news", f"news:{article.key}", text, 1, at=-1, spans=coded, skip=others)


def _geoparse(data: Path) -> Iterator[Example]:
    from tocsin.evaluation.geoparse_corpora import read_corpus
    from tocsin.evaluation.news_annotations import text_hash
    from tocsin.evaluation.splits import select

    for name in ("GWN.xml", "lgl.xml", "GeoVirus.xml"):
        path = data / "geoparsing" / name
        if path.is_file():
            for article in select(read_corpus(path)[1], "geoparse", lambda a: a.text, "fit"):
                yield Example("geoparse", f"geo:{name}:{text_hash(article.text)}", article.text, 0,
                              at=-1)


def _templates() -> Iterator[Example]:
    from tocsin.mentions.typing.default_model import TypingModel
    from tocsin.mentions.typing.ontology import Ontology
    from tocsin.mentions.typing.subtypes import SubtypeCues

    model = TypingModel.load(SubtypeCues.load(Ontology.load()))
    for number, (sentence, _) in enumerate(model.example_sentences(per_template=2)):
        yield Example("templates", f"template:{number // 2}", sentence, 1)


def training_rows(data: Path, vectors: WordVectors) -> tuple[np.ndarray, np.ndarray,
                                                            list[tuple[str, str, bool]]]:
    """Feature rows, labels and (source, document, no ACLED-coded trigger) of every labelled
    sentence of the fit splits under ``data``."""
    import numpy as np

    from tocsin.mentions.detection.sentence_features import sentence_features
    from tocsin.resources import shared_resources

    resources = shared_resources()
    lexicons = resources.lexicons
    categories = sorted(lexicons.ontology.categories)
    examples = [*_case(data), *_glocon(data), *_event_location(data), *_plover(data),
                *_news(data), *_geoparse(data), *_templates()]
    rows: list[np.ndarray] = []
    labels: list[int] = []
    meta: list[tuple[str, str, bool]] = []  # source, group, no ACLED-coded trigger
    negatives: list[tuple[np.ndarray, str]] = []
    docs = resources.nlp.pipe((e.text for e in examples), batch_size=64)
    for example, doc in zip(examples, docs, strict=True):
        sentences = list(doc.sents)
        if example.at is None:
            chosen = [(sentences[0], example.label)] if sentences else []
        elif example.at >= 0:
            chosen = [(s, example.label) for s in sentences
                      if s.start_char <= example.at < s.end_char]
        else:
            chosen = [(s, int(_touches(s, example.spans))) for s in sentences
                      if _touches(s, example.spans) or not _touches(s, example.skip)]
        for sentence, label in chosen:
            triggers = lexicons.triggers.find_triggers(sentence)
            row = sentence_features(sentence, triggers, vectors, categories)
            open_sentence = not any(lexicons.ontology.coding.codes(t.category, t.mode)
                                    for t in triggers)
            if example.source == "geoparse":
                if not triggers:
                    negatives.append((row, example.group))
                continue
            rows.append(row)
            labels.append(label)
            meta.append((example.source, example.group, open_sentence))
    random.Random(SEED).shuffle(negatives)
    for row, group in negatives[:NEGATIVE_SENTENCES]:
        rows.append(row)
        labels.append(0)
        meta.append(("geoparse", group, True))
    x = np.stack(rows)
    y = np.asarray(labels)
    return x, y, meta


def command(
    data: Path = typer.Option(..., "--data", help="The labelled data folder (../shared/data)."),
    out: Path | None = typer.Option(None, "--out", help="Where to write the model (.npz); "
                                    "without it, only the cross-validation is printed."),
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-validation folds inside fit."),
    c: float = typer.Option(0.01, "--c", min=1e-6, help="Inverse L2 penalty."),
    end_to_end: bool = typer.Option(False, "--end-to-end", help="Also extract each fold's "
                                    "CASE snippets, GLOCON sentences and annotated news "
                                    "with the model of the other folds (and with the "
                                    "detector off), through tocsin.extract."),
) -> None:
    """Fit the incident detector on the fit splits; print out-of-fold precision and recall."""
    import numpy as np

    from tocsin.evaluation.splits import fit_fold
    from tocsin.mentions.detection.incident_detector import DetectorSettings
    from tocsin.mentions.detection.training import (
        fit_detector,
        out_of_fold,
        precision_recall_at,
    )
    from tocsin.mentions.detection.word_vectors import VectorsMissing, WordVectors
    from tocsin.resources import shared_resources

    if not data.is_dir():
        typer.echo(f"error: {data} is not a folder", err=True)
        raise typer.Exit(2)
    try:
        vectors = WordVectors.load(DetectorSettings.load().vector_packages)
    except VectorsMissing as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    x, y, meta = training_rows(data, vectors)
    weights = np.ones(len(y))
    fold_of = np.asarray([fit_fold("detector", group, folds) for _, group, _ in meta])
    oof = out_of_fold(x, y, weights, fold_of, c)
    threshold = DetectorSettings.load().threshold
    report: dict = {"sentences": Counter(f"{s}:{y[i]}" for i, (s, _, _) in enumerate(meta)),
                    "c": c, "threshold": threshold, "out_of_fold": {}}
    sources = sorted({s for s, _, _ in meta})
    for source in [*sources, "all"]:
        for only_open in (False, True):
            chosen = np.asarray([(source in ("all", s)) and (o or not only_open)
                                 for s, _, o in meta])
            if not chosen.any():
                continue
            name = f"{source}{' (no ACLED trigger)' if only_open else ''}"
            report["out_of_fold"][name] = {
                str(t): precision_recall_at(oof[chosen], y[chosen], t)
                for t in (0.5, 0.7, 0.8, 0.9, threshold)}
    categories = sorted(shared_resources().lexicons.ontology.categories)
    if end_to_end:
        import tempfile

        from tocsin.cli.detector_cross_validation import end_to_end as run_end_to_end

        with tempfile.TemporaryDirectory() as work:
            report["end_to_end"] = run_end_to_end(
                data, x, y, [group for _, group, _ in meta],
                lambda key: fit_fold("detector", key, folds), folds, c, categories,
                vectors.dims, Path(work))
    if out is not None:
        fitted = fit_detector(x, y, weights, c)
        fitted.save(out, categories, vectors.dims)
        report["saved"] = str(out)
        report["trained"] = date.today().isoformat()
        report["vectors"] = vectors.source
        report["licences"] = {s: LICENCES[s] for s in sources}
    typer.echo(json.dumps(report, indent=1, default=str))
