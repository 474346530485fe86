"""Afghanistan event map: the Streamlit page (``streamlit run dashboard.py``). UI only.

Reads the event store (EVENTMAP_DB) and the boundaries (EVENTMAP_DATA_DIR); filters in Python;
draws the Folium map through streamlit-folium; downloads exactly the rows shown.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import config
from events.export import csv_bytes, geojson_bytes
from events.pipeline import ingest_uploads
from events.query import EventFilter, apply_filter
from events.store import EventStore
from geo import boundaries
from geo.join import count_by_unit
from geo.maps import TYPE_COLOURS, build_map, legend_html

st.set_page_config(page_title="Afghanistan event map", layout="wide")
ALL = "All"
MAX_TABLE_ROWS = 5_000   # keeps the page small at 100k events
QUICK_RANGES = {"Whole span": None, "Last 7 days": 7, "Last 30 days": 30, "Last 365 days": 365}
TABLE_COLUMNS = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "admin1", "admin2", "location",
                 "geo_precision", "fatalities", "injured", "detained", "displaced", "source", "evidence"]


@st.cache_resource
def get_store(url: str) -> EventStore:
    return EventStore(url)


@st.cache_resource
def web_layers(data_dir: str):
    """Simplified district and province layers (shared borders simplified together)."""
    return {"district": boundaries.web_districts(data_dir), "province": boundaries.web_provinces(data_dir)}


@st.cache_data(show_spinner=False)
def load_events(url: str, version: tuple) -> pd.DataFrame:
    """All stored events; ``version`` changes when an ingest adds rows, refreshing the cache."""
    return get_store(url).events_frame()


def upload_form(store: EventStore, data_dir: str) -> None:
    """Add articles from the page: the same ingest as the command line."""
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader("Add articles (.txt, .html, .jsonl, .csv)", accept_multiple_files=True,
                                 type=["txt", "html", "htm", "jsonl", "csv"])
        if st.form_submit_button("Ingest") and files:
            st.session_state["last_ingest"] = ingest_uploads([(f.name, f.getvalue()) for f in files], store, data_dir)
            st.rerun()   # the page above was drawn from the store before this ingest
    summary = st.session_state.get("last_ingest")
    if summary is not None:
        st.success(str(summary))
        for origin, reason in summary.skipped:
            st.warning(f"Skipped {origin}: {reason}")


def apply_map_click() -> None:
    """A click on a unit (its tooltip, returned by streamlit-folium) selects it in the filters."""
    value = (st.session_state.get("map") or {}).get("last_object_clicked_tooltip")
    if not value or value == st.session_state.get("applied_click"):
        return
    st.session_state["applied_click"] = value
    match = re.search(r"\bAF\d{2}(?:\d{2})?\b", value)
    if match:
        st.session_state["clicked_pcode"] = match.group()


def sidebar_filters(frame: pd.DataFrame, units) -> EventFilter:
    """The sidebar widgets, returned as an EventFilter."""
    sb = st.sidebar
    sb.header("Filters")
    dates = frame["event_date"].dropna()
    first, last = dates.min().date(), dates.max().date()
    quick = sb.radio("Quick range", list(QUICK_RANGES), horizontal=True, key="quick")
    days = QUICK_RANGES[quick]
    default = (max(first, last - timedelta(days=days - 1)), last) if days else (first, last)
    picked = sb.date_input("Date range", value=default, min_value=first, max_value=last, key=f"dates_{quick}_{first}_{last}")
    start, end = picked if isinstance(picked, (tuple, list)) and len(picked) == 2 else default
    if (start, end) == (first, last):
        start = end = None   # the whole span: undated events stay in
    types = sb.multiselect("Event type", sorted(frame["event_type"].dropna().unique()), key="types")
    sub_choices = frame[frame["event_type"].isin(types)] if types else frame
    subtypes = sb.multiselect("Sub-type", sorted(sub_choices["sub_event_type"].dropna().unique()), key="subtypes")
    actors = sorted({a for a in pd.concat([frame["actor1"], frame["actor2"]]).dropna() if a})
    chosen_actors = sb.multiselect("Actor", actors, key="actors")
    provinces = units["province"].sort_values("adm1_name")
    province_names = [ALL] + provinces["adm1_name"].tolist()
    districts = units["district"]
    clicked = st.session_state.pop("clicked_pcode", None)
    if clicked:
        hit = districts[districts["adm2_pcode"] == clicked] if len(clicked) == 6 else pd.DataFrame()
        adm1 = hit["adm1_pcode"].iloc[0] if not hit.empty else clicked[:4]
        st.session_state["province"] = provinces.loc[provinces["adm1_pcode"] == adm1, "adm1_name"].iloc[0]
        st.session_state["district"] = hit["adm2_name"].iloc[0] if not hit.empty else ALL
    province = sb.selectbox("Province", province_names, key="province")
    in_province = districts if province == ALL else districts[districts["adm1_name"] == province]
    district_names = [ALL] + sorted(in_province["adm2_name"].tolist())
    if st.session_state.get("district") not in district_names:
        st.session_state["district"] = ALL
    district = sb.selectbox("District", district_names, key="district")
    precision = sb.select_slider("Max geo precision (1 point ... 5 country)", options=[1, 2, 3, 4, 5], value=5,
                                 key="precision")
    text = sb.text_input("Search evidence and titles", key="text")
    return EventFilter(start=start, end=end, event_types=types, sub_event_types=subtypes, actors=chosen_actors,
                       admin1=[] if province == ALL else [province], admin2=[] if district == ALL else
                       in_province.loc[in_province["adm2_name"] == district, "adm2_pcode"].tolist(),
                       max_precision=precision if precision < 5 else None, text=text)


def charts(shown: pd.DataFrame) -> None:
    """Events per week stacked by type; top districts."""
    left, right = st.columns([2, 1])
    with left:
        st.subheader("Events per week")
        if shown["event_date"].notna().any():
            weekly = (shown.dropna(subset=["event_date"])
                      .assign(week=lambda d: d["event_date"].dt.to_period("W").dt.start_time)
                      .pivot_table(index="week", columns="event_type", values="event_id", aggfunc="count",
                                   fill_value=0))
            st.bar_chart(weekly, stack=True, color=[TYPE_COLOURS.get(t, "#333333") for t in weekly.columns])
    with right:
        st.subheader("Top districts")
        top = (shown.dropna(subset=["admin2"]).groupby(["admin1", "admin2"]).size()
               .sort_values(ascending=False).head(10).rename("events").reset_index())
        st.dataframe(top, hide_index=True, width="stretch")


def main() -> None:
    url, data_dir = config.db_url(), str(config.data_dir())
    store = get_store(url)
    st.title("Afghanistan event map")
    frame = load_events(url, store.version())
    if frame.empty:
        st.info("The event store is empty. Add articles below, or from a terminal:\n\n"
                "`python -m events ingest samples/` (any folder, file or URL of news articles)")
        upload_form(store, data_dir)
        return
    units = web_layers(data_dir)
    apply_map_click()
    spec = sidebar_filters(frame, units)
    shown = apply_filter(frame, spec)
    st.sidebar.markdown(f"**{len(shown)} of {len(frame)} events match**")
    level = st.radio("Map by", ["district", "province"], horizontal=True, key="level")
    counts = count_by_unit(shown, "adm2" if level == "district" else "adm1", data_dir)
    st_folium(build_map(shown, units[level], counts, level), key="map", height=620, use_container_width=True,
              returned_objects=["last_object_clicked_tooltip"])
    st.markdown(legend_html(), unsafe_allow_html=True)
    charts(shown)
    st.subheader(f"Events ({len(shown)})")
    if len(shown) > MAX_TABLE_ROWS:
        st.caption(f"The table shows the latest {MAX_TABLE_ROWS:,} rows; the downloads hold all {len(shown):,}.")
    st.dataframe(shown[TABLE_COLUMNS].tail(MAX_TABLE_ROWS), hide_index=True, width="stretch",
                 column_config={"event_date": st.column_config.DateColumn("event_date", format="YYYY-MM-DD")})
    c1, c2 = st.columns(2)
    c1.download_button("Download CSV", csv_bytes(shown), "events.csv", "text/csv", key="csv")
    c2.download_button("Download GeoJSON", geojson_bytes(shown), "events.geojson", "application/geo+json",
                       key="geojson")
    with st.expander("Add articles"):
        upload_form(store, data_dir)


main()
