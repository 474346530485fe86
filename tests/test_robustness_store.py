"""The store under bad text, concurrent first use and a database that is down (SQLite and PostgreSQL)."""
from __future__ import annotations

import multiprocessing
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, select, text

from events.store import EventStore, StoreError, articles
from tests.test_store import db_url, make  # noqa: F401  (db_url: the same tests on SQLite and PostgreSQL)


def test_long_outlets_and_nul_characters_do_not_cost_the_batch(db_url):  # noqa: F811
    store = EventStore(db_url)
    good = make("A good article about fighting in Imam Sahib.", date(2015, 5, 7), "e1")
    long_source, long_events = make("An article from an outlet with a long name.", date(2015, 5, 9), "e2")
    long_source.source = "Outlet " * 200
    long_events[0].place.location = "Place " * 100
    nul, nul_events = make("Fighting in Imam\x00 Sahib with a NUL inside.", date(2015, 6, 9), "e3")
    nul.title, nul_events[0].notes = "Title\x00", "note\x00"
    stats = store.ingest([good, (long_source, long_events), (nul, nul_events)])
    assert (stats.articles_new, stats.events_new) == (3, 3)
    with store.engine.connect() as conn:
        rows = {row.id: row for row in conn.execute(select(articles))}
    assert rows[long_source.id].source == "Outlet " * 200
    assert rows[nul.id].text == "Fighting in Imam Sahib with a NUL inside." and rows[nul.id].title == "Title"
    assert "\x00" not in "".join(store.events_frame()["notes"])


def _open_at_once(barrier, url: str, failures) -> None:
    barrier.wait()
    try:
        EventStore(url)
    except Exception as exc:   # reported to the test, which fails on it
        failures.put(f"{exc.__class__.__name__}: {exc}")


@pytest.mark.parametrize("round_", range(3))
def test_eight_processes_creating_the_tables_at_once(db_url, round_):  # noqa: F811
    context = multiprocessing.get_context("fork")
    barrier, failures = context.Barrier(8), context.Queue()
    workers = [context.Process(target=_open_at_once, args=(barrier, db_url, failures)) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0] * 8
    assert failures.empty(), failures.get()
    store = EventStore(db_url)
    stats = store.ingest([make("Taliban attacked posts in Imam Sahib.", date(2015, 5, 7), "e1")])
    assert stats.events_new == 1


@pytest.mark.parametrize("url", ["postgresql+psycopg://eventmap:secret@127.0.0.1:9/events",
                                 "sqlite:////no/such/folder/events.db"])
def test_an_unreachable_database_is_one_line(url):
    with pytest.raises(StoreError) as caught:
        EventStore(url)
    message = str(caught.value)
    assert message.startswith("cannot open the event store at ") and "\n" not in message
    assert "secret" not in message


def test_a_server_stopped_after_opening_is_one_line(postgres_server):
    name = f"t{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    store = EventStore(f"{postgres_server}/{name}")
    with admin.connect() as conn:   # every connection to the new database is cut, as by a server restart
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
    store.engine.dispose()
    with pytest.raises(StoreError, match=r"^cannot write to the event store at .*: [^\n]*$"):
        store.ingest([make("Taliban attacked posts in Imam Sahib.", date(2015, 5, 7), "e1")])
