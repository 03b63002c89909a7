"""End-to-end cross-validation of the incident detector inside the fit splits (``tocsin
train-detector --end-to-end``): each fold's CASE 2021 snippets, GLOCON sentences and annotated
news articles go through ``tocsin.extract`` with the model fitted on the other folds' sentences,
and through it with the detector off; the figures are summed over the folds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from tocsin.resources import Resources
from tocsin.settings import Settings

Units = list[tuple[str, Callable[[Resources], Any]]]


def _case_units(data: Path) -> tuple[Units, Callable[[list[Any]], dict[str, Any]]]:
    from tocsin.evaluation import case2021 as case
    from tocsin.evaluation.splits import select

    codes = case.case_codes()
    path = data / "case2021-task2" / "eval.tsv"
    rows = [r for r in select(case.read_rows(path), case.DATASET, lambda r: r[0], "fit")
            if r[2] in codes] if path.is_file() else []
    def run(text: str, gold: str, res: Resources) -> bool:
        return case.predict(text, res) == gold

    units: Units = [(f"case:{key}", partial(run, text, codes[code])) for key, text, code in rows]
    return units, lambda results: {"case2021_right": sum(results), "case2021_rows": len(results)}


def _glocon_units(data: Path) -> tuple[Units, Callable[[list[Any]], dict[str, Any]]]:
    from tocsin.evaluation import glocon
    from tocsin.evaluation.splits import select

    folder = data / "glocon-protest"
    rows = select(glocon.read_sentences(folder), glocon.DATASET, glocon.unit_key, "fit") \
        if folder.is_dir() else []
    def run(row: dict[str, Any], res: Resources) -> tuple[bool, bool]:
        return str(row["label"]) == "1", glocon.contentious(row["text"], res)

    units: Units = [(f"glocon:{glocon.unit_key(r)}", partial(run, r)) for r in rows]

    def score(results: list[Any]) -> dict[str, Any]:
        tp = sum(1 for gold, got in results if gold and got)
        fp = sum(1 for gold, got in results if got and not gold)
        fn = sum(1 for gold, got in results if gold and not got)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"glocon_precision": round(p, 4), "glocon_recall": round(r, 4),
                "glocon_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}
    return units, score


def _news_units(data: Path) -> tuple[Units, Callable[[list[Any]], dict[str, Any]]]:
    from tocsin.evaluation import news
    from tocsin.evaluation.news_annotations import article_split, article_text, load_annotations
    from tocsin.extraction import extract

    rules = news.scoring()
    def in_fit(article: Any) -> bool:
        try:
            return article_split(data, article) == "fit"
        except (OSError, ValueError):  # its corpus is not in ``data``
            return False

    articles = [a for a in load_annotations() if in_fit(a)]

    def run(article: Any, res: Resources) -> news.Tally:
        tally = news.Tally()
        text = article_text(data, article)
        found = news.mentions(text, extract(text, article.published, res))
        news.score_article(article, found, tally, Counter(), rules)
        return tally

    units: Units = [(f"news:{a.key}", partial(run, a)) for a in articles]

    def score(results: list[Any]) -> dict[str, Any]:
        total = {k: sum(getattr(t, k) for t in results) for k in vars(news.Tally())}
        return {
            "news_recall": f"{total['found']}/{total['incidents']}",
            "news_salient_recall": f"{total['salient_found']}/{total['salient']}",
            "news_precision": f"{total['right']}/{total['asserted']}",
            "news_non_events_asserted": f"{total['non_events_asserted']}/{total['non_events']}",
            "news_modality": f"{total['modality_right']}/{total['modality_scored']}",
        }
    return units, score


def end_to_end(data: Path, x: np.ndarray, y: np.ndarray, groups: list[str],
               fold_of: Callable[[str], int], folds: int, c: float,
               categories: list[str], dims: int, work: Path) -> dict[str, Any]:
    """The figures with the fold models, and with the detector off."""
    from tocsin.mentions.detection.training import fit_detector

    sets = [_case_units(data), _glocon_units(data), _news_units(data)]
    row_folds = np.asarray([fold_of(g) for g in groups])
    on: list[list[Any]] = [[] for _ in sets]
    off: list[list[Any]] = [[] for _ in sets]
    baseline = Resources(Settings(detector_model_path=None))
    for fold in range(folds):
        kept = row_folds != fold
        model = fit_detector(x[kept], y[kept], np.ones(int(kept.sum())), c)
        path = work / f"detector-fold{fold}.npz"
        model.save(path, categories, dims)
        resources = Resources(Settings(detector_model_path=path))
        for i, (units, _) in enumerate(sets):
            for key, run in units:
                if fold_of(key) == fold:
                    on[i].append(run(resources))
                    off[i].append(run(baseline))
    report: dict[str, Any] = {"detector_on": {}, "detector_off": {}}
    for i, (_, score) in enumerate(sets):
        report["detector_on"].update(score(on[i]))
        report["detector_off"].update(score(off[i]))
    return report
