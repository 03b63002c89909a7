"""The place of the one event a coder's note (``Document.kind == "note"``) describes: ``location``
picks and resolves it, with the gazetteer look-ups of ``lookup``, further candidates
(``candidates``), containing areas (``containers``) and spelling variants (``spellings``).
Each family was kept because it gains in cross-validation on the ACLED fit split
(``bench/note_rules_ablation.py``; BENCHMARKS.md)."""
