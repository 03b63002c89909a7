"""The alerts as an Atom 1.0 feed (RFC 4287), one entry per alert, newest first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

from tocsin.alerts.mail import alert_subject, alert_text

ATOM = "http://www.w3.org/2005/Atom"


def _timestamp(day: str) -> str:
    return dt.date.fromisoformat(day).isoformat() + "T00:00:00Z"


def render_atom(
    alerts: Sequence[dict[str, Any]], feed_url: str, title: str = "Tocsin alerts"
) -> str:
    """An Atom document for ``alerts`` (their JSON form); ``feed_url`` is its self link."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_url
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "Tocsin"
    days = [a.get("resolved") or a["end"] for a in alerts]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = (
        _timestamp(max(days)) if days else "1970-01-01T00:00:00Z"
    )
    for alert in alerts:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:tocsin:alert:{alert['id']}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = alert_subject(alert)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _timestamp(
            alert.get("resolved") or alert["end"]
        )
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _timestamp(alert["start"])
        ET.SubElement(entry, f"{{{ATOM}}}category", term=alert["concern"])
        ET.SubElement(entry, f"{{{ATOM}}}content", type="text").text = alert_text(alert)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")
