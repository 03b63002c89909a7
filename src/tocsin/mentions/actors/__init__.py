"""Actors of an event mention: who acted and on whom (``roles``), normalised to country, sector
and group from the actor data files (``normalise``)."""
