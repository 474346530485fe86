import csv
import io
import json

import pandas as pd

from events.export import csv_bytes, geojson_bytes, safe_cell, source_names
from events.model import EXPORT_COLUMNS


def _frame():
    return pd.DataFrame([{"event_id": "a1", "event_date": pd.Timestamp("2020-01-02"), "event_type": "Battles",
                          "evidence": "=HYPERLINK(\"http://x\")", "notes": "+1 call", "actor1": "@who",
                          "actor2": "-minus", "latitude": 34.5, "longitude": 69.2, "fatalities": 3},
                         {"event_id": "a2", "event_date": pd.NaT, "event_type": "Protests",
                          "evidence": "plain", "latitude": None, "longitude": None}])


def test_safe_cell():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("ok") == "ok" and safe_cell(5) == 5


def test_csv_columns_and_formula_neutralised():
    rows = list(csv.DictReader(io.StringIO(csv_bytes(_frame()).decode())))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert rows[0]["evidence"].startswith("'=") and rows[0]["notes"].startswith("'+")
    assert rows[0]["actor1"].startswith("'@") and rows[0]["actor2"].startswith("'-")
    assert rows[0]["event_date"] == "2020-01-02" and rows[1]["event_date"] == ""
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@"))


def test_geojson_points():
    data = json.loads(geojson_bytes(_frame()))
    assert [f["geometry"] for f in data["features"]] == [{"type": "Point", "coordinates": [69.2, 34.5]}, None]
    assert data["features"][0]["properties"]["event_id"] == "a1"


def test_csv_in_chunks_equals_the_whole_csv(db_url):
    """The download and `export` stream the CSV from the store in chunks: one header, every row once,
    byte for byte what the whole view's CSV would be."""
    from events.query import EventFilter
    from events.view_query import EventView
    from tests.dashboard_fixtures import fill_store
    view = EventView(fill_store(db_url))
    whole = b"".join(view.csv_chunks(EventFilter(), size=1000))
    assert b"".join(view.csv_chunks(EventFilter(), size=2)) == whole
    assert whole == csv_bytes(view.rows(EventFilter()))
    rows = list(csv.DictReader(io.StringIO(whole.decode())))
    assert [r["event_id"] for r in rows] == ["ev4", "ev3", "ev2", "ev1", "ev0"]   # oldest first
    assert next(r for r in rows if r["event_id"] == "ev3")["evidence"].startswith("'=")
    empty = b"".join(view.csv_chunks(EventFilter(event_types=["Riots"])))
    assert list(csv.reader(io.StringIO(empty.decode()))) == [EXPORT_COLUMNS]


def test_the_source_is_the_outlet_else_the_articles_host():
    outlets = pd.Series(["Test Wire", "", None])
    urls = pd.Series(["https://x.org/1", "https://www.tehrantimes.com/news/1", None])
    assert list(source_names(outlets, urls)) == ["Test Wire", "tehrantimes.com", ""]
