"""The learned incident detector: does a sentence the trigger lexicon passes over report an
incident? Word vectors (``word_vectors``), sentence features (``sentence_features``), the
shipped model's numpy inference (``incident_detector``) and its fitting (``training``)."""
