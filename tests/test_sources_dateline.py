"""Datelines of scraped plain text: the publication date, taken out of the body text."""

from __future__ import annotations

import datetime as dt

import pytest

from tocsin.sources import ReadOptions, read_text
from tocsin.sources.dates import dateline_date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Posted on 4 March 2019 by River Notes", dt.date(2019, 3, 4)),
        ("Published: Mar. 4, 2019", dt.date(2019, 3, 4)),
        ("March 4, 2019 | 08:15", dt.date(2019, 3, 4)),
        ("Updated 2019-03-04", dt.date(2019, 3, 4)),
        ("04.03.2019", dt.date(2019, 3, 4)),
        ("Floods cut the road on 4 March 2019 near the bridge.", None),
        ("4 March 2019 was the wettest day of the year", None),
        ("Posted on 31 February 2019", None),
    ],
)
def test_dateline_shapes(line: str, expected: dt.date | None) -> None:
    assert dateline_date(line) == expected


def test_plain_text_dateline_sets_published_and_leaves_the_text() -> None:
    text = "Water rises in the valley\n\nPosted on 4 March 2019 by River Notes\n\nThe river rose."
    document = read_text(text)
    assert document.published == dt.date(2019, 3, 4)
    assert document.title == "Water rises in the valley"
    assert document.text == "Water rises in the valley\n\nThe river rose."
    assert read_text(text, ReadOptions(published=dt.date(2019, 3, 5))).published == dt.date(
        2019, 3, 5)  # a date given by the caller wins
    assert read_text("The river rose on 4 March 2019.").published is None
