"""What the incident detector knows of a sentence, as one numeric row.

Three parts, each from something the product already has and none learned from any training
text: the mean word vector of the sentence's content words and that of its verbs (from the vector
table, ``word_vectors``); which Tocsin categories the trigger lexicon found in it; and a few
facts of the parse a reader uses to tell a report from talk about one (negation, modal and
future verbs, a question, a quotation, past-tense verbs, numbers, places and dates named).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.tokens import Span

from tocsin.mentions.detection.word_vectors import WordVectors
from tocsin.mentions.typing.triggers import Trigger

_CONTENT = frozenset({"NOUN", "VERB", "ADJ"})
_FUTURE = frozenset({"will", "would", "shall", "'ll"})
_QUOTES = frozenset('"“”')
PARSE_FEATURES = (
    "negation", "modal", "future", "question", "quotation", "past_tense", "present_tense",
    "number", "place", "date", "person", "length",
)


def parse_facts(sentence: Span) -> list[float]:
    """The parse facts of ``sentence``, in the order of ``PARSE_FEATURES``."""
    tags = [t.tag_ for t in sentence]
    labels = {e.label_ for e in sentence.ents}
    return [
        float(any(t.dep_ == "neg" for t in sentence)),
        float("MD" in tags),
        float(any(t.lower_ in _FUTURE for t in sentence)),
        float(sentence.text.rstrip().endswith("?")),
        float(any(ch in _QUOTES for ch in sentence.text)),
        float("VBD" in tags or "VBN" in tags),
        float("VBP" in tags or "VBZ" in tags),
        float(bool(labels & {"CARDINAL", "QUANTITY"})),
        float(bool(labels & {"GPE", "LOC", "FAC"})),
        float(bool(labels & {"DATE", "TIME"})),
        float("PERSON" in labels),
        min(len(sentence), 80) / 80.0,
    ]


def sentence_features(sentence: Span, triggers: Sequence[Trigger], vectors: WordVectors,
                      categories: Sequence[str]) -> np.ndarray:
    """The feature row of ``sentence``, whose lexicon triggers are ``triggers``."""
    content = [t.lemma_ or t.text for t in sentence if t.pos_ in _CONTENT]
    verbs = [t.lemma_ or t.text for t in sentence if t.pos_ == "VERB"]
    found = np.zeros(len(categories), dtype=np.float32)
    index = {c: i for i, c in enumerate(categories)}
    for trigger in triggers:
        if trigger.category in index:
            found[index[trigger.category]] = 1.0
    return np.concatenate([
        vectors.mean(content), vectors.mean(verbs), found,
        np.asarray(parse_facts(sentence), dtype=np.float32),
    ]).astype(np.float32)


def feature_names(vectors: WordVectors, categories: Sequence[str]) -> list[str]:
    """Names of the columns of ``sentence_features``, in order."""
    return ([f"content_vector_{i}" for i in range(vectors.dims)]
            + [f"verb_vector_{i}" for i in range(vectors.dims)]
            + [f"trigger_{c}" for c in categories] + list(PARSE_FEATURES))
