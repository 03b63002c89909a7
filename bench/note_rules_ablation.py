"""Which rule families of note placing generalise? Cross-validation inside ``fit``.

Each ablation switches off one family of the rules that place a coder's note
(``mentions/place/note``) for this process only, by replacing its function with one that
leaves the answer as it was; every fit row of an ACLED export goes through
``tocsin.extract(kind="note")`` as in ``tocsin eval acled``; the fit rows are cut into folds by
``splits.fit_fold`` and the share of notes placed within 50 km is reported per fold.

    .venv/bin/python bench/note_rules_ablation.py ../shared/data/acled-notes/eval.csv \
        --ablations full no_institution no_seat
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tocsin.evaluation import acled
from tocsin.evaluation.splits import fit_fold
from tocsin.mentions.place.note import candidates, containers, location


def _keep(index: int) -> Callable[..., Any]:
    """A stand-in that returns its ``index``-th argument unchanged."""
    return lambda *args, **_: args[index]


def _none(*_: Any, **__: Any) -> None:
    return None


# name -> (module, function, stand-in)
ABLATIONS: dict[str, tuple[Any, str, Callable[..., Any]]] = {
    "no_better_place": (candidates, "better_place", _none),
    "no_institution": (location, "_institution", _keep(1)),
    "no_qualified": (location, "_qualified", _keep(1)),
    "no_owner_area": (location, "_owner_area", _keep(2)),
    "no_parenthesised_area": (location, "_parenthesised_area", _keep(1)),
    "no_seat": (location, "_seat", _keep(0)),
    "no_fronted_place": (location, "_fronted_place", _none),
    "no_qualified_name": (location, "_qualified_name", _none),
    "no_inside_container": (containers, "inside_container", _keep(1)),
    "no_contained": (containers, "contained", _none),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path)
    parser.add_argument("--ablations", nargs="+", default=["full"])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    rows = acled.split_rows(acled.read_rows(args.export), "fit", args.export)
    folds = [fit_fold(acled.DATASET, acled.unit_key(row), args.folds) for row in rows]
    for name in args.ablations:
        saved = None
        if name != "full":
            module, function, stand_in = ABLATIONS[name]
            saved = (module, function, getattr(module, function))
            setattr(module, function, stand_in)
        answers = [acled.predict_row(row) for row in rows]
        per_fold = []
        for fold in range(args.folds):
            picked = [i for i, f in enumerate(folds) if f == fold]
            report = acled.score_rows([rows[i] for i in picked], [answers[i] for i in picked])
            per_fold.append(report["location_within_50km"])
        total = acled.score_rows(rows, answers)["location_within_50km"]
        print(json.dumps({"ablation": name, "rows": len(rows), "location_within_50km": total,
                          "folds": per_fold}), flush=True)
        if saved is not None:
            setattr(saved[0], saved[1], saved[2])


if __name__ == "__main__":
    main()
