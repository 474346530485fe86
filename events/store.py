"""The event store: articles, events and which articles report each event, in any SQLAlchemy database.

SQLite file by default (``config.db_url()``); portable SQL only, so PostgreSQL works by URL.
``ingest`` writes one batch in one transaction: a failure leaves the store as it was, and
re-ingesting the same articles changes nothing.  Text columns hold any length, NUL characters
(which PostgreSQL refuses) are removed before writing, the tables are created safely when several
processes open a new database at once, and database failures become a one-line ``StoreError``.  An
event already stored from another article (same type and actors, same district -- or province when no
district is known -- and a date within a day) is not stored again; the new article is added to its
sources.
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import (Column, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table,
                        Text, create_engine, func, insert, select)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement

import config
from events import spatial
from events.export import source_names
from events.model import EXPORT_COLUMNS, Article, Event

log = logging.getLogger(__name__)
_ID_CHUNK = 500
_CREATE_ATTEMPTS = 5
metadata = MetaData()
articles = Table(
    "articles", metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("source", Text, nullable=False, default=""),
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
    Column("actor1", Text, nullable=False, default=""),
    Column("actor2", Text, nullable=False, default=""),
    Column("country_iso3", String(3)),
    Column("adm1_pcode", String(16), index=True),
    Column("admin1", Text),
    Column("adm2_pcode", String(16), index=True),
    Column("admin2", Text),
    Column("location", Text),
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

# Filtered columns without an index of their own above (the dashboard's filters become SQL on them), and
# one index holding every column of the dashboard's aggregates and map points: those queries read it
# alone (a narrow range of it for a date range), never the wide rows.
READ_INDEXES = (Index("ix_events_geo_precision", events.c.geo_precision),
                Index("ix_events_type_sub_type", events.c.event_type, events.c.sub_event_type),
                Index("ix_events_actor1", events.c.actor1), Index("ix_events_actor2", events.c.actor2),
                Index("ix_events_view", events.c.event_date, events.c.event_type, events.c.adm1_pcode,
                      events.c.adm2_pcode, events.c.geo_precision, events.c.fatalities, events.c.latitude,
                      events.c.longitude))


class StoreError(RuntimeError):
    """The event store cannot be opened, read or written; the one-line message says why."""


@dataclass
class IngestStats:
    """What one ``ingest`` call did."""

    articles_new: int = 0
    articles_duplicate: int = 0
    events_new: int = 0
    events_merged: int = 0


class EventStore:
    """Reads and writes the event store at a SQLAlchemy URL."""

    def __init__(self, url: str | None = None, create: bool = True):
        """Open the store at ``url``; ``create=False`` refuses a SQLite file that does not exist yet
        (reading commands must not leave an empty database behind)."""
        self.url = config.db_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise StoreError(f"not a database URL: {self.url!r}") from exc
        self.label = parsed.render_as_string(hide_password=True)
        if (not create and parsed.get_backend_name() == "sqlite"
                and parsed.database not in (None, "", ":memory:") and not Path(parsed.database).is_file()):
            raise StoreError(f"no event store at {parsed.database} (ingest articles first)")
        self.engine = create_engine(self.url, future=True)
        with _failures("open", self.label):
            _create_tables(self.engine)
            self.geometry = spatial.add_geometry(self.engine, events, self.label)   # PostGIS point + index

    def ingest(self, batch: list[tuple[Article, list[Event]]]) -> IngestStats:
        """Store articles and their events in one transaction (idempotent, deduplicating)."""
        with _failures("write to", self.label):
            return self._ingest(batch)

    def _ingest(self, batch: list[tuple[Article, list[Event]]]) -> IngestStats:
        stats = IngestStats()
        now = datetime.now()
        with self.engine.begin() as conn:
            known = self._known(conn, articles.c.id, [a.id for a, _ in batch])
            fresh = []
            for article, found in batch:
                if article.id in known:
                    stats.articles_duplicate += 1
                    continue
                known.add(article.id)
                fresh.append((article, found))
            stats.articles_new = len(fresh)
            if not fresh:
                return stats
            conn.execute(insert(articles), [_no_nul(dict(   # articles first: events refer to them
                id=a.id, title=a.title or "", source=a.source or "", url=a.url or "", published=a.published,
                origin=a.origin or "", text=a.text, ingested_at=now)) for a, _ in fresh])
            index = _DuplicateIndex(conn, [e for _, found in fresh for e in found])
            new_rows: list[dict] = []
            sources: dict[tuple[str, str], str] = {}   # (event id, article id) -> evidence
            for article, found in fresh:
                for event in found:
                    same = index.match(event)
                    if same is None:
                        new_rows.append(_no_nul(_event_row(event, article.id)))
                        index.add(event)
                        same = event.event_id
                        stats.events_new += 1
                    else:
                        stats.events_merged += 1
                    # the article is new: no stored rows
                    sources.setdefault((same, article.id), event.evidence)
            if new_rows:
                conn.execute(insert(events), new_rows)
            if sources:   # an empty executemany would insert one row of defaults
                conn.execute(insert(event_sources),
                             [_no_nul(dict(event_id=e, article_id=a, evidence=text))
                              for (e, a), text in sources.items()])
        return stats

    def stored_articles(self, ids: list[str]) -> set[str]:
        """Which of the article ``ids`` are already stored (an ingest skips them before extraction)."""
        with _failures("read", self.label), self.engine.connect() as conn:
            return self._known(conn, articles.c.id, ids)

    @staticmethod
    def _known(conn, column, values: list) -> set:
        """Which of ``values`` are already stored in ``column`` (asked in chunks, under parameter limits)."""
        known = set()
        for start in range(0, len(values), _ID_CHUNK):
            known.update(conn.scalars(select(column).where(column.in_(values[start:start + _ID_CHUNK]))))
        return known

    def count(self) -> int:
        """Number of stored events."""
        with _failures("read", self.label), self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(events)).scalar_one()

    def version(self) -> tuple[int, int]:
        """(events, articles) counts: changes whenever an ingest adds something (a cache key)."""
        with _failures("read", self.label), self.engine.connect() as conn:
            return (conn.execute(select(func.count()).select_from(events)).scalar_one(),
                    conn.execute(select(func.count()).select_from(articles)).scalar_one())

    def events_within(self, shape: spatial.Shape) -> pd.DataFrame:
        """``events_frame`` rows of the events placed in ``shape``: a shapely geometry or (west, south,
        east, north) bounds, in degrees (``events.spatial``: in SQL with PostGIS, else box then shapely)."""
        shape = spatial.area(shape)
        frame = self.events_frame(spatial.within(events, shape, self.geometry))
        return frame if self.geometry else spatial.inside(frame, shape)

    def events_frame(self, where: ColumnElement[bool] | None = None) -> pd.DataFrame:
        """One row per stored event (matching the SQL condition ``where`` when given): ``EXPORT_COLUMNS``
        plus ``n_sources``."""
        n_sources = (select(event_sources.c.event_id, func.count().label("n_sources"))
                     .group_by(event_sources.c.event_id).subquery())
        query = (event_rows().add_columns(n_sources.c.n_sources)
                 .outerjoin(n_sources, n_sources.c.event_id == events.c.event_id)
                 .order_by(events.c.event_date, events.c.event_id))
        if where is not None:
            query = query.where(where)
        with _failures("read", self.label), self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all())
        if frame.empty:
            return pd.DataFrame(columns=EXPORT_COLUMNS + ["n_sources"])
        return typed_rows(frame).assign(n_sources=frame["n_sources"].fillna(1).astype(int))


def event_rows() -> Select:
    """The events with their article's title, address (``article_url``), publication date and outlet: what
    ``typed_rows`` makes export rows of."""
    return (select(events, articles.c.title, articles.c.url.label("article_url"), articles.c.published,
                   articles.c.source.label("outlet"))
            .join(articles, articles.c.id == events.c.article_id))


_INTEGER_COLUMNS = ("fatalities", "injured", "detained", "displaced", "time_precision", "geo_precision")


def typed_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """``event_rows`` as the exports and the page use them: ``EXPORT_COLUMNS``, dates as Timestamps, counts
    Int64, ``source`` the outlet's name (or the article's host)."""
    if frame.empty:
        return pd.DataFrame(columns=EXPORT_COLUMNS)
    frame["source"] = source_names(frame["outlet"], frame["article_url"])
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["published"] = pd.to_datetime(frame["published"])
    for column in _INTEGER_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    return frame[EXPORT_COLUMNS]


@contextmanager
def _failures(doing: str, label: str):
    """A SQLAlchemy error inside becomes StoreError("cannot <doing> the event store at URL: reason")."""
    try:
        yield
    except SQLAlchemyError as exc:
        log.debug("database failure", exc_info=True)
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        raise StoreError(f"cannot {doing} the event store at {label}: "
                         f"{reason[0] if reason else exc.__class__.__name__}") from exc


def _create_tables(engine) -> None:
    """Create the missing tables.  Processes opening a new database at once race between looking and
    creating: the loser's error is retried, and then finds the tables there."""
    for attempt in range(_CREATE_ATTEMPTS):
        try:
            metadata.create_all(engine)
            for index in READ_INDEXES:   # also into databases made before these indexes existed
                index.create(engine, checkfirst=True)
            return
        except SQLAlchemyError:
            if attempt == _CREATE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _no_nul(row: dict) -> dict:
    """The row with NUL characters removed from its text (PostgreSQL cannot store them)."""
    return {key: value.replace("\x00", "") if isinstance(value, str) else value for key, value in row.items()}


class _DuplicateIndex:
    """Stored events that a batch's events may duplicate, read once, then grown with the batch.

    Two reports are one event when they have the same id, or the same type, sub-type and actors in
    the same district (province when no district is known) within a day of each other.
    """

    def __init__(self, conn, batch: list[Event]):
        self.ids = EventStore._known(conn, events.c.event_id, [e.event_id for e in batch])
        self.by_key: dict[tuple, list[tuple[date, str]]] = {}
        days: list[date] = []
        unit_provinces: set[str] = set()
        for event in batch:
            if _key(event) is None:
                continue
            # _key is None without a date or a province
            assert event.event_date is not None and event.place is not None and event.place.adm1_pcode
            days.append(event.event_date)
            unit_provinces.add(event.place.adm1_pcode)
        if not days:
            return
        first = min(days) - timedelta(days=1)
        last = max(days) + timedelta(days=1)
        provinces = sorted(unit_provinces)
        for start in range(0, len(provinces), _ID_CHUNK):
            rows = conn.execute(select(
                events.c.event_id, events.c.event_date, events.c.event_type, events.c.sub_event_type,
                events.c.actor1, events.c.actor2, events.c.adm1_pcode, events.c.adm2_pcode,
            ).where(events.c.adm1_pcode.in_(provinces[start:start + _ID_CHUNK]),
                    events.c.event_date.between(first, last)))
            for row in rows:
                key = _same_event_key(row.event_type, row.sub_event_type, row.actor1, row.actor2,
                                      row.adm1_pcode, row.adm2_pcode)
                self.by_key.setdefault(key, []).append((row.event_date, row.event_id))

    def match(self, event: Event) -> str | None:
        """The id of the stored (or earlier in this batch) event this one duplicates, if any."""
        if event.event_id in self.ids:
            return event.event_id
        key = _key(event)
        if key is None:
            return None
        assert event.event_date is not None   # _key is None for an undated event
        for day, event_id in self.by_key.get(key, []):
            if abs((day - event.event_date).days) <= 1:
                return event_id
        return None

    def add(self, event: Event) -> None:
        """Remember a newly stored event."""
        self.ids.add(event.event_id)
        if (key := _key(event)) is not None:
            assert event.event_date is not None   # _key is None for an undated event
            self.by_key.setdefault(key, []).append((event.event_date, event.event_id))


def _key(event: Event) -> tuple | None:
    place = event.place
    if place is None or not place.adm1_pcode or event.event_date is None:
        return None
    return _same_event_key(event.event_type, event.sub_event_type, event.actor1, event.actor2,
                           place.adm1_pcode, place.adm2_pcode)


def _same_event_key(event_type, sub_event_type, actor1, actor2, adm1_pcode, adm2_pcode) -> tuple:
    """What two reports of one event share: type, actors and unit (the district, else the province)."""
    return event_type, sub_event_type, actor1 or "", actor2 or "", adm2_pcode or ("", adm1_pcode)


def _event_row(event: Event, article_id: str) -> dict:
    from geo.units import no_unit_columns   # here, not at the top: one hunk while store.py is shared
    place = event.place
    return dict(
        event_id=event.event_id, event_date=event.event_date if isinstance(event.event_date, date) else None,
        time_precision=event.time_precision, event_type=event.event_type, sub_event_type=event.sub_event_type,
        actor1=event.actor1 or "", actor2=event.actor2 or "",
        **(place.unit.columns() if place else no_unit_columns()),
        location=place.location if place else None,
        latitude=place.latitude if place else None, longitude=place.longitude if place else None,
        geo_precision=place.geo_precision if place else None,
        fatalities=event.fatalities, injured=event.injured, detained=event.detained,
        displaced=event.displaced,
        displaced_unit=event.displaced_unit or "", article_id=article_id, evidence=event.evidence,
        evidence_start=event.evidence_start, evidence_end=event.evidence_end, confidence=event.confidence,
        extractor_version=event.extractor_version, notes=event.notes or "")
