"""Where the detector's Events come from when it reads a database.

The store's query layer (``tocsin.queries.query_events``) is used when it is installed and the
database holds fused events. Otherwise the stored event mentions are fused on the fly with
``tocsin.fusion.fuse``, so alerts work on a database that only the pipeline has written to.
"""

from __future__ import annotations

from tocsin.fusion import MentionInput, fingerprint, fuse, mention_id
from tocsin.queries import EventFilters, query_events
from tocsin.records import Event
from tocsin.store import Database


def stored_events(database: Database) -> list[Event]:
    """Every fused Event the database holds, of every modality."""
    return list(query_events(database, EventFilters(modality=None)))


def mention_inputs(database: Database) -> list[MentionInput]:
    """Every stored event mention with the facts fusion needs about its document."""
    inputs: list[MentionInput] = []
    for document_id in database.document_ids():
        result = database.load_result(document_id)
        if result is None or not result.events:
            continue
        document = result.document
        print_ = fingerprint(document.text)
        for index, mention in enumerate(result.events):
            inputs.append(
                MentionInput(
                    id=mention_id(document_id, index),
                    mention=mention,
                    document_id=document_id,
                    text_fingerprint=print_,
                    source=document.source,
                    url=document.url,
                    published=document.published,
                )
            )
    return inputs


def load_events(database: Database) -> list[Event]:
    """The database's Events: from the query layer when it has any, else fused from mentions."""
    events = stored_events(database)
    if events:
        return events
    return fuse(mention_inputs(database))
