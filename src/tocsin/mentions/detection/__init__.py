"""The learned incident detector: does a sentence the trigger lexicon passes over report an
incident? Word vectors (``word_vectors``), sentence features (``sentence_features``), the word
that reports a detected sentence's incident (``event_words``), the shipped model's numpy
inference and its settings (``incident_detector``) and its fitting (``training``)."""
