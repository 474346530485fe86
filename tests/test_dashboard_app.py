"""The Streamlit page through AppTest: filters, summary, empty state, place names, uploads, errors, and a
new page's map first, the rest after the map's report."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from events.store import EventStore, events
from geo.maps import ASSETS, REPORT
from tests.dashboard_fixtures import ROWS, app_without_static, fill_store, store_rows

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture()
def app(shared_data, db_url, monkeypatch):
    monkeypatch.setenv("EVENTMAP_DB", db_url)
    monkeypatch.setenv("EVENTMAP_DATA_DIR", str(shared_data))
    return AppTest.from_file(APP, default_timeout=120)


def load(at: AppTest) -> AppTest:
    """A new page as a browser shows it: the first run and, when it drew a map, the map's report that its
    first view is drawn (the component value geo.maps.ViewUpdate sends back), which brings the rest."""
    at.run()
    if "page_token" in at.session_state:   # set when a map was drawn
        at.session_state["map"] = {REPORT: at.session_state["page_token"]}
        at.run()
    return at


def _count_line(at):
    return next(m.value for m in at.sidebar.markdown if "events match" in m.value)


def _summary(at):
    return next(m.value for m in at.markdown if " affected" in m.value)


def test_empty_store_shows_guide(app):
    at = load(app)
    assert not at.exception
    assert any("python -m events ingest" in i.value for i in at.info)


def test_filters_change_count_summary_and_table(app, db_url):
    fill_store(db_url)
    at = load(app)
    assert not at.exception
    assert _count_line(at) == f"**{len(ROWS)} of {len(ROWS)} events match**"
    # fatalities are 0..4 in the fixture; 4 provinces, 5 districts
    assert _summary(at) == ("**5 events** of 5 · **10** fatalities · **4 provinces** · "
                            "**5 districts** affected")
    at.sidebar.multiselect(key="types").select("Battles").run()
    assert _count_line(at) == f"**2 of {len(ROWS)} events match**"
    assert _summary(at).startswith("**2 events** of 5 · **3** fatalities · **1 province** · **2 districts**")
    table = at.dataframe[-1].value
    assert set(table["event_type"]) == {"Battles"} and len(table) == 2
    assert set(table["title"]) == {"Report 1", "Report 2"} and set(table["source"]) == {"Test Wire"}
    at.sidebar.selectbox(key="province").select("AF19").run()
    at.sidebar.selectbox(key="district").select("AF1905").run()
    assert _count_line(at) == f"**1 of {len(ROWS)} events match**"
    assert list(at.dataframe[-1].value["admin2"]) == ["Imam Sahib"]
    at.sidebar.selectbox(key="province").select("All").run()   # back to All: the district goes too
    assert at.sidebar.selectbox(key="district").value == "All"
    assert _count_line(at) == f"**2 of {len(ROWS)} events match**"
    at.sidebar.button(key="reset").click().run()
    assert _count_line(at) == f"**{len(ROWS)} of {len(ROWS)} events match**"
    assert at.sidebar.multiselect(key="types").value == []


def test_repeated_district_names_carry_their_province(app, db_url):
    fill_store(db_url)
    at = load(app)
    options = at.sidebar.selectbox(key="district").options
    assert "Arghandab (Kandahar)" in options and "Arghandab (Zabul)" in options
    assert "Imam Sahib" in options            # a unique name stays short
    assert len(options) == len(set(options))


def test_empty_view_names_the_filter(app, db_url):
    fill_store(db_url)
    at = load(app)
    at.sidebar.multiselect(key="types").select("Protests").run()
    at.sidebar.selectbox(key="province").select("AF01").run()
    assert _count_line(at) == f"**0 of {len(ROWS)} events match**"
    # Kabul has events and Protests have events, only not together: the page says what dropping each gives
    assert any("without Event type, 1 event; without Province, 1 event" in w.value for w in at.warning)
    # the rest of the page (charts, table) draws for an empty view too
    if "page_token" in at.session_state:
        at.session_state["map"] = {REPORT: at.session_state["page_token"]}
    at.run()
    assert not at.exception and not at.error
    assert any(s.value == "Top districts" for s in at.subheader)


def test_unknown_words_are_blank_cells_in_the_table(app, db_url):
    store_rows(db_url, [dict(event_id="p1", event_date=date(2021, 8, 1), time_precision=1,
                             event_type="Battles", adm1_pcode="AF19", admin1="Kunduz", latitude=36.7,
                             longitude=68.9, geo_precision=4)])
    at = load(app)
    table = at.dataframe[-1].value
    assert list(table["admin1"]) == ["Kunduz"] and list(table["admin2"]) == [""]   # placed by province only
    words = table.select_dtypes(exclude=["number", "datetime"]).drop(columns="article_url")
    assert not words.isna().any().any()


def test_reset_leaves_no_filter_in_the_url(app, db_url):
    fill_store(db_url)
    at = load(app)
    at.sidebar.select_slider(key="precision").set_value(3).run()
    at.sidebar.button(key="reset").click().run()
    assert at.sidebar.select_slider(key="precision").value == 5 and "precision" not in at.query_params


def test_events_and_fatalities_by_province(app, db_url):
    fill_store(db_url)
    at = load(app)
    assert not at.exception
    table = next(frame.value for frame in at.dataframe if "fatalities" in frame.value.columns
                 and "province" in frame.value.columns and "district" not in frame.value.columns)
    # the fixture: Kunduz has two events (fatalities 1 and 2), Kabul, Hirat and Hilmand one each
    assert list(table["province"])[0] == "Kunduz" and list(table["events"]) == [2, 1, 1, 1]
    assert table["fatalities"].sum() == 10


def test_dates_and_quick_ranges_from_today(app, db_url):
    fill_store(db_url)
    at = load(app)
    at.sidebar.date_input(key="dates").set_value((date(2021, 7, 1), date(2021, 8, 26))).run()
    assert _count_line(at) == f"**3 of {len(ROWS)} events match**"
    assert at.sidebar.radio(key="quick").value == "Custom"
    at.sidebar.radio(key="quick").set_value("Last 7 days").run()
    # the fixture ends in 2021: counted from today, nothing is left, and the page says why
    assert _count_line(at) == f"**0 of {len(ROWS)} events match**"
    assert any("the dated events end on 2021-08-26" in c.value for c in at.sidebar.caption)
    assert at.sidebar.date_input(key="dates").value[1] == date.today()


def test_the_summary_says_how_many_events_look_like_another_articles_report(app, db_url):
    store = fill_store(db_url)
    with store.engine.begin() as conn:   # ev2 told again as ev1: same type, place, date and killed figure
        conn.execute(events.update().where(events.c.event_id == "ev2").values(
            event_date=ROWS[1][0], adm2_pcode="AF1901", admin2="Kunduz", fatalities=1))
    at = load(app)
    assert any("1 event (1 fatality) look like repeats" in c.value for c in at.caption)


def test_undated_events_are_counted_named_and_kept_in_a_date_range_on_request(app, db_url):
    store = fill_store(db_url)
    with store.engine.begin() as conn:   # two events whose articles gave no date, one placed by province
        conn.execute(events.update().where(events.c.event_id.in_(["ev0", "ev1"])).values(event_date=None))
        conn.execute(events.update().where(events.c.event_id == "ev1").values(adm2_pcode=None, admin2=None,
                                                                              geo_precision=4))
    at = load(app)
    assert _count_line(at) == f"**{len(ROWS)} of {len(ROWS)} events match**"   # the whole span keeps them
    assert any("1 event placed only by province" in c.value for c in at.caption)
    at.sidebar.date_input(key="dates").set_value((date(2021, 3, 15), date(2021, 6, 30))).run()
    assert _count_line(at) == f"**2 of {len(ROWS)} events match**"
    assert any("The date range leaves out 2 undated events" in c.value for c in at.sidebar.caption)
    at.sidebar.selectbox(key="province").select("AF19").run()   # the count follows the other filters
    assert any("leaves out 1 undated event matching" in c.value for c in at.sidebar.caption)
    at.sidebar.selectbox(key="province").select("All").run()
    at.sidebar.checkbox(key="undated").check().run()
    assert _count_line(at) == f"**4 of {len(ROWS)} events match**"


def test_a_range_in_a_shared_link_is_the_range_shown(app, db_url):
    fill_store(db_url)
    app.query_params["dates"] = ["2021-08-01", "2021-08-31"]
    at = load(app)
    assert at.sidebar.date_input(key="dates").value == (date(2021, 8, 1), date(2021, 8, 31))
    assert _count_line(at) == f"**2 of {len(ROWS)} events match**"


@pytest.mark.parametrize("dates", [["notadate", "2021-01-01"], ["2021-08-01"], ["1990-01-01", "1990-02-01"]])
def test_a_broken_or_out_of_range_link_opens_a_page(app, db_url, dates):
    fill_store(db_url)
    app.query_params["dates"] = dates
    at = load(app)
    assert not at.exception and not at.error


def test_week_stepping_moves_the_range(app, db_url):
    fill_store(db_url)
    at = load(app)
    at.button(key="week_next").click().run()   # from the whole span: the first week
    assert at.sidebar.date_input(key="dates").value == (date(2021, 3, 15), date(2021, 3, 21))
    assert at.query_params["dates"] == ["2021-03-15", "2021-03-21"]   # kept in the URL, to share
    assert _count_line(at) == f"**1 of {len(ROWS)} events match**"
    at.button(key="week_next").click().run()
    assert at.sidebar.date_input(key="dates").value == (date(2021, 3, 22), date(2021, 3, 28))
    assert _count_line(at) == f"**0 of {len(ROWS)} events match**"
    at.sidebar.button(key="reset").click().run()
    assert "dates" not in at.query_params
    at.button(key="week_back").click().run()   # from the whole span, going back: the latest week
    assert at.sidebar.date_input(key="dates").value == (date(2021, 8, 20), date(2021, 8, 26))
    assert _count_line(at) == f"**1 of {len(ROWS)} events match**"
    at.sidebar.date_input(key="dates").set_value((date(2021, 6, 1), date(2021, 8, 15))).run()
    at.button(key="week_next").click().run()   # from a chosen range: its first week, not the data's
    assert at.sidebar.date_input(key="dates").value == (date(2021, 6, 1), date(2021, 6, 7))


def test_province_map_level_and_fatalities(app, db_url):
    fill_store(db_url)
    at = load(app)
    at.radio(key="level").set_value("province").run()
    at.radio(key="metric").set_value("fatalities").run()
    assert not at.exception and not at.error
    assert _count_line(at) == f"**{len(ROWS)} of {len(ROWS)} events match**"


def test_downloads_are_built_only_when_asked(app, db_url, monkeypatch):
    from events.view_query import EventView
    read = []
    monkeypatch.setattr(EventView, "chunks", lambda self, spec, size=0: read.append(spec) or iter(()))
    real_rows = EventView.rows
    monkeypatch.setattr(EventView, "rows", lambda self, spec, limit=None: (
        read.append(spec) if limit is None else None) or real_rows(self, spec, limit))
    fill_store(db_url)
    at = load(app)
    at.sidebar.multiselect(key="types").select("Battles").run()
    assert not at.exception
    assert read == []                          # no run reads every row of the view
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download CSV (2 rows)", "Download GeoJSON (2 rows)"]


def test_upload_keeps_good_files_and_shows_names_as_text(app, db_url, shared_data):
    fill_store(db_url)
    at = load(app)
    before = len(at.dataframe[-1].value)
    seed = next((shared_data / "articles" / "seed").glob("*.txt"))
    at.file_uploader[0].set_value([(seed.name, seed.read_bytes(), "text/plain"),
                                   ("**bold** [x](http://e).txt", b"\x00\x01\x02" * 50, "text/plain")])
    next(b for b in at.button if b.label == "Ingest").click().run()
    assert not at.exception
    assert any("new 1," in s.value for s in at.success), [s.value for s in at.success]
    skipped = [t.value for t in at.text if t.value.startswith("Skipped")]
    assert len(skipped) == 1 and skipped[0].startswith("Skipped **bold** [x](http://e).txt:")
    added = EventStore(db_url).count() - len(ROWS)
    assert added >= 3
    assert len(at.dataframe[-1].value) == before + added


def test_uploads_can_be_turned_off(app, db_url, monkeypatch):
    monkeypatch.setenv("EVENTMAP_UPLOADS", "0")
    fill_store(db_url)
    at = load(app)
    assert not at.exception
    assert len(at.file_uploader) == 0


def test_a_failure_shows_a_sentence_not_a_traceback(shared_data, tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTMAP_DB", f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}")
    monkeypatch.setenv("EVENTMAP_DATA_DIR", str(shared_data))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("details are in the server's log" in e.value for e in at.error)


def test_unwritable_shapes_folder_is_reported_and_the_rest_works(shared_data, db_url, tmp_path, monkeypatch):
    """The map's unit shapes are written under static/shapes: when that cannot be, the page says so."""
    app_dir = app_without_static(tmp_path / "app")
    for path in ASSETS.values():   # copies: the server refuses files linked from outside static/
        target = app_dir / "static" / "vendor" / "node_modules" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(APP).parent / "static" / "vendor" / "node_modules" / path, target)
    (app_dir / "static" / "shapes").write_text("a file where the folder should be")
    fill_store(db_url)
    monkeypatch.setenv("EVENTMAP_DB", db_url)
    monkeypatch.setenv("EVENTMAP_DATA_DIR", str(shared_data))
    st.cache_resource.clear()   # earlier pages in this process cached where their shapes were written
    at = AppTest.from_file(str(app_dir / "dashboard.py"), default_timeout=120).run()   # one run: no map
    assert not at.exception
    assert any("unit shapes cannot be written" in e.value for e in at.error)
    assert len(at.dataframe[-1].value) == len(ROWS)   # the table still shows every event


def _rest_drawn(at) -> bool:
    return any(s.value.startswith("Events (") for s in at.subheader)


def test_a_new_page_draws_its_map_first_and_the_rest_on_the_maps_report(app, db_url):
    fill_store(db_url)
    at = app.run()
    assert not at.exception
    assert _count_line(at) == f"**{len(ROWS)} of {len(ROWS)} events match**"
    assert not _rest_drawn(at) and len(at.dataframe) == 0 and len(at.get("download_button")) == 0
    at.sidebar.multiselect(key="types").select("Battles").run()   # still waiting: the filters work
    assert _count_line(at) == f"**2 of {len(ROWS)} events match**" and not _rest_drawn(at)
    at.session_state["map"] = {REPORT: "another page's token"}
    at.run()
    assert not _rest_drawn(at)
    at.session_state["map"] = {REPORT: at.session_state["page_token"]}
    at.run()
    assert _rest_drawn(at) and len(at.dataframe[-1].value) == 2
    at.session_state["map"] = {"last_object_clicked_tooltip": None}   # later values lack the report
    at.run()
    assert _rest_drawn(at)


def test_the_rest_comes_without_a_report_once_due(app, db_url):
    """A map that never reports (its script failed): the page draws the rest once it is due."""
    fill_store(db_url)
    at = app.run()
    assert not _rest_drawn(at)
    at.session_state["rest_due"] = 0.0   # what MAP_WAIT seconds after the map was sent look like
    at.run()
    assert _rest_drawn(at) and len(at.dataframe[-1].value) == len(ROWS)


def test_a_map_click_selects_its_district(app, db_url):
    fill_store(db_url)
    at = load(app)
    at.session_state["map"] = {"last_object_clicked_tooltip": "District: Imam Sahib Province: Kunduz "
                                                                "Pcode: AF1905 Events: 1"}
    at.run()
    assert at.sidebar.selectbox(key="district").value == "AF1905"
    assert _count_line(at) == f"**1 of {len(ROWS)} events match**" and _rest_drawn(at)

