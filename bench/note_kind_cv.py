"""Does reading coders' notes as ``--kind note`` generalise? Cross-validation inside ``fit``.

Every fit row of an ACLED export goes through ``tocsin.extract`` twice, as a note and as an
article; the rows are cut into folds by ``splits.fit_fold`` and each figure is reported per fold
for both readings, with the number of folds in which the note reading wins. Only ``fit`` rows
are read (issue 13).

    .venv/bin/python bench/note_kind_cv.py ../shared/data/acled-notes/eval.csv --folds 5
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tocsin.evaluation import acled
from tocsin.evaluation.splits import fit_fold

FIGURES = ("event_type_macro_f1", "location_within_50km", "date_exact_when_stated",
           "fatalities_exact", "actor1_country")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    rows = acled.split_rows(acled.read_rows(args.export), "fit", args.export, args.limit)
    answers = {kind: [acled.predict_row(row, kind=kind) for row in rows]
               for kind in ("note", "article")}
    folds = [fit_fold(acled.DATASET, acled.unit_key(row), args.folds) for row in rows]
    table: dict[str, dict[str, list[float | None]]] = {f: {"note": [], "article": []}
                                                       for f in FIGURES}
    for fold in range(args.folds):
        picked = [i for i, f in enumerate(folds) if f == fold]
        fold_rows = [rows[i] for i in picked]
        for kind, given in answers.items():
            report = acled.score_rows(fold_rows, [given[i] for i in picked])
            for figure in FIGURES:
                table[figure][kind].append(report.get(figure))
    out = {"rows": len(rows), "folds": args.folds, "figures": {}}
    for figure, per_kind in table.items():
        wins = sum(1 for n, a in zip(per_kind["note"], per_kind["article"], strict=True)
                   if n is not None and a is not None and n > a)
        out["figures"][figure] = {**per_kind, "note_wins": wins}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
