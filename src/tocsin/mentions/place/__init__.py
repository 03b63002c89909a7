"""Where an event happened: the toponym of its sentence that is the event's place.

``ranking`` scores the candidates (``candidates``: the geoparser's toponyms plus names the syntax
marks as places; ``bracket_cuts``: sentences the parser cut at a bracket joined again) with the
word lists of ``words``; ``note`` places the one event of a coder's note."""
