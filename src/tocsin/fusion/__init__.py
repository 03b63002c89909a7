"""Fusion: the mentions of one real event, from one document or many, become one Event.

Public API::

    fingerprint(text) -> tuple[int, ...]          # MinHash of a document text
    MentionInput(id, mention, document_id, text_fingerprint, source, url, published)
    fuse(mentions, corrections=None, *, rules=None, previous=None) -> list[Event]
    fuse_linked(...) -> (list[Event], compatible pairs of mention ids)
    fuse_stream(mentions in window order, corrections=None, *, rules) -> batches of Events
    Corrections, Split, Merge, split_event(corrections, event, ids), merge_events(corrections, a, b)
    pairwise_scores(events, gold) -> {"precision", "recall", "f1", ...}

The rules are in ``data/fusion.toml`` (``load_rules`` reads another file).
"""

from tocsin.fusion.assembly import event_id_for
from tocsin.fusion.corrections import Corrections, Merge, Split, merge_events, split_event
from tocsin.fusion.fingerprint import fingerprint, similarity
from tocsin.fusion.fuse import fuse, fuse_linked
from tocsin.fusion.inputs import MentionInput, mention_id
from tocsin.fusion.rules import FusionRules, default_rules, load_rules
from tocsin.fusion.scoring import pairwise_scores
from tocsin.fusion.streaming import fuse_stream

__all__ = [
    "Corrections",
    "FusionRules",
    "MentionInput",
    "Merge",
    "Split",
    "default_rules",
    "event_id_for",
    "fingerprint",
    "fuse",
    "fuse_linked",
    "fuse_stream",
    "load_rules",
    "mention_id",
    "merge_events",
    "pairwise_scores",
    "similarity",
    "split_event",
]
