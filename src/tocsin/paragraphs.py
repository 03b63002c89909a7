"""The paragraph-break component: a sentence never runs across a blank line.

``with_paragraph_breaks`` adds the one rule Tocsin imposes on the parser's sentences (a title
and its first paragraph, two paragraphs, a caption stay apart). ``Resources`` adds it when it
loads the spaCy pipeline; ``pipeline.analyse`` makes sure of it for pipelines built elsewhere.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

PARAGRAPH_BREAKS = "tocsin_paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS)
def _paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line, before the parser sets the other boundaries."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc


def with_paragraph_breaks(nlp: Language) -> Language:
    """``nlp`` with the paragraph-break rule before its parser (idempotent; returns ``nlp``)."""
    if PARAGRAPH_BREAKS in nlp.pipe_names:
        return nlp
    for name in ("parser", "senter", "sentencizer"):
        if name in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPH_BREAKS, before=name)
            return nlp
    nlp.add_pipe(PARAGRAPH_BREAKS, first=True)
    return nlp
