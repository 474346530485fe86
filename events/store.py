"""The event store: articles, events and which articles report each event, in any SQLAlchemy database.

SQLite file by default (``config.db_url()``); portable SQL only, so PostgreSQL works by URL.
``ingest`` writes one batch in one transaction: a failure leaves the store as it was, and
re-ingesting the same articles changes nothing.  An event already stored from another article
(same type and actors, same district -- or province when no district is known -- and a date
within a day) is not stored again; the new article is added to its sources.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import (Column, Date, DateTime, Float, ForeignKey, Integer, MetaData, String, Table, Text, and_,
                        create_engine, func, insert, select)

import config
from events.model import EXPORT_COLUMNS, Article, Event

_ID_CHUNK = 500
metadata = MetaData()
articles = Table(
    "articles", metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("source", String(200), nullable=False, default=""),
    Column("url", Text, nullable=False, default=""),
    Column("published", DateTime),
    Column("origin", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("ingested_at", DateTime, nullable=False),
)
events = Table(
    "events", metadata,
    Column("event_id", String(32), primary_key=True),
    Column("event_date", Date, index=True),
    Column("time_precision", Integer),
    Column("event_type", String(60), nullable=False, index=True),
    Column("sub_event_type", String(80), nullable=False),
    Column("actor1", String(120), nullable=False, default=""),
    Column("actor2", String(120), nullable=False, default=""),
    Column("country_iso3", String(3)),
    Column("adm1_pcode", String(16), index=True),
    Column("admin1", String(120)),
    Column("adm2_pcode", String(16), index=True),
    Column("admin2", String(120)),
    Column("location", String(200)),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("geo_precision", Integer),
    Column("fatalities", Integer),
    Column("injured", Integer),
    Column("detained", Integer),
    Column("displaced", Integer),
    Column("displaced_unit", String(20), nullable=False, default=""),
    Column("article_id", String(32), ForeignKey("articles.id"), nullable=False, index=True),
    Column("evidence", Text, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("extractor_version", String(40), nullable=False),
    Column("notes", Text, nullable=False, default=""),
)
event_sources = Table(
    "event_sources", metadata,
    Column("event_id", String(32), ForeignKey("events.event_id"), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id"), primary_key=True),
    Column("evidence", Text, nullable=False),
)


@dataclass
class IngestStats:
    """What one ``ingest`` call did."""

    articles_new: int = 0
    articles_duplicate: int = 0
    events_new: int = 0
    events_merged: int = 0


class EventStore:
    """Reads and writes the event store at a SQLAlchemy URL."""

    def __init__(self, url: str | None = None):
        self.url = config.db_url(url)
        self.engine = create_engine(self.url, future=True)
        metadata.create_all(self.engine)

    def ingest(self, batch: list[tuple[Article, list[Event]]]) -> IngestStats:
        """Store articles and their events in one transaction (idempotent, deduplicating)."""
        stats = IngestStats()
        now = datetime.now()
        with self.engine.begin() as conn:
            ids = [a.id for a, _ in batch]
            known = set()
            for start in range(0, len(ids), _ID_CHUNK):   # stay under the database's parameter limit
                known.update(conn.scalars(select(articles.c.id).where(articles.c.id.in_(ids[start:start + _ID_CHUNK]))))
            fresh = []
            for article, found in batch:
                if article.id in known:
                    stats.articles_duplicate += 1
                    continue
                known.add(article.id)
                fresh.append((article, found))
            if fresh:   # articles first: events refer to them
                conn.execute(insert(articles), [dict(
                    id=a.id, title=a.title or "", source=a.source or "", url=a.url or "", published=a.published,
                    origin=a.origin or "", text=a.text, ingested_at=now) for a, _ in fresh])
            stats.articles_new = len(fresh)
            for article, found in fresh:
                for event in found:
                    same = self._same_event(conn, event)
                    if same is None:
                        conn.execute(insert(events).values(**_event_row(event, article.id)))
                        same = event.event_id
                        stats.events_new += 1
                        exists = False
                    else:
                        stats.events_merged += 1
                        exists = conn.scalar(select(func.count()).select_from(event_sources).where(and_(
                            event_sources.c.event_id == same, event_sources.c.article_id == article.id)))
                    if not exists:
                        conn.execute(insert(event_sources).values(event_id=same, article_id=article.id,
                                                                  evidence=event.evidence))
        return stats

    @staticmethod
    def _same_event(conn, event: Event) -> str | None:
        """The id of a stored event this one duplicates, if any."""
        place = event.place
        if conn.scalar(select(events.c.event_id).where(events.c.event_id == event.event_id)):
            return event.event_id
        if place is None or not place.adm1_pcode or event.event_date is None:
            return None
        unit = events.c.adm2_pcode == place.adm2_pcode if place.adm2_pcode else and_(
            events.c.adm2_pcode.is_(None), events.c.adm1_pcode == place.adm1_pcode)
        return conn.scalar(select(events.c.event_id).where(
            unit, events.c.event_type == event.event_type, events.c.sub_event_type == event.sub_event_type,
            events.c.actor1 == event.actor1, events.c.actor2 == event.actor2,
            events.c.event_date.between(event.event_date - timedelta(days=1), event.event_date + timedelta(days=1)),
        ).limit(1))

    def count(self) -> int:
        """Number of stored events."""
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(events))

    def version(self) -> tuple[int, int]:
        """(events, articles) counts: changes whenever an ingest adds something (a cache key)."""
        with self.engine.connect() as conn:
            return (conn.scalar(select(func.count()).select_from(events)),
                    conn.scalar(select(func.count()).select_from(articles)))

    def events_frame(self) -> pd.DataFrame:
        """One row per stored event: ``EXPORT_COLUMNS`` plus ``title`` and ``n_sources``."""
        n_sources = (select(event_sources.c.event_id, func.count().label("n_sources"))
                     .group_by(event_sources.c.event_id).subquery())
        query = (select(events, articles.c.title, articles.c.url.label("article_url"),
                        articles.c.published, articles.c.source.label("outlet"), n_sources.c.n_sources)
                 .join(articles, articles.c.id == events.c.article_id)
                 .outerjoin(n_sources, n_sources.c.event_id == events.c.event_id)
                 .order_by(events.c.event_date, events.c.event_id))
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all())
        if frame.empty:
            return pd.DataFrame(columns=EXPORT_COLUMNS + ["title", "n_sources"])
        frame["source"] = frame["outlet"]
        frame["event_date"] = pd.to_datetime(frame["event_date"])
        frame["published"] = pd.to_datetime(frame["published"])
        frame["n_sources"] = frame["n_sources"].fillna(1).astype(int)
        for column in ("fatalities", "injured", "detained", "displaced", "time_precision", "geo_precision"):
            frame[column] = frame[column].astype("Int64")
        return frame[EXPORT_COLUMNS + ["title", "n_sources"]]


def _event_row(event: Event, article_id: str) -> dict:
    place = event.place
    return dict(
        event_id=event.event_id, event_date=event.event_date if isinstance(event.event_date, date) else None,
        time_precision=event.time_precision, event_type=event.event_type, sub_event_type=event.sub_event_type,
        actor1=event.actor1 or "", actor2=event.actor2 or "",
        country_iso3=place.country_iso3 if place else None,
        adm1_pcode=place.adm1_pcode if place else None, admin1=place.adm1_name if place else None,
        adm2_pcode=place.adm2_pcode if place else None, admin2=place.adm2_name if place else None,
        location=place.location if place else None,
        latitude=place.latitude if place else None, longitude=place.longitude if place else None,
        geo_precision=place.geo_precision if place else None,
        fatalities=event.fatalities, injured=event.injured, detained=event.detained, displaced=event.displaced,
        displaced_unit=event.displaced_unit or "", article_id=article_id, evidence=event.evidence,
        evidence_start=event.evidence_start, evidence_end=event.evidence_end, confidence=event.confidence,
        extractor_version=event.extractor_version, notes=event.notes or "")
