"""The place of the one event a coder's note (``Document.kind == "note"``) describes: ``location``
picks and resolves it, with the gazetteer look-ups of ``lookup``, further candidates
(``candidates``), containing areas (``containers``), spelling variants (``spellings``) and
institutions every country has (``institutions``)."""
