"""The Streamlit page through AppTest: filters, table, downloads, empty store, upload."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard_fixtures import ROWS, fill_store

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture()
def app(shared_data, db_url, monkeypatch):
    monkeypatch.setenv("EVENTMAP_DB", db_url)
    monkeypatch.setenv("EVENTMAP_DATA_DIR", str(shared_data))
    return AppTest.from_file(APP, default_timeout=120)


def _count_line(at):
    return next(m.value for m in at.sidebar.markdown if "events match" in m.value)


def test_empty_store_shows_guide(app):
    at = app.run()
    assert not at.exception
    assert any("python -m events ingest" in i.value for i in at.info)


def test_filters_change_count_and_table(app, db_url):
    fill_store(db_url)
    at = app.run()
    assert not at.exception
    assert _count_line(at) == f"**{len(ROWS)} of {len(ROWS)} events match**"
    at.sidebar.multiselect(key="types").select("Battles").run()
    assert _count_line(at) == f"**2 of {len(ROWS)} events match**"
    table = at.dataframe[-1].value
    assert set(table["event_type"]) == {"Battles"} and len(table) == 2
    at.sidebar.selectbox(key="province").select("Kunduz").run()
    at.sidebar.selectbox(key="district").select("Imam Sahib").run()
    assert _count_line(at) == f"**1 of {len(ROWS)} events match**"
    assert list(at.dataframe[-1].value["admin2"]) == ["Imam Sahib"]


def test_date_range_filters(app, db_url):
    fill_store(db_url)
    at = app.run()
    at.sidebar.date_input[0].set_value((date(2021, 7, 1), date(2021, 8, 26))).run()
    assert _count_line(at) == f"**3 of {len(ROWS)} events match**"
    at.sidebar.radio(key="quick").set_value("Last 7 days").run()
    assert _count_line(at) == f"**1 of {len(ROWS)} events match**"


def test_upload_adds_events(app, db_url, shared_data):
    fill_store(db_url)
    at = app.run()
    before = len(at.dataframe[-1].value)
    seed = next((shared_data / "articles" / "seed").glob("*.txt"))
    from events.pipeline import ingest_uploads
    from events.store import EventStore
    summary = ingest_uploads([(seed.name, seed.read_bytes())], EventStore(db_url), str(shared_data))
    assert summary.new == 1 and summary.events_stored >= 3
    at.run()
    assert len(at.dataframe[-1].value) == before + summary.events_stored
