"""Plain records passed along the pipeline: Article -> Event, and the export columns."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from geo.place import Place

# ACLED's names first, then this project's own (shared DESIGN.md, "The event record").
ACLED_COLUMNS = [
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "admin1", "admin2", "location", "latitude", "longitude",
    "geo_precision", "fatalities", "source", "notes",
]
EXTRA_COLUMNS = [
    "adm1_pcode", "adm2_pcode", "country_iso3", "article_id", "article_url", "title", "published",
    "evidence", "evidence_start", "evidence_end", "injured", "displaced", "detained",
    "confidence", "extractor_version",
]
EXPORT_COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS


def normalise_text(text: str) -> str:
    """Whitespace- and case-folded text, the basis of the article id."""
    return " ".join(text.split()).lower()   # str.split's whitespace is re's \s; much faster on long texts


def article_id(text: str) -> str:
    """Content hash of an article's normalised text (same text -> same id)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    """One news article after loading and boilerplate removal."""

    id: str
    text: str
    title: str = ""
    source: str = ""              # outlet name
    url: str = ""
    published: datetime | None = None
    origin: str = ""              # file path or URL it was read from


@dataclass
class Event:
    """One event reported in an article, with its evidence sentence."""

    event_type: str
    sub_event_type: str
    evidence: str
    evidence_start: int
    evidence_end: int
    event_date: date | None = None
    time_precision: int | None = None   # 1 day, 2 week, 3 month
    actor1: str = ""
    actor2: str = ""
    fatalities: int | None = None
    injured: int | None = None
    detained: int | None = None
    displaced: int | None = None
    displaced_unit: str = ""            # "people" | "families"
    place: Place | None = None
    confidence: float = 0.0
    article_id: str = ""
    extractor_version: str = ""
    notes: str = ""
    event_id: str = ""
