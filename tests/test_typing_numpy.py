"""The shipped typing model infers on numpy alone, with the fitted scikit-learn pipeline's answers,
and extracting a document imports no heavy learning library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tocsin.mentions.typing.default_model import TypingModel
from tocsin.mentions.typing.linear_text_model import LinearTextModel, char_terms, word_terms
from tocsin.mentions.typing.ontology import Ontology
from tocsin.mentions.typing.subtypes import SubtypeCues, cue_features

GEONAMES = Path(__file__).parent / "fixtures" / "geonames"
HEAVY = ("sklearn", "scipy", "lightgbm", "joblib")
SENTENCES = [
    "Protesters marched through the capital on Monday demanding the release of detainees.",
    "Police fired tear gas at stone-throwing youths near the university.",
    "A roadside bomb killed three soldiers and wounded five others on the highway.",
    "Militants abducted two aid workers from their car at a checkpoint.",
    "Air strikes hit the market town overnight, residents said.",
    "The ministry said talks on a ceasefire would resume next week.",
    "Thousands of families fled their homes as the shelling intensified.",
    "Güneydoğu'da   çatışma: 4 asker şehit",
    "!!! ...",
    "",
    "a",
    "Armed men stormed the village of Tal Baydar at dawn,\tkilling 12 civilians.",
]


@pytest.fixture(scope="module")
def typing_model() -> TypingModel:
    return TypingModel.load(SubtypeCues.load(Ontology.load()))


@pytest.fixture(scope="module")
def fitted(typing_model: TypingModel) -> object:
    return typing_model.fit()


def test_analysers_match_scikit_learn(fitted: object) -> None:
    union = fitted.steps[0][1]  # type: ignore[attr-defined]
    blocks = dict(union.transformer_list)
    words, chars = blocks["words"].build_analyzer(), blocks["chars"].build_analyzer()
    for text in SENTENCES:
        assert word_terms(text) == words(text)
        assert char_terms(text) == chars(text)


def test_numpy_probabilities_equal_the_pipeline(typing_model: TypingModel, fitted: object,
                                                tmp_path: Path) -> None:
    texts = SENTENCES + [s for s, _ in typing_model.example_sentences(per_template=1)][:300]
    expected = fitted.predict_proba(texts)  # type: ignore[attr-defined]
    model = LinearTextModel.from_pipeline(fitted)
    assert model.classes == [str(c) for c in fitted.classes_]  # type: ignore[attr-defined]
    got = model.probabilities(texts, cue_features(texts, typing_model.cues))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert (got.argmax(axis=1) == expected.argmax(axis=1)).all()
    model.save(tmp_path / "model.npz")
    again = LinearTextModel.load(tmp_path / "model.npz")
    assert again.classes == model.classes
    np.testing.assert_array_equal(
        again.probabilities(texts, cue_features(texts, typing_model.cues)), got)


def test_cached_model_is_numpy_and_keyed_without_importing_scikit_learn(
        typing_model: TypingModel, fitted: object, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv("TOCSIN_HOME", str(tmp_path))
    path = typing_model.cache_path()
    assert path.suffix == ".npz" and path.parent == tmp_path / "models"
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "event_typing-000000000000.npz").write_bytes(b"older data files")
    fits: list[int] = []

    def fit(self: TypingModel) -> object:
        fits.append(1)
        return fitted

    monkeypatch.setattr(TypingModel, "fit", fit)
    fresh = TypingModel.load(typing_model.cues)
    classes, probs = fresh.probabilities(SENTENCES)
    assert fits == [1] and path.exists()
    assert [p.name for p in (tmp_path / "models").iterdir()] == [path.name]
    reread = TypingModel.load(typing_model.cues)
    classes_again, probs_again = reread.probabilities(SENTENCES)
    assert fits == [1]  # read from the file, not fitted again
    assert classes_again == classes
    np.testing.assert_array_equal(probs_again, probs)


def test_extracting_a_document_imports_no_heavy_learning_library(
        typing_model: TypingModel, fitted: object, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    """A whole process: import tocsin, extract a document whose sentences the typing model
    classifies (its numpy file cached beforehand, as after a first run), list sys.modules."""
    from tocsin.places.gazetteer_import import import_files

    home = tmp_path / "home"
    gazetteer = tmp_path / "gaz.sqlite"
    import_files(gazetteer, sorted(GEONAMES.glob("*.txt")))
    monkeypatch.setenv("TOCSIN_HOME", str(home))
    monkeypatch.setenv("TOCSIN_GAZETTEER", str(gazetteer))
    path = typing_model.cache_path()
    path.parent.mkdir(parents=True)
    LinearTextModel.from_pipeline(fitted).save(path)  # as the first run leaves it
    script = (
        "import json, sys\n"
        "import tocsin\n"
        "record = tocsin.extract('Gunmen attacked a police post in Qasr Fakeh on Monday, "
        "killing four officers. Protesters later marched in Zedland.', '2024-03-04')\n"
        f"print(json.dumps({{'events': len(record['events']), "
        f"'heavy': sorted(m for m in {HEAVY!r} if m in sys.modules)}}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["events"] >= 1
    assert found["heavy"] == []
