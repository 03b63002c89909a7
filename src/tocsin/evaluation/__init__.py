"""Scoring against labelled data, one module per task."""
