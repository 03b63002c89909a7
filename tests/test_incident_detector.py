"""The learned incident detector: vector look-up, numpy inference of a fitted model, the event
word of a detected sentence, its wiring into ``tocsin.extract`` (off by default, on with a model
file) and ``tocsin train-detector``. Every sentence is written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.extraction import extract
from tocsin.mentions.detection.event_words import EventWords
from tocsin.mentions.detection.fitted_detector import FittedDetector
from tocsin.mentions.detection.incident_detector import DetectorSettings, IncidentDetector
from tocsin.mentions.detection.sentence_features import feature_names, sentence_features
from tocsin.mentions.detection.training import fit_detector
from tocsin.mentions.detection.word_vectors import VectorsMissing, WordVectors
from tocsin.resources import Resources, shared_resources
from tocsin.settings import Settings

# The lexicon finds nothing ACLED codes here; the noun "explosion" sits outside the positions
# where the lexicon takes a noun as a reported event.
PASSED_OVER = ("Two soldiers were injured as a result of an explosion near the border post "
               "on Tuesday.")
NO_EVENT_WORD = "The minister opened a new school in the capital on Tuesday."


@pytest.fixture(scope="module")
def vectors() -> WordVectors:
    return WordVectors.load(DetectorSettings.load().vector_packages)


@pytest.fixture(scope="module")
def categories() -> list[str]:
    return sorted(shared_resources().lexicons.ontology.categories)


def _constant_model(tmp: Path, bias: float, categories: list[str], dims: int) -> Path:
    """A model whose probability is the same for every sentence: on (bias > 0) or off."""
    width = 2 * dims + len(categories) + 12
    path = tmp / f"constant{bias:+.0f}.npz"
    FittedDetector(np.zeros(width), np.ones(width), np.zeros(width), bias).save(
        path, categories, dims)
    return path


def test_missing_vector_package_is_a_clear_error() -> None:
    with pytest.raises(VectorsMissing, match="no_such_vectors_package"):
        WordVectors.load(["no_such_vectors_package"])


def test_word_vectors_are_unit_length_and_case_blind(vectors: WordVectors) -> None:
    assert vectors.row("Protest") == vectors.row("protest") >= 0
    mean = vectors.mean(["protest", "rally", "march"])
    assert mean.shape == (vectors.dims,)
    assert abs(float(np.linalg.norm(mean)) - 1.0) < 1e-5
    assert not vectors.mean([]).any()


def test_feature_row_matches_its_names(vectors: WordVectors, categories: list[str]) -> None:
    sentence = next(shared_resources().nlp(PASSED_OVER).sents)
    row = sentence_features(sentence, [], vectors, categories)
    assert row.shape == (len(feature_names(vectors, categories)),)
    names = feature_names(vectors, categories)
    assert row[names.index("past_tense")] == 1.0
    assert row[names.index("question")] == 0.0


def test_saved_model_gives_the_fitted_probabilities(tmp_path: Path, categories: list[str],
                                                    vectors: WordVectors) -> None:
    rng = np.random.default_rng(7)
    width = 2 * vectors.dims + len(categories) + 12
    rows = rng.normal(size=(400, width))
    labels = (rows[:, 0] + 0.5 * rows[:, 3] > 0).astype(int)
    fitted = fit_detector(rows, labels, np.ones(len(labels)), c=1.0)
    assert ((fitted.probabilities(rows) >= 0.5) == labels).mean() > 0.9
    path = tmp_path / "model.npz"
    fitted.save(path, categories, vectors.dims)
    lexicons = shared_resources().lexicons
    loaded = IncidentDetector.load(lexicons.triggers, lexicons.ontology.coding, path)
    assert loaded is not None
    found = np.array([loaded.probability_of_row(r.astype(np.float32)) for r in rows[:50]])
    assert np.allclose(found, fitted.probabilities(rows[:50]), atol=1e-4)


def test_event_word_is_found_wherever_it_stands() -> None:
    resources = shared_resources()
    lexicons = resources.lexicons
    coding = lexicons.ontology.coding
    words = EventWords.build(lexicons.triggers, coding)
    sentence = next(resources.nlp(PASSED_OVER).sents)
    assert not any(coding.codes(t.category, t.mode)
                   for t in lexicons.triggers.find_triggers(sentence))
    token, entry = words.find(sentence) or (None, None)
    assert token is not None and token.text == "explosion"
    assert entry is not None and (entry.category, entry.mode) == ("ASSAULT", "explosive")
    assert words.find(next(resources.nlp(NO_EVENT_WORD).sents)) is None


def test_detector_is_off_by_default() -> None:
    assert DetectorSettings.load().enabled is False
    events = extract(PASSED_OVER, "2026-03-03", shared_resources())["events"]
    assert not [e for e in events if e["event"] == "ASSAULT"]


def test_model_file_turns_detection_on(tmp_path: Path, categories: list[str],
                                       vectors: WordVectors) -> None:
    on = Resources(Settings(detector_model_path=_constant_model(
        tmp_path, 10.0, categories, vectors.dims)))
    events = extract(PASSED_OVER, "2026-03-03", on)["events"]
    found = [e for e in events if e["event"] == "ASSAULT"]
    assert len(found) == 1
    assert found[0]["trigger"] == "explosion"
    assert found[0]["acled"] == ["Explosions/Remote violence", "Remote explosive/landmine/IED"]
    assert found[0]["evidence"]["sentence"] == PASSED_OVER
    # no event word: no mention, whatever the model says
    assert not extract(NO_EVENT_WORD, "2026-03-03", on)["events"]
    off = Resources(Settings(detector_model_path=_constant_model(
        tmp_path, -10.0, categories, vectors.dims)))
    assert not [e for e in extract(PASSED_OVER, "2026-03-03", off)["events"]
                if e["event"] == "ASSAULT"]


def test_a_broken_model_file_turns_the_detector_off_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"\x00not a model\xff" * 10)
    broken = Resources(Settings(detector_model_path=junk))
    with caplog.at_level("WARNING"):
        events = extract(PASSED_OVER, "2026-03-03", broken)["events"]
    assert not [e for e in events if e["event"] == "ASSAULT"]
    assert "no detector model" in caplog.text


def _glocon_folder(root: Path) -> Path:
    sentences = [
        ("Hundreds of nurses marched to the provincial legislature demanding better pay.", 1),
        ("Students blocked the main road with burning tyres over fee increases.", 1),
        ("Taxi drivers staged a sit-in outside the transport ministry.", 1),
        ("Residents threw stones at police during a protest over water cuts.", 1),
        ("Workers at the plant downed tools on Monday.", 1),
        ("The company reported higher quarterly profits.", 0),
        ("The new stadium will seat forty thousand fans.", 0),
        ("Rainfall this winter was below the long-term average.", 0),
        ("The museum opens a new exhibition of ceramics next month.", 0),
        ("Shares in the mining group rose by three percent.", 0),
    ]
    folder = root / "glocon-protest" / "sentence"
    folder.mkdir(parents=True)
    lines = [json.dumps({"id": n, "url": f"https://example.org/{n}", "sent_num": 0,
                         "sentence": text, "label": label})
             for copy in range(3) for n, (text, label) in
             enumerate(sentences, start=copy * len(sentences))]
    (folder / "sample.json").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_train_detector_command_writes_a_model_it_reports(tmp_path: Path) -> None:
    data = _glocon_folder(tmp_path / "data")
    out = tmp_path / "detector.npz"
    result = CliRunner().invoke(app, ["train-detector", "--data", str(data), "--folds", "2",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["saved"] == str(out)
    assert "glocon" in report["out_of_fold"] and "templates" in report["out_of_fold"]
    assert report["licences"]["glocon"].startswith("GLOCON")
    # only the fit split's sentences, each labelled as the file says, with the templates
    from tocsin.evaluation.splits import split_of

    fit = [json.loads(line) for line in (data / "glocon-protest" / "sentence" / "sample.json")
           .read_text(encoding="utf-8").splitlines() if split_of("glocon", json.loads(line)["url"])
           == "fit"]
    assert report["sentences"]["glocon:1"] == sum(1 for r in fit if r["label"] == 1) > 0
    assert report["sentences"]["glocon:0"] == sum(1 for r in fit if r["label"] == 0) > 0
    assert report["sentences"]["templates:1"] > 100
    lexicons = shared_resources().lexicons
    model = IncidentDetector.load(lexicons.triggers, lexicons.ontology.coding, out)
    assert model is not None
    nlp = shared_resources().nlp
    found = {model.probability(next(nlp(text).sents), []) for text in (
        "Teachers marched through the city demanding higher salaries.",
        "The weather office expects light rain over the weekend.")}
    assert len(found) == 2 and all(0.0 < p < 1.0 for p in found)


def test_train_detector_cross_validates_end_to_end(tmp_path: Path) -> None:
    data = _glocon_folder(tmp_path / "data")
    result = CliRunner().invoke(app, ["train-detector", "--data", str(data), "--folds", "2",
                                      "--end-to-end"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["end_to_end"]
    for side in ("detector_on", "detector_off"):
        assert 0.0 <= report[side]["glocon_f1"] <= 1.0
        assert report[side]["case2021_rows"] == 0  # no CASE file in this folder
        assert report[side]["news_recall"] == "0/0"  # nor the annotated articles' corpora
    assert "saved" not in json.loads(result.output)


def test_train_detector_refuses_a_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train-detector", "--data", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "not a folder" in result.output
