"""The event store: idempotent ingest, cross-article deduplication, one transaction per batch,
on SQLite and on a real PostgreSQL server."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from events.model import EXPORT_COLUMNS, Article, Event, article_id
from events.store import EventStore, StoreError
from geo.place import Place
from geo.units import AdminUnit

KUNDUZ = Place(text="Imam Sahib", start=0, end=10, location="Imam Sahib",
               unit=AdminUnit("AFG", "AF19", "Kunduz", "AF1905", "Imam Sahib"), geo_precision=3,
               latitude=37.1, longitude=68.9)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """The same store tests on a SQLite file and on a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'events.db'}"
    return request.getfixturevalue("postgres_url")


def make(text: str, day: date, event_id: str, place=KUNDUZ, sub="Armed clash") -> tuple[Article, list[Event]]:
    article = Article(id=article_id(text), text=text, title=text[:20], source="Test Wire",
                      published=datetime(2015, 5, 8))
    event = Event(event_type="Battles", sub_event_type=sub, evidence=text, evidence_start=0,
                  evidence_end=len(text), event_date=day, time_precision=1, actor1="Taliban",
                  actor2="Afghan security forces", fatalities=3, place=place, confidence=0.8,
                  article_id=article.id, extractor_version="test", event_id=event_id)
    return article, [event]


def test_ingest_is_idempotent(db_url):
    store = EventStore(db_url)
    batch = [make("Taliban attacked army posts in Imam Sahib.", date(2015, 5, 7), "e1")]
    first = store.ingest(batch)
    second = store.ingest(batch)
    assert (first.articles_new, first.events_new) == (1, 1)
    assert (second.articles_new, second.articles_duplicate, second.events_new) == (0, 1, 0)
    assert store.count() == 1


def test_same_event_from_two_articles_is_stored_once_with_both_sources(db_url):
    store = EventStore(db_url)
    stats = store.ingest([make("Report one of the Imam Sahib fighting.", date(2015, 5, 7), "e1"),
                          make("Report two of the Imam Sahib fighting.", date(2015, 5, 8), "e2"),
                          make("A clash a week later in Imam Sahib.", date(2015, 5, 15), "e3")])
    assert (stats.events_new, stats.events_merged) == (2, 1)
    frame = store.events_frame()
    assert sorted(frame["n_sources"]) == [1, 2]


def test_events_frame_has_export_columns(db_url):
    store = EventStore(db_url)
    store.ingest([make("Taliban attacked army posts in Imam Sahib.", date(2015, 5, 7), "e1")])
    frame = store.events_frame()
    assert list(frame.columns) == EXPORT_COLUMNS + ["n_sources"] and "title" in EXPORT_COLUMNS
    row = frame.iloc[0]
    assert (row["admin1"], row["adm2_pcode"], row["source"], row["fatalities"]) == ("Kunduz", "AF1905",
                                                                                    "Test Wire", 3)


def test_failed_batch_leaves_store_unchanged(db_url):
    store = EventStore(db_url)
    store.ingest([make("The first stored article about Kunduz.", date(2015, 5, 1), "e0")])
    good = make("A good article about fighting in Kunduz.", date(2015, 5, 7), "e1")
    bad_article, bad_events = make("A broken one.", date(2015, 5, 9), "e2")
    bad_events[0].evidence = None   # violates NOT NULL: the whole batch must roll back
    with pytest.raises(StoreError):
        store.ingest([good, (bad_article, bad_events)])
    with store.engine.connect() as conn:
        assert conn.execute(text("select count(*) from articles")).scalar() == 1
    assert store.count() == 1


def test_empty_store_frame(db_url):
    frame = EventStore(db_url).events_frame()
    assert frame.empty and "event_id" in frame.columns


def test_articles_without_events_are_stored(db_url):
    store = EventStore(db_url)
    weather = "The weather in Kabul was pleasant."
    article = Article(id=article_id(weather), text=weather)
    stats = store.ingest([(article, [])])
    assert (stats.articles_new, stats.events_new) == (1, 0) and store.version() == (0, 1)
