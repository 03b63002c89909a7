"""One figure found in a sentence and what it counts (read by ``counts``, placed in clauses by
``count_clauses``, turned into totals by ``totals``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class CountMention:
    """One figure found in a sentence and what it counts."""

    type: str
    value: int
    qualifier: str | None
    unit: str | None
    cue: str  # lemma of the word that said what was counted (killed, fled, refugees ...)
    token: int  # index (in the Doc) of the figure's head token, or of the cue when implicit
    hedged: bool = False  # an unconfirmed upper claim ("as many as 60 could have been killed")
