"""CASE 2021 task 2: each news snippet goes through ``tocsin.extract``; its label is the ACLED
sub-type of the document's top asserted mention ("no event" when there is none).

Scores the 25 ACLED sub-types (subtask 1) with weighted and macro F1; rows labelled with the
five types ACLED does not code (organised crime, disasters, diplomacy, attribution) are counted
and reported separately, with how many of them the product gives no ACLED-coded event (a top
mention of a category ACLED does not code, or none). The CASE code of each sub-type is read from
the package's ACLED type table. Units are records (the ``id`` column, else the snippet).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

from tocsin.evaluation.common import choose, package_table, split_info
from tocsin.evaluation.top_mention import NO_EVENT, acled_label, top_mention
from tocsin.evaluation.typing_scores import f1_scores
from tocsin.extraction import extract
from tocsin.resources import Resources

csv.field_size_limit(10_000_000)

DATASET = "case2021"


@cache
def case_codes() -> dict[str, str]:
    """CASE 2021 task-2 code -> ACLED sub-event type (tocsin/data/events/acled_types.tsv)."""
    return {row["case2021"]: row["sub_event_type"]
            for row in package_table("acled_types.tsv") if row.get("case2021")}


def read_rows(path: Path) -> list[tuple[str, str, str]]:
    """(id, snippet, label) of each row; the id is the snippet when the file has no id column."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        text_i, label_i = header.index("EventSnippet"), header.index("SubType")
        id_i = header.index("id") if "id" in header else None
        return [(r[id_i] if id_i is not None else r[text_i], r[text_i], r[label_i])
                for r in reader if len(r) > max(text_i, label_i)]


def predict(text: str, resources: Resources | None = None) -> str:
    """The ACLED sub-type the product gives a snippet (``NO_EVENT`` or ``Other`` too)."""
    return acled_label(top_mention(extract(text, resources=resources)["events"]), 1)


def evaluate(path: Path, resources: Resources | None = None, *, split: str = "check",
             limit: int | None = None) -> dict[str, Any]:
    codes = case_codes()
    rows = choose(read_rows(path), DATASET, lambda r: r[0], split, limit)
    inside = [(t, codes[c]) for _, t, c in rows if c in codes]
    outside = [(t, c) for _, t, c in rows if c not in codes]
    predicted = [predict(t, resources) for t, _ in inside]
    result: dict[str, Any] = {**split_info(DATASET, split, len(rows))}
    result.update(f1_scores([g for _, g in inside], predicted))
    other_pred = [predict(t, resources) for t, _ in outside]
    result.update({
        "rows": len(inside),
        "no_event_rows": sum(1 for p in predicted if p == NO_EVENT),
        "other_labels": {
            "rows": len(outside),
            "by_label": {c: sum(1 for _, g in outside if g == c) for c in
                         sorted({g for _, g in outside})},
            "predicted_other": sum(1 for p in other_pred if p in ("Other", NO_EVENT)),
        },
    })
    return result
