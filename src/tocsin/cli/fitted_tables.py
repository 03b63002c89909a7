"""Tables that fit the terminal: the commands' listings stay readable at 80 columns.

A listing names its columns in a few layouts, widest first (``layouts``); ``fitted_table`` shows
the first layout in which every column can be as wide as its longest word, so no word, and no
id (an id is one word), is ever folded across lines or cut short with an ellipsis. Text wraps
only at spaces. Columns a narrow terminal cannot hold are left out (or folded into one, when
a layout names a combined column such as ``actors``); the narrowest layout is shown when none
fits. Widths are set here, not left to Rich, which would squeeze a column below its longest
word when the table is too wide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.table import Table


@dataclass(frozen=True)
class _Extent:
    shortest: int  # the longest word: narrower, a word would break
    longest: int  # the longest line: wider is never needed


def _extent(header: str, cells: Sequence[str]) -> _Extent:
    texts = [header, *cells]
    words = [w for t in texts for w in t.split()]
    lines = [line for t in texts for line in t.splitlines()]
    return _Extent(max((cell_len(w) for w in words), default=1),
                   max((cell_len(line) for line in lines), default=1))


def _chrome(columns: int) -> int:
    """Characters a table of ``columns`` columns spends on padding and rules (box SIMPLE_HEAD
    without edge: one space each side of a rule between columns)."""
    return 3 * (columns - 1)


def _widths(extents: Sequence[_Extent], width: int) -> list[int] | None:
    """Column widths that fit ``width`` with no word broken; None when none do."""
    room = width - _chrome(len(extents))
    shortest = [e.shortest for e in extents]
    if sum(shortest) > room:
        return None
    widths = [max(e.longest, e.shortest) for e in extents]
    if sum(widths) <= room:
        return widths
    # Start every column at its longest word, then share what is left by what each wants more.
    widths = list(shortest)
    spare = room - sum(widths)
    wants = [e.longest - e.shortest for e in extents]
    total = sum(wants)
    for index, want in enumerate(wants):
        share = spare * want // total if total else 0
        widths[index] += share
    left = room - sum(widths)
    for index in sorted(range(len(wants)), key=lambda i: -wants[i]):
        if left <= 0:
            break
        if widths[index] < extents[index].longest:
            widths[index] += 1
            left -= 1
    return widths


def fitted_table(
    rows: Sequence[Mapping[str, str]],
    layouts: Sequence[Sequence[str]],
    width: int,
    *,
    title: str | None = None,
    right: frozenset[str] = frozenset(),
) -> Table:
    """A table of ``rows`` (column name -> cell text) in the first of ``layouts`` (column
    names, widest layout first) that fits ``width`` characters; ``right``: columns of numbers,
    aligned right."""
    chosen: tuple[Sequence[str], list[int]] | None = None
    for layout in layouts:
        extents = [_extent(c, [row.get(c, "") for row in rows]) for c in layout]
        widths = _widths(extents, width)
        if widths is not None:
            chosen = (layout, widths)
            break
    if chosen is None:
        layout = layouts[-1]
        chosen = (layout, [_extent(c, [r.get(c, "") for r in rows]).shortest for c in layout])
    layout, widths = chosen
    table = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for name, column_width in zip(layout, widths, strict=True):
        table.add_column(name, width=column_width, overflow="fold",
                         justify="right" if name in right else "left")
    for row in rows:
        table.add_row(*(row.get(name, "") for name in layout))
    return table
