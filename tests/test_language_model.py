"""py3langid's model is decompressed once per data folder; the identifier read from the copy
answers as py3langid's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from py3langid import modelio
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from tocsin.sources.language_model import cache_path, load_identifier

TEXTS = [
    "Turkey summoned the Russian ambassador on Friday over air raids on Turkmen villages.",
    "La Turquie a convoqué vendredi l'ambassadeur de Russie.",
    "Die Türkei bestellte am Freitag den russischen Botschafter ein.",
    "تركيا تستدعي السفير الروسي",
    "",
    "1234 !!",
]


def test_the_copy_is_written_once_and_answers_as_py3langid(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOCSIN_HOME", str(tmp_path))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "langid-000000000000.npz").write_bytes(b"another py3langid's")
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    first = load_identifier()
    assert [p.name for p in (tmp_path / "models").iterdir()] == [cache_path().name]

    def no_decompressing(path: object) -> None:
        raise AssertionError("decompressed again")

    monkeypatch.setattr(modelio, "load_model", no_decompressing)
    second = load_identifier()
    for text in TEXTS:
        assert first.classify(text) == reference.classify(text)
        assert second.classify(text) == reference.classify(text)
        assert second.rank(text) == reference.rank(text)


def test_a_damaged_copy_is_written_again(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOCSIN_HOME", str(tmp_path))
    path = cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a model")
    identifier = load_identifier()
    assert identifier.classify(TEXTS[0])[0] == "en"
    assert path.stat().st_size > 1_000_000
