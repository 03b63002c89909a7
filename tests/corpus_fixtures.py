"""Tiny files in the evaluation corpora's formats (CASE 2021 snippets, IDETECT excerpts,
GeoWebNews XML), written by the tests from rows of our own invented sentences.

They are generated rather than tracked so that no file in the repository resembles the
evaluation data, which must never be committed; the writers use the formats' field names only.
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

CASE_FIELDS = ["id", "EventSnippet", "SubType"]
CASE_ROWS = [
    ["1", "Artillery shells hit the outskirts of the town overnight, residents said.",
     "ART_MISS_ATTACK"],
    ["2", "Hundreds of students marched peacefully through the capital on Monday.",
     "PEACE_PROTEST"],
    ["3", "Floods swept away dozens of homes after days of rain.", "NATURAL_DISASTER"],
]

IDETECT_FIELDS = ["excerpt_id", "excerpt", "Quantity", "Term", "Unit", "Location", "Country"]
IDETECT_ROWS = [
    ["901", "Around 3,400 people fled the river villages after the militia raid on Tuesday.",
     "3400", "Forced to Flee", "People", "", ""],
    ["902", "About 120 families were evacuated from the lowlands as the water rose.",
     "120", "Evacuated", "Households", "", ""],
    ["903", "Heavy rain destroyed 45 homes in the district, officials said.",
     "45", "Destroyed Housing", "Households", "", ""],
    ["904", "Some 8,000 people remain displaced in camps outside the city.",
     "8000", "Displaced", "People", "", ""],
    ["905", "The label of this row is deliberately wrong: 700 people fled.",
     "9999", "Forced to Flee", "People", "", ""],
]

GWN_TEXT = "Officials in Nairobi said the road to Mombasa reopened. Kenya expects more traffic."
# name, type, non-locational, start, end, geonameid, latitude, longitude
GWN_TOPONYMS = [
    ("Nairobi", "Literal", "No", 13, 20, "184745", "-1.28333", "36.81667"),
    ("Mombasa", "Literal", "No", 38, 45, "186301", "-4.05466", "39.66359"),
    ("Kenya", "Metonymic", "No", 56, 61, "192950", "1.0", "38.0"),
    ("traffic", "Non_Lit_Expression", "Yes", 75, 82, None, None, None),
]


def write_case_snippets(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(CASE_FIELDS)
        writer.writerows(CASE_ROWS)
    return path


def write_idetect_excerpts(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(IDETECT_FIELDS)
        writer.writerows(IDETECT_ROWS)
    return path


def write_gwn(path: Path) -> Path:
    root = ET.Element("articles")
    article = ET.SubElement(root, "article", file="0")
    ET.SubElement(article, "title").text = "Road news"
    ET.SubElement(article, "link").text = "http://example.org/a"
    ET.SubElement(article, "text").text = GWN_TEXT
    toponyms = ET.SubElement(article, "toponyms")
    for name, kind, non_locational, start, end, geonameid, lat, lon in GWN_TOPONYMS:
        toponym = ET.SubElement(toponyms, "toponym")
        ET.SubElement(toponym, "extractedName").text = name
        ET.SubElement(toponym, "normalisedName")
        ET.SubElement(toponym, "type").text = kind
        ET.SubElement(toponym, "modifierType")
        ET.SubElement(toponym, "nonLocational").text = non_locational
        ET.SubElement(toponym, "start").text = str(start)
        ET.SubElement(toponym, "end").text = str(end)
        if geonameid:
            ET.SubElement(toponym, "geonamesID").text = geonameid
            ET.SubElement(toponym, "latitude").text = lat
            ET.SubElement(toponym, "longitude").text = lon
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def write_all(folder: Path) -> Path:
    """Write every format fixture into ``folder``; returns it."""
    write_case_snippets(folder / "snippets.tsv")
    write_idetect_excerpts(folder / "excerpts.csv")
    write_gwn(folder / "gwn_tiny.xml")
    return folder
