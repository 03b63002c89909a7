"""Long texts are parsed piece by piece and joined, short ones in batches, all in their order
(the memory this saves is measured by the hostile harness, BENCHMARKS)."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from tocsin.pipeline import parse_texts

BATCHES: list[list[int]] = []


@Language.component("tocsin_test_batch_recorder")
def _record_one(doc: Doc) -> Doc:
    BATCHES.append([len(doc.text)])
    return doc


def _pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("tocsin_test_batch_recorder")
    return nlp


def test_long_and_short_texts_come_back_in_order_with_the_long_one_joined_exactly() -> None:
    BATCHES.clear()
    long_text = "\n\n".join(f"Paragraph {i} tells of shelling near the river." for i in range(40))
    texts = ["A short report.", long_text, "Another one.", "A third.", "And a fourth."]
    docs = list(parse_texts(_pipeline(), texts, batch_size=2, chunk_chars=300))
    assert [d.text for d in docs] == texts
    joined = docs[1]
    assert joined.text == long_text
    for sentence in joined.sents:
        assert long_text[sentence.start_char : sentence.end_char] == sentence.text
    pieces = [b[0] for b in BATCHES if b[0] <= 300 and b[0] > 20]
    assert len(pieces) >= len(long_text) // 300  # the long text went through in pieces
