"""``tocsin eval news`` and ``tocsin eval glocon --sentences`` on invented fixtures; the
annotated news set's loader, its hash check, and that it holds no text of the corpora."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.evaluation.news import Mention, Tally, score_article, scoring
from tocsin.evaluation.news_annotations import (
    AnnotationError,
    article_split,
    article_text,
    default_folder,
    load_annotations,
    parse_article,
)

FIXTURE = Path(__file__).parent / "fixtures" / "news_annotations"
DATA = FIXTURE / "data"
ANNOTATIONS = FIXTURE / "annotations"
SHARED_DATA = Path(os.environ.get("TOCSIN_SHARED", Path(__file__).parents[2] / "shared")) / "data"
runner = CliRunner()


def _news(*args: str) -> Any:
    return runner.invoke(app, ["eval", "news", *args])


def test_eval_news_on_invented_articles_through_the_cli() -> None:
    result = _news(str(DATA), "--annotations", str(ANNOTATIONS), "--split", "all", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["articles"] == 2
    assert report["incidents"] == 3 and report["salient_incidents"] == 3
    assert report["non_events"] == 2
    # the arrest, the march and the killing are plain reports: all found, nothing else asserted
    assert report["recall"] == 1.0 and report["salient_recall"] == 1.0
    assert report["precision"] == 1.0  # the mayor's appeal is a REQUEST, rightly asserted
    assert report["non_events_asserted"] == 0.0
    assert report["non_events_asserted_by_kind"] == {"appeal": "0/1", "plan": "0/1"}
    assert report["modality_accuracy"] == 1.0


def test_eval_news_refuses_a_changed_text(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    document = data / "glocon-protest" / "document" / "news.json"
    rows = [json.loads(line) for line in document.read_text().splitlines()]
    rows[1]["text"] = rows[1]["text"].replace("six", "seven")
    document.write_text("".join(json.dumps(row) + "\n" for row in rows))

    article = load_annotations(ANNOTATIONS)[1]
    with pytest.raises(AnnotationError, match="not the annotated one"):
        article_text(data, article)
    result = _news(str(data), "--annotations", str(ANNOTATIONS), "--split", "all")
    assert result.exit_code == 2
    assert "not the annotated one" in result.output


def test_loader_rejects_a_malformed_row() -> None:
    with pytest.raises(AnnotationError):
        parse_article({"corpus": "x.json", "index": 0}, "bad.jsonl:1")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("folder", [default_folder(), ANNOTATIONS], ids=["shipped", "fixture"])
def test_annotation_files_hold_no_article_text(folder: Path) -> None:
    files = sorted(folder.glob("*.jsonl"))
    assert files
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert set(row) <= {"corpus", "index", "sha256", "chars", "published",
                                "incidents", "non_events"}
            for text in _strings(row):
                assert len(text) <= 40, f"{path.name}: free text {text[:20]!r}..."


def test_shipped_set_size_and_split_files() -> None:
    articles = load_annotations()
    check = [a for a in articles if a.source.startswith("check.jsonl")]
    fit = [a for a in articles if a.source.startswith("fit.jsonl")]
    assert len(articles) >= 100 and len(check) >= 45 and len(fit) >= 45
    assert len({a.key for a in articles}) == len(articles)
    kinds = set(scoring().modalities)
    categories = set(scoring().family)
    for article in articles:
        assert all(n.kind in kinds for n in article.non_events)
        assert all(i.category in categories for i in article.incidents)


@pytest.mark.skipif(not (SHARED_DATA / "glocon-protest").is_dir(), reason="no shared data")
def test_shipped_set_matches_the_corpora_and_their_splits() -> None:
    for article in load_annotations():
        text = article_text(SHARED_DATA, article)  # raises on a changed text
        spans = [s for i in article.incidents for s in i.evidence]
        spans += [s for n in article.non_events for s in n.evidence]
        assert all(end <= len(text) for _, end in spans)
        assert article_split(SHARED_DATA, article) == article.source.split(".")[0]


def test_scoring_rules() -> None:
    article = load_annotations(ANNOTATIONS)[1]  # a killing, and a plan to attack
    rules = scoring()
    killing, plan = article.incidents[0].evidence[0], article.non_events[0].evidence[0]
    tally, kinds = Tally(), Counter[str]()
    score_article(article, [Mention("COERCE", "asserted", killing),  # compatible: force
                            Mention("ASSAULT", "asserted", plan)], tally, kinds, rules)
    assert (tally.found, tally.right, tally.asserted) == (1, 1, 2)
    assert tally.non_events_asserted == 1 and kinds["plan"] == 1
    assert (tally.modality_scored, tally.modality_right) == (2, 1)

    tally, kinds = Tally(), Counter[str]()
    score_article(article, [Mention("PROTEST", "asserted", killing),  # not compatible
                            Mention("ASSAULT", "intended", plan)], tally, kinds, rules)
    assert (tally.found, tally.right, tally.non_events_asserted) == (0, 0, 0)
    assert (tally.modality_scored, tally.modality_right) == (1, 1)


def test_eval_glocon_sentences_through_the_cli() -> None:
    result = runner.invoke(app, ["eval", "glocon", str(DATA / "glocon-protest"), "--sentences",
                                 "--split", "all", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["level"] == "sentence"
    assert report["sentences"] == 4 and report["contentious_sentences"] == 2
    assert report["precision"] == 1.0  # the two plain sentences give no protest
    assert report["recall"] >= 0.5  # the march is found


def test_eval_all_lists_the_news_set_as_missing_without_its_corpora(tmp_path: Path) -> None:
    from tocsin.evaluation.quality import figures, run_all

    reports = run_all(tmp_path, only=["news"])
    assert list(reports) == ["news"] and "missing" in reports["news"]
    assert figures(reports)[0].figure == "(data not found)"


def test_eval_all_runs_the_news_set() -> None:
    from tocsin.evaluation.quality import FIGURES, _get

    result = _news(str(DATA), "--annotations", str(ANNOTATIONS), "--split", "all", "--json")
    report = json.loads(result.output)
    assert all(_get(report, key) is not None for _, key, _, _ in FIGURES["news"])
