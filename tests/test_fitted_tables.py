"""``tocsin.cli.fitted_tables``: the layout chosen fits the width, and no word is ever broken."""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console

from tocsin.cli.fitted_tables import fitted_table

LAYOUTS = (("id", "place", "what", "note"), ("id", "place", "what"), ("id",))
WORDS = ("Saraqib,", "SYR", "ASSAULT", "DISPLACEMENT", "aerial", "Russian", "jets", "a", "of",
         "Maiduguri,", "2024-03-05..", "2024-03-09", "vegetable", "market")


def render(table: object, width: int) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width).print(table)
    return buffer.getvalue()


def random_rows(seed: int) -> list[dict[str, str]]:
    pick = random.Random(seed)
    rows = []
    for number in range(pick.randint(1, 6)):
        rows.append({
            "id": f"ev-{pick.getrandbits(80):020x}"[: pick.choice((8, 23))] + str(number),
            "place": " ".join(pick.choices(WORDS, k=pick.randint(0, 3))),
            "what": " ".join(pick.choices(WORDS, k=pick.randint(1, 2))),
            "note": " ".join(pick.choices(WORDS, k=pick.randint(0, 12))),
        })
    return rows


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("width", [30, 50, 80, 120])
def test_every_word_stays_whole_within_the_width(seed: int, width: int) -> None:
    rows = random_rows(seed)
    shown = render(fitted_table(rows, LAYOUTS, width), width)
    lines = shown.splitlines()
    assert all(len(line) <= width for line in lines), shown
    words_shown = set(shown.split())
    header = lines[0].split()
    for row in rows:
        for column in header:
            for word in row[column].split():
                assert word in words_shown, (word, shown)


def test_the_widest_layout_that_fits_is_chosen() -> None:
    rows = [{"id": "ev-0123456789abcdef0123", "place": "Saraqib, SYR", "what": "ASSAULT",
             "note": "Warplanes hit the vegetable market"}]
    assert render(fitted_table(rows, LAYOUTS, 200), 200).split()[:4] == ["id", "place", "what",
                                                                          "note"]
    narrow = render(fitted_table(rows, LAYOUTS, 45), 45)
    assert narrow.split()[:3] == ["id", "place", "what"] and "note" not in narrow
    assert render(fitted_table(rows, LAYOUTS, 24), 24).split()[::2] == ["id", rows[0]["id"]]


def test_long_text_wraps_at_spaces_in_the_room_left() -> None:
    note = "at least nine people were killed when warplanes hit the crowded vegetable market"
    rows = [{"id": "ev-1", "place": "Saraqib", "what": "ASSAULT", "note": note}]
    shown = render(fitted_table(rows, LAYOUTS, 60), 60)
    assert " ".join(shown.split()[5:]) == " ".join(["ev-1", "Saraqib", "ASSAULT", *note.split()])
    assert max(len(line) for line in shown.splitlines()) <= 60
