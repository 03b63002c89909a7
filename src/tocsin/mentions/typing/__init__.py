"""What kind of event a mention reports: trigger words (``triggers``), the PLOVER/ACLED ontology
(``ontology``), ACLED sub-type cues (``subtypes``), the shipped typing model (``default_model``)
and the typing classifiers that share one interface (``classifier``, with ``note_views`` for
models trained on coders' notes)."""
