"""The matcher's name index, stored in the gazetteer file at import, answers as the in-memory one
built from ``Gazetteer.all_names`` did (a small gazetteer imported from the GeoNames fixtures)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tocsin.places.gazetteer import Gazetteer
from tocsin.places.gazetteer_import import import_files
from tocsin.places.name_index import (
    MATCHER_MIN_POPULATION,
    MemoryNameIndex,
    StoredNameIndex,
    build_name_index,
    name_index,
)
from tocsin.places.names import normalise_name

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"


@pytest.fixture()
def imported(tmp_path: Path) -> Path:
    path = tmp_path / "gaz.sqlite"
    import_files(path, sorted(FIXTURES.glob("*.txt")))
    return path


def _probes(gazetteer: Gazetteer) -> list[str]:
    every = list(gazetteer.all_names())  # small places too: some are in, some are not
    made_up = ["nowhere", "zedland north", "qasr", "tal baydar district", ""]
    return [*every, *(normalise_name(n) for n in every), *made_up]


def test_import_stores_the_index_the_matcher_built_in_memory(imported: Path) -> None:
    with Gazetteer(imported) as gazetteer:
        before = build_name_index(gazetteer.all_names(min_population=MATCHER_MIN_POPULATION))
        index = name_index(gazetteer)
        assert isinstance(index, StoredNameIndex)
        assert index.max_words == before.max_words
        probes = _probes(gazetteer)
        assert [p in index for p in probes] == [p in before for p in probes]
        assert "zedland" in index and "qasr fakeh" in index and "tal baydar" in index
        assert "jabal ghazal" not in index  # population 0, not an admin area: spaCy's to find
        assert "nowhere" not in index
        assert name_index(gazetteer) is index  # once per process


def test_an_import_refreshes_the_stored_index(imported: Path, tmp_path: Path) -> None:
    extra = tmp_path / "YY.txt"
    extra.write_text(
        "9000099\tNew Harbour Town\tNew Harbour Town\tNHT\t1.5\t2.5\tP\tPPL\tZZ\t\t01\t\t\t\t"
        "5000\t\t\tUTC\t2024-01-01\n",
        encoding="utf-8",
    )
    import_files(imported, [extra])
    with Gazetteer(imported) as gazetteer:
        index = name_index(gazetteer)
        assert "new harbour town" in index and "nht" in index
        assert index.max_words == 3


def test_a_file_written_before_the_stored_index_gets_the_memory_index(imported: Path) -> None:
    with sqlite3.connect(imported) as conn:
        conn.execute("DROP TABLE matcher_names")
        conn.execute("DELETE FROM meta WHERE key = 'matcher_max_words'")
    with Gazetteer(imported) as gazetteer:
        assert gazetteer.matcher_max_words() is None
        index = name_index(gazetteer)
        assert isinstance(index, MemoryNameIndex)
        assert "zedland" in index and "jabal ghazal" not in index


def test_stored_index_remembers_a_bounded_number_of_answers() -> None:
    asked: list[str] = []

    def ask(key: str) -> bool:
        asked.append(key)
        return key.startswith("a")

    index = StoredNameIndex(ask, 2, memory=4)
    assert "aleppo" in index and "aleppo" in index and "homs" not in index
    assert asked == ["aleppo", "homs"]
    for key in ["a1", "a2", "a3", "a4", "a5"]:
        assert key in index
    assert len(index._answers) <= 4
    assert 5 not in index
