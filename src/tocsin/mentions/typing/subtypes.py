"""ACLED sub-event type of a whole text by weighted cues (the shipped default typing).

The cues are regular expressions in ``data/events/subtype_cues.tsv``, written by the project from
ACLED's public definitions; nothing here is derived from ACLED rows. A text scores each
sub-type by the summed weight of its distinct cues; ties go to the order of acled_types.tsv.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tocsin.mentions.typing.ontology import Ontology, read_table


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    sub_event_type: str
    weight: float


@dataclass(frozen=True)
class SubtypeCues:
    """The cues of subtype_cues.tsv, parsed once by ``load``, and the ACLED types they score."""

    cues: tuple[Cue, ...]
    ontology: Ontology

    @classmethod
    def load(cls, ontology: Ontology) -> SubtypeCues:
        return cls(tuple(
            Cue(re.compile(r"\b" + row["pattern"], re.IGNORECASE), row["sub_event_type"],
                float(row["weight"]))
            for row in read_table("tocsin.data.events", "subtype_cues.tsv")
        ), ontology)

    def cue_scores(self, text: str) -> dict[str, float]:
        """Sub-event type -> summed weight of the cues found in ``text``."""
        scores: dict[str, float] = {}
        for cue in self.cues:
            if cue.pattern.search(text):
                scores[cue.sub_event_type] = scores.get(cue.sub_event_type, 0.0) + cue.weight
        return scores

    def classify_text(self, text: str) -> tuple[str, str, float]:
        """(ACLED event type, sub-event type, margin) of a text; "Other" when no cue matches."""
        types = self.ontology.acled_types
        scores = _adjust(self.cue_scores(text))
        order = {t.sub_event_type: i for i, t in enumerate(types)}
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))
        if not ranked or ranked[0][1] <= 0:
            return "Strategic developments", "Other", 0.0
        best, score = ranked[0]
        runner = ranked[1][1] if len(ranked) > 1 else 0.0
        event_type = next(t.event_type for t in types if t.sub_event_type == best)
        return event_type, best, score - runner


def _adjust(scores: dict[str, float]) -> dict[str, float]:
    """Interactions between cues that single weights cannot express."""
    protest = scores.get("Peaceful protest", 0.0)
    if protest >= 2:
        # Protest words make arrests, clashes with police and killings protest sub-types.
        for other in ("Arrests", "Armed clash", "Attack", "Agreement", "Change to group/activity",
                      "Looting/property destruction", "Mob violence"):
            if other in scores:
                scores[other] -= min(scores[other], protest) * 0.8
    violent = max(scores.get(s, 0.0) for s in ("Armed clash", "Attack", "Mob violence"))
    if violent >= 3:
        for other in ("Looting/property destruction", "Change to group/activity", "Arrests"):
            if other in scores:
                scores[other] -= 2.0
    remote = max(scores.get(s, 0.0) for s in (
        "Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
        "Suicide bomb", "Grenade", "Chemical weapon"))
    if remote >= 5 and "Attack" in scores:
        scores["Attack"] -= 2.0
    if remote >= 5 and "Armed clash" in scores:
        scores["Armed clash"] -= 1.5
    return scores


def cue_features(texts: Sequence[str], cues: SubtypeCues) -> Any:
    """The cue rules as model features: each sub-type's adjusted score and the rules' choice.
    A module function so that a fitted pipeline pickles it by name (``FunctionTransformer``
    with ``kw_args={"cues": cues}``)."""
    import numpy as np

    names = list(cues.ontology.sub_event_types)
    out = np.zeros((len(texts), 2 * len(names)))
    order = {t.sub_event_type: i for i, t in enumerate(cues.ontology.acled_types)}
    for row, text in enumerate(texts):
        scores = _adjust(cues.cue_scores(text))
        for col, name in enumerate(names):
            out[row, col] = scores.get(name, 0.0) / 5.0
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))
        if ranked and ranked[0][1] > 0:
            out[row, len(names) + names.index(ranked[0][0])] = 1.0
        else:
            out[row, len(names) + names.index("Other")] = 1.0
    return out
