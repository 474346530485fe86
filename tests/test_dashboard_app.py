"""The Streamlit page through AppTest: filters, table, downloads, empty store, upload."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from events.store import EventStore
from tests.dashboard_fixtures import ROWS, fill_store

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture()
def app(shared_data, db_url, monkeypatch):
    monkeypatch.setenv("EVENTMAP_DB", db_url)
    monkeypatch.setenv("EVENTMAP_DATA_DIR", str(shared_data))
    return AppTest.from_file(APP, default_timeout=120)


@pytest.fixture()
def downloads(monkeypatch) -> dict:
    """File name -> bytes of the latest download offered by the page."""
    offered = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def record(self, data, mimetype, kind, filename=None):
        offered[filename] = data
        return keep(self, data, mimetype, kind, filename)
    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return offered


def _csv_rows(downloads):
    return list(csv.DictReader(io.StringIO(downloads["events.csv"].decode("utf-8"))))


def _count_line(at):
    return next(m.value for m in at.sidebar.markdown if "events match" in m.value)


def test_empty_store_shows_guide(app):
    at = app.run()
    assert not at.exception
    assert any("python -m events ingest" in i.value for i in at.info)


def test_filters_change_count_table_and_csv(app, db_url, downloads):
    fill_store(db_url)
    at = app.run()
    assert not at.exception
    assert _count_line(at) == f"**{len(ROWS)} of {len(ROWS)} events match**"
    assert len(_csv_rows(downloads)) == len(ROWS)
    at.sidebar.multiselect(key="types").select("Battles").run()
    assert _count_line(at) == f"**2 of {len(ROWS)} events match**"
    table = at.dataframe[-1].value
    assert set(table["event_type"]) == {"Battles"} and len(table) == 2
    stored = EventStore(db_url).events_frame()
    battles = stored[stored["event_type"] == "Battles"].set_index("event_id")
    rows = _csv_rows(downloads)
    assert sorted(r["event_id"] for r in rows) == sorted(battles.index)
    assert all(r["admin2"] == battles.loc[r["event_id"], "admin2"] for r in rows)
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


def test_province_map_level(app, db_url):
    fill_store(db_url)
    at = app.run()
    at.radio(key="level").set_value("province").run()
    assert not at.exception
    assert _count_line(at) == f"**{len(ROWS)} of {len(ROWS)} events match**"


def test_upload_adds_events(app, db_url, shared_data):
    fill_store(db_url)
    at = app.run()
    before = len(at.dataframe[-1].value)
    seed = next((shared_data / "articles" / "seed").glob("*.txt"))
    at.file_uploader[0].set_value((seed.name, seed.read_bytes(), "text/plain"))
    at.button[0].click().run()
    assert not at.exception
    assert any("new 1," in s.value for s in at.success), [s.value for s in at.success]
    added = EventStore(db_url).count() - len(ROWS)
    assert added >= 3
    assert len(at.dataframe[-1].value) == before + added
