"""Afghanistan event map: the Streamlit page (``streamlit run dashboard.py``). UI only.

Reads the event store (EVENTMAP_DB) through ``events.view_query``: the filters become SQL, and the page
gets exact aggregates (summary, choropleth, timeline, charts), a bounded page of rows for the table and
a bounded random sample of points for the map (the page says so).  The boundaries come from
EVENTMAP_DATA_DIR.  The Folium map is drawn through streamlit-folium with Leaflet served by the app
itself (static/vendor, ``npm ci`` at set-up) and the unit shapes written by the page (static/shapes); it
returns only clicks, so an action costs one script run.  The browser keeps the map (and the user's pan and
zoom) across filter changes and redraws only the view's layer (``geo.maps.view_layers``); a new page gets
its map first and the rest once the map reports its first view drawn (or after MAP_WAIT seconds).
Downloads hold every row of the view, made from the database in chunks when their button is clicked.  The
filter widgets are bound to the URL's query parameters, so a view can be shared.  EVENTMAP_UPLOADS=0 hides
the upload form (a shared read-only deployment).
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import secrets
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Final

import altair as alt
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

import config
from events.export import geojson_bytes
from events.pipeline import IngestSummary, ingest_uploads
from events.query import EventFilter, choose_unit
from events.store import EventStore
from events.view_query import Choices, EventView, Summary, summary
from geo import boundaries
from geo.gazetteer import Gazetteer
from geo.maps import (BASEMAPS, MAX_POPUP_MARKERS, METRICS, REPORT, SHOW, TYPE_COLOURS, base_map,
                      missing_assets, province_labels, unit_shapes, view_layers)

log = logging.getLogger("dashboard")
st.set_page_config(page_title="Afghanistan event map", layout="wide")
ALL = "All"
STATIC_DIR = Path(__file__).resolve().parent / "static"   # served by Streamlit under app/static
ASSET_DIR = STATIC_DIR / "vendor" / "node_modules"       # the map's scripts (npm ci at set-up)
SHAPES_DIR = STATIC_DIR / "shapes"                       # the map's unit shapes, written by the page
UPLOADS_ENV = "EVENTMAP_UPLOADS"
MAX_TABLE_ROWS = 1_000   # the table's latest rows: keeps the page small at any size
MAX_MAP_POINTS = 3_000   # points on the map, a random sample beyond that
GEOJSON_MAX_ROWS = 200_000
MAP_HEIGHT = 560
MAP_WAIT = 4.0   # seconds a new page waits for its map's report before drawing the rest anyway
QUICK_RANGES = {"Whole span": None, "Last 7 days": 7, "Last 30 days": 30, "Last 365 days": 365,
                "Custom": None}
# What an analyst reads first (when, what, where, how many, the words and the article), then the rest.
TABLE_COLUMNS = ["event_date", "event_type", "admin1", "admin2", "fatalities", "evidence", "title", "source",
                 "article_url", "sub_event_type", "actor1", "actor2", "location", "geo_precision", "injured",
                 "detained", "displaced", "notes"]
FILTER_LABELS = {"start": "the start date", "end": "the end date", "event_types": "Event type",
                 "sub_event_types": "Sub-type", "actors": "Actor", "admin1": "Province", "admin2": "District",
                 "max_precision": "Max geo precision", "text": "the text search"}
COARSEST_PRECISION = 5   # the precision slider's default: every event, however coarsely placed
FILTER_DEFAULTS = {"quick": "Whole span", "types": [], "subtypes": [], "actors": [], "province": ALL,
                   "district": ALL, "precision": COARSEST_PRECISION, "text": "", "undated": False}
BASEMAP_LABELS = {"offline": "Outlines (offline)", "OpenStreetMap": "OpenStreetMap (online)",
                  "Satellite": "Satellite (online)"}
SHOW_LABELS = {"points": "Points", "heat": "Heat map"}
BIND: Final = "query-params"   # widget state kept in the URL


@st.cache_resource
def get_store(url: str) -> EventStore:
    return EventStore(url)


@st.cache_resource
def web_layers(data_dir: str):
    """Simplified district and province layers (shared borders simplified together)."""
    return {"district": boundaries.web_districts(data_dir), "province": boundaries.web_provinces(data_dir)}


@st.cache_resource
def shape_files(data_dir: str) -> dict[str, str]:
    """Each level's unit shapes (``geo.maps.unit_shapes``) as a file under SHAPES_DIR, named by its
    content, so the browser may cache it for good; level -> file name.  Raises OSError if the folder
    cannot be written."""
    names = {}
    for level, units in web_layers(data_dir).items():
        text = unit_shapes(units, level).encode()
        names[level] = f"{level}-{hashlib.sha256(text).hexdigest()[:16]}.json"
        path = SHAPES_DIR / names[level]
        if not path.is_file():
            SHAPES_DIR.mkdir(parents=True, exist_ok=True)
            partial_file = path.with_suffix(f".{os.getpid()}.part")
            partial_file.write_bytes(text)
            partial_file.replace(path)   # whole or absent, when several pages start at once
    return names


@st.cache_resource
def labels_on_map(data_dir: str) -> list:
    """The provinces' names, written where their province-level events are drawn."""
    return province_labels(boundaries.unit_points(data_dir))


@st.cache_resource
def gazetteer(data_dir: str) -> Gazetteer:
    """The geocoder's names: the place boxes accept every spelling it knows."""
    return Gazetteer.from_config(data_dir)


@st.cache_resource(max_entries=4)
def event_view(url: str, version: tuple) -> EventView:
    """The store as of ``version`` (changes when an ingest adds rows, refreshing every cache below)."""
    return EventView(get_store(url))


@st.cache_data(show_spinner=False, max_entries=4)
def choices(url: str, version: tuple) -> Choices:
    return event_view(url, version).choices()


# Answers for a filter, shared by reruns and sessions; ``key`` is the filter's repr (``_spec`` unhashed).
@st.cache_data(show_spinner=False, max_entries=64)
def unit_totals(url: str, version: tuple, key: str, _spec: EventFilter) -> pd.DataFrame:
    return event_view(url, version).unit_totals(_spec)


@st.cache_data(show_spinner=False, max_entries=64)
def daily(url: str, version: tuple, key: str, _spec: EventFilter) -> pd.DataFrame:
    return event_view(url, version).daily(_spec)


@st.cache_data(show_spinner=False, max_entries=64)
def probable_repeats(url: str, version: tuple, key: str, _spec: EventFilter) -> tuple[int, int]:
    return event_view(url, version).probable_repeats(_spec)


@st.cache_data(show_spinner=False, max_entries=16)
def map_sample(url: str, version: tuple, key: str, _spec: EventFilter) -> tuple[pd.DataFrame, int]:
    return event_view(url, version).sample(_spec, MAX_MAP_POINTS, whole_rows=MAX_POPUP_MARKERS)


@st.cache_data(show_spinner=False, max_entries=16)
def table_rows(url: str, version: tuple, key: str, _spec: EventFilter) -> pd.DataFrame:
    return event_view(url, version).rows(_spec, limit=MAX_TABLE_ROWS)


def uploads_enabled() -> bool:
    return os.environ.get(UPLOADS_ENV, "1").strip().lower() not in ("0", "false", "no", "off")


def upload_form(store: EventStore, data_dir: str) -> None:
    """Add articles from the page: the same ingest as the command line, one file at a time, so a file
    that fails loses nothing of the others."""
    with st.form("upload", clear_on_submit=True):
        files = st.file_uploader("Add articles (.txt, .html, .jsonl, .csv)", accept_multiple_files=True,
                                 type=["txt", "html", "htm", "jsonl", "csv"])
        if st.form_submit_button("Ingest") and files:
            total = IngestSummary()
            for upload in files:
                try:
                    total.add(ingest_uploads([(upload.name, upload.getvalue())], store, data_dir))
                except Exception as exc:   # this file only; the error goes to the log, not the page
                    log.exception("ingesting the upload %r failed", upload.name)
                    total.skipped.append((upload.name, f"could not be stored ({exc.__class__.__name__})"))
            st.session_state["last_ingest"] = total
            st.rerun()   # the page above was drawn from the store before this ingest
    summary = st.session_state.get("last_ingest")
    if summary is not None:
        st.success(str(summary))
        for origin, reason in summary.skipped:   # file names and reasons are user text: plain, not Markdown
            st.text(f"Skipped {origin}: {reason}")


# ---- filter state ----------------------------------------------------------------------------------

def unit_labels(units) -> dict[str, str]:
    """pcode -> label: provinces by name, districts by name with their province where names repeat."""
    provinces, districts = units["province"], units["district"]
    labels = dict(zip(provinces["adm1_pcode"], provinces["adm1_name"], strict=True))
    repeated = districts["adm2_name"].duplicated(keep=False)
    for row, twin in zip(districts.itertuples(), repeated, strict=True):
        labels[row.adm2_pcode] = f"{row.adm2_name} ({row.adm1_name})" if twin else row.adm2_name
    return labels


def resolve_place(key: str, feature: str, choices: list[str], data_dir: str, labels: dict[str, str]) -> None:
    """A place box's callback: a typed spelling ("Helmand", "Lashkar Gah", a pcode) becomes the unit."""
    found, note = choose_unit(str(st.session_state.get(key) or ""), choices, gazetteer(data_dir), feature,
                              labels)
    if note:
        st.session_state["place_note"] = note
    st.session_state[key] = found or ALL
    if key == "province":
        st.session_state["district"] = ALL
    elif st.session_state[key] != ALL:
        st.session_state["province"] = st.session_state[key][:4]


def apply_pending() -> None:
    """Changes asked for since the last run (map click, play, step buttons), applied before the widgets
    are drawn: a widget's state cannot change once it is on the page."""
    for key, value in st.session_state.pop("pending", {}).items():
        if key == "dates":
            keep_dates(value)
        else:
            st.session_state[key] = value


def keep_dates(dates: tuple[date, date]) -> None:
    """Show the range ``dates`` and keep it in the URL ("dates" is kept there by the page, not bound to the
    date box: a bound box does not write a range set by the page's own controls, week steps, the timeline
    or play, so a shared link lost it)."""
    st.session_state["dates"] = tuple(dates)
    st.session_state["quick"] = "Custom"
    st.query_params["dates"] = [day.isoformat() for day in dates]


def dates_from_url() -> None:
    """A range in the page's URL (a shared link) is the range shown, once per session."""
    if "dates" in st.session_state or "dates" not in st.query_params:
        return
    try:
        start, end = (date.fromisoformat(day) for day in st.query_params.get_all("dates"))
    except ValueError:   # not two ISO dates: the link's range is dropped
        st.query_params.pop("dates", None)
        return
    keep_dates((min(start, end), max(start, end)))


def ask(**changes) -> None:
    """Queue widget-state changes for the next run."""
    st.session_state.setdefault("pending", {}).update(changes)


def apply_map_click() -> None:
    """A click on a unit (its tooltip, returned by streamlit-folium) selects it in the filters."""
    value = (st.session_state.get("map") or {}).get("last_object_clicked_tooltip")
    if not value or value == st.session_state.get("applied_click"):
        return
    st.session_state["applied_click"] = value
    match = re.search(r"\bAF\d{2}(?:\d{2})?\b", value)
    if match:
        pcode = match.group()
        st.session_state["province"] = pcode[:4]
        st.session_state["district"] = pcode if len(pcode) == 6 else ALL


def reset_filters() -> None:
    for key, value in FILTER_DEFAULTS.items():
        st.session_state[key] = value
    st.session_state.pop("dates", None)
    st.session_state["play"] = False
    st.query_params.pop("dates", None)


def quick_range(first: date, last: date) -> tuple[date, date]:
    """The dates of the chosen quick range, counted back from today."""
    days = QUICK_RANGES.get(str(st.session_state.get("quick")))
    today = date.today()
    return (today - timedelta(days=days - 1), today) if days else (first, last)


def set_quick(first: date, last: date) -> None:
    if st.session_state.get("quick") != "Custom":
        st.session_state["dates"] = quick_range(first, last)
        st.query_params.pop("dates", None)   # the quick range, in the URL, says it


def dates_edited() -> None:
    picked = st.session_state.get("dates")
    if isinstance(picked, (tuple, list)) and len(picked) == 2:
        keep_dates((picked[0], picked[1]))
    else:
        st.session_state["quick"] = "Custom"


def span(stored: Choices) -> tuple[date, date]:
    """The first and last event dates (today when nothing is dated)."""
    return stored.first or date.today(), stored.last or date.today()


def sidebar_filters(stored: Choices, units, labels: dict[str, str], data_dir: str) -> EventFilter:
    """The sidebar widgets, returned as an EventFilter."""
    sb = st.sidebar
    sb.header("Filters")
    sb.button("Reset filters", on_click=reset_filters, key="reset")
    first, last = span(stored)
    today = date.today()
    low, high = min(first, today - timedelta(days=365)), max(last, today)
    sb.radio("Quick range", list(QUICK_RANGES), horizontal=True, key="quick", on_change=set_quick,
             args=(first, last), bind=BIND)
    if "dates" not in st.session_state or st.session_state["quick"] != "Custom":
        st.session_state["dates"] = quick_range(first, last)   # follows new data and today's date
    elif len(kept := st.session_state["dates"]) == 2:   # a link's range may reach past the box's bounds
        st.session_state["dates"] = tuple(min(max(day, low), high) for day in kept)
    picked = sb.date_input("Date range", min_value=low, max_value=high, key="dates", on_change=dates_edited)
    start, end = picked if isinstance(picked, (tuple, list)) and len(picked) == 2 else (first, last)
    if QUICK_RANGES.get(st.session_state["quick"]) and last < today:
        sb.caption(f"Counted from today ({today}); the dated events end on {last}.")
    whole_span = start <= first and end >= last   # then undated events stay in
    undated = stored.undated > 0 and sb.checkbox(
        "Keep undated events in a date range", key="undated", bind=BIND,
        help="Events whose article gives no date (most news records carry none) have no place on a "
             "calendar; a date range leaves them out unless kept.")
    types = sb.multiselect("Event type", stored.types, key="types", bind=BIND)
    sub_choices = sorted({sub for kind in (types or stored.types) for sub in stored.sub_types.get(kind, [])})
    subtypes = sb.multiselect("Sub-type", sub_choices, key="subtypes", bind=BIND)
    chosen_actors = sb.multiselect("Actor", stored.actors, key="actors", bind=BIND)
    provinces = [ALL] + units["province"].sort_values("adm1_name")["adm1_pcode"].tolist()
    if st.session_state.get("province") not in provinces:
        st.session_state["province"] = ALL
    province = sb.selectbox("Province (any spelling or pcode)", provinces, key="province", bind=BIND,
                            format_func=lambda p: labels.get(p, p), accept_new_options=True,
                            on_change=resolve_place,
                            args=("province", "province", provinces, data_dir, labels))
    districts = units["district"]
    in_province = districts if province == ALL else districts[districts["adm1_pcode"] == province]
    district_codes = [ALL] + sorted(in_province["adm2_pcode"], key=lambda p: labels[p])
    if st.session_state.get("district") not in district_codes:
        st.session_state["district"] = ALL
    district = sb.selectbox("District (any spelling or pcode)", district_codes, key="district", bind=BIND,
                            format_func=lambda p: labels.get(p, p), accept_new_options=True,
                            on_change=resolve_place,
                            args=("district", "district", district_codes, data_dir, labels))
    if note := st.session_state.pop("place_note", None):
        sb.warning(note)
    # its default named, so that it stays out of the URL (a slider's own default is its first option)
    precision = sb.select_slider("Max geo precision (1 point ... 5 country)", options=[1, 2, 3, 4, 5],
                                 value=COARSEST_PRECISION, key="precision", bind=BIND)
    text = sb.text_input("Search evidence and titles", key="text", bind=BIND)
    return EventFilter(start=None if whole_span else start, end=None if whole_span else end,
                       event_types=types, sub_event_types=subtypes,
                       actors=chosen_actors, admin1=[] if province == ALL else [province],
                       admin2=[] if district == ALL else [district],
                       max_precision=precision if precision < COARSEST_PRECISION else None, text=text,
                       undated=undated)


# ---- the view ----------------------------------------------------------------------------------

def plural(n: int, word: str) -> str:
    """ "1 event", "2 events", "1,200 provinces" ("y" to "ies" after a consonant)."""
    if n == 1:
        return f"1 {word}"
    return f"{n:,} {word[:-1] + 'ies' if word.endswith('y') and word[-2:-1] not in 'aeiou' else word + 's'}"


def summary_line(figures: Summary, total: int) -> str:
    return (f"**{plural(figures.events, 'event')}** of {total:,} · **{figures.fatalities:,}** fatalities · "
            f"**{plural(figures.provinces, 'province')}** · "
            f"**{plural(figures.districts, 'district')}** affected")


def placement_note(figures: Summary, repeats: tuple[int, int] = (0, 0)) -> str:
    """What the map cannot show of the view, and how to read its figures (``repeats``: events, and
    fatalities, that look like another article's report of one attack: ``EventView.probable_repeats``)."""
    parts = []
    if figures.province_only:
        parts.append(f"{plural(figures.province_only, 'event')} placed only by province (drawn as rings at "
                     "the province's centre)")
    if figures.country_only:
        parts.append(f"{plural(figures.country_only, 'event')} placed only in Afghanistan (on no map; in the "
                     "table and downloads)")
    note = "; ".join(parts)
    fatalities = ("Fatalities are as each article reports them: an attack told by several undated articles "
                  "counts in each")
    events, killed = repeats
    if events:
        fatalities += (f"; {plural(events, 'event')} ({plural(killed, 'fatality')}) look like repeats: the "
                       "same type, place, date and killed figure as another event shown")
    return f"{note[:1].upper()}{note[1:]}. {fatalities}." if note else f"{fatalities}."


def unit_values(totals: pd.DataFrame, level: str, metric: str) -> pd.DataFrame:
    """One row per unit with events and its ``count``: events, or fatalities summed."""
    code = "adm2_pcode" if level == "district" else "adm1_pcode"
    column = "fatalities" if metric == "fatalities" else "events"
    return totals.groupby(code)[column].sum().rename("count").reset_index()


def selected_units(units, province: str, district: str):
    """The selected district or province (GeoDataFrame rows), or None."""
    if district != ALL:
        return units["district"][units["district"]["adm2_pcode"] == district]
    if province != ALL:
        return units["province"][units["province"]["adm1_pcode"] == province]
    return None


def map_section(url: str, version: tuple, spec: EventFilter, totals: pd.DataFrame, province_only: int, units,
                data_dir: str) -> bool:
    """The map: a base that the browser keeps (units, outlines, legend box) and the view's layer (points
    or heat, colours, selection), so a filter change redraws only the view's layer.  Returns whether a
    map was drawn (False when the page says why it cannot be)."""
    c1, c2, c3, c4 = st.columns(4)
    level = c1.radio("Map by", ["district", "province"], horizontal=True, key="level", bind=BIND)
    metric = c2.radio("Colour by", list(METRICS), horizontal=True, key="metric", bind=BIND)
    show = c3.radio("Events as", list(SHOW), format_func=SHOW_LABELS.__getitem__, horizontal=True, key="show",
                    bind=BIND)
    basemap = c4.selectbox("Basemap", BASEMAPS, format_func=BASEMAP_LABELS.__getitem__, key="basemap",
                           bind=BIND)
    problem = map_problem()
    if problem:
        st.error(problem)
        return False
    try:
        files = shape_files(data_dir)
    except OSError as err:
        st.error(f"The map cannot be drawn: its unit shapes cannot be written to {SHAPES_DIR} ({err}). "
                 "The counts, charts and table below still work.")
        return False
    shapes = {level: static_url(SHAPES_DIR / name) for level, name in files.items()}
    points, located = map_sample(url, version, repr(spec), spec)
    if located > len(points):
        st.caption(f"Showing a random {len(points):,} of {located:,} events on the map; the counts, map "
                   "colours, charts and downloads are exact.")
    selected = selected_units(units, st.session_state.get("province", ALL),
                              st.session_state.get("district", ALL))
    assets = static_url(ASSET_DIR)
    fmap = base_map(level, shapes=shapes, asset_url=assets, metric=metric, labels=labels_on_map(data_dir),
                    basemap=basemap)
    layer = view_layers(points, unit_values(totals, level, metric), level, asset_url=assets, metric=metric,
                        show=show, selected=selected, report=page_token(),
                        above_level=province_only, highlight=st.session_state.get("highlight"))
    st_folium(fmap, key="map", height=MAP_HEIGHT, use_container_width=True, feature_group_to_add=layer,
              returned_objects=["last_object_clicked_tooltip"])
    return True


# ---- a new page: the map first, the rest when the map is drawn ------------------------------------

def page_token() -> str:
    """This page's token, sent with the map's view and sent back by the map once its first view is drawn
    (``geo.maps.ViewUpdate``); the same on every run of the page."""
    return st.session_state.setdefault("page_token", secrets.token_hex(8))


def map_reported() -> bool:
    """Whether the map has reported its first view drawn (its component value, kept under "map")."""
    return (st.session_state.get("map") or {}).get(REPORT) == page_token()


def page_complete(map_drawn: bool) -> bool:
    """Whether this run draws the page below the map.  A new page waits for its map's report, so that the
    browser builds the map without the rest of the page competing for the machine; without a map, or
    once MAP_WAIT has passed since the map was sent, it does not wait."""
    due = st.session_state.setdefault("rest_due", time.monotonic() + MAP_WAIT)
    if not map_drawn or map_reported() or time.monotonic() >= due:
        st.session_state["page_drawn"] = True   # for good: later runs draw the whole page
    return bool(st.session_state.get("page_drawn"))


@st.fragment(run_every=MAP_WAIT)
def rest_when_due() -> None:
    """Draws nothing; reruns the whole page once the rest is due, for a map that never reports (its script
    failed, or the browser is slow).  Streamlit stops the timer when a run no longer calls this."""
    if time.monotonic() >= st.session_state.get("rest_due", 0.0):
        st.rerun(scope="app")


def static_url(path: Path) -> str:
    """URL path of a file or folder under STATIC_DIR as the browser sees it (under any server.baseUrlPath)."""
    relative = path.relative_to(STATIC_DIR).as_posix()
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/{relative}" if base else f"/app/static/{relative}"


def map_problem() -> str | None:
    """Why the map cannot be drawn, in words, or None."""
    if not st.get_option("server.enableStaticServing"):
        return ("The map cannot be drawn: static file serving is off. Start the page with `make run` "
                "(or `streamlit run dashboard.py --server.enableStaticServing true`).")
    missing = missing_assets(ASSET_DIR, served_from=STATIC_DIR)
    if missing:
        return (f"The map cannot be drawn: {len(missing)} of its script files are missing from "
                "static/vendor, or linked there from outside static/, which the server does not serve "
                f"({', '.join(missing[:2])}...). Run `make setup` (it runs `npm ci` there) and reload. "
                "The counts, charts and table below still work.")
    return None


def weekly(days: pd.DataFrame) -> pd.DataFrame:
    """Per-day counts (``EventView.daily``) summed per week (weeks start on Monday), one column per type."""
    week = days["event_date"].dt.to_period("W").dt.start_time
    return days.pivot_table(index=week, columns="event_type", values="events", aggfunc="sum", fill_value=0)


def week_bars(weeks: pd.DataFrame, height: int, span: tuple[date, date] | None = None,
              by_type: bool = True) -> alt.Chart:
    """Bars of events per week (``weekly``), stacked by type in the map's colours or in one colour, on a
    date axis that says day, month and year; ``span``: the axis's first and last day."""
    bars = weeks.rename_axis("week").reset_index().melt(id_vars="week", var_name="type", value_name="events")
    scale = alt.Scale(domain=[day.isoformat() for day in span]) if span else alt.Undefined
    colour = (alt.Color("type:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=0),
                        scale=alt.Scale(domain=list(TYPE_COLOURS), range=list(TYPE_COLOURS.values())))
              if by_type else alt.value("#cb181d"))
    axis = alt.Axis(format="%d %b %Y", labelAngle=0, labelFlush=True)   # the end labels inside the chart
    return (alt.Chart(bars).mark_bar().encode(
        x=alt.X("week:T", title=None, scale=scale, axis=axis),
        y=alt.Y("sum(events):Q", title="events"), color=colour,
        tooltip=[alt.Tooltip("week:T", title="week of", format="%d %b %Y"), "type:N", "events:Q"])
        .properties(height=height))


def timeline(undated_days: pd.DataFrame, first: date, last: date) -> None:
    """Events per week over the whole span (current filters except dates), the range as a slider, and
    week-by-week stepping or playback; every control writes the sidebar's date range."""
    start, end = st.session_state["dates"] if len(st.session_state.get("dates") or ()) == 2 else (first, last)
    low, high = min(first, start), max(last, end)
    if len(undated_days):   # on the slider's span, so that its thumbs stand under their dates
        st.altair_chart(week_bars(weekly(undated_days), 110, (low, high), by_type=False), width="stretch")
    if low < high:
        st.slider("Timeline", min_value=low, max_value=high, value=(max(start, low), min(end, high)),
                  step=timedelta(days=1), key=f"timeline_{start}_{end}", on_change=timeline_moved,
                  args=(f"timeline_{start}_{end}",), label_visibility="collapsed")
    b1, b2, b3, _ = st.columns([1, 1, 1.4, 3])
    b1.button("◀ Week", on_click=step_week, args=(-7, first, last), key="week_back")
    b2.button("Week ▶", on_click=step_week, args=(7, first, last), key="week_next")
    b3.toggle("Play weeks", key="play")


def timeline_moved(key: str) -> None:
    keep_dates(st.session_state[key])


def step_week(days: int, first: date, last: date) -> None:
    """Show one week: the next (or previous) after the current week; from a longer range (the whole span
    to begin with), its first week going forward, its last going back."""
    current = st.session_state.get("dates") or (first, last)
    if current[1] - current[0] == timedelta(days=6):
        start = current[0] + timedelta(days=days)
    else:
        start = current[0] if days > 0 else current[1] - timedelta(days=6)
    start = min(max(start, first), last)
    keep_dates((start, start + timedelta(days=6)))


def play_next(first: date, last: date) -> None:
    """While playing: wait, then move to the next week (stopping after the data's end)."""
    time.sleep(1.0)
    current = st.session_state.get("dates") or (first, last)
    start = current[0] + timedelta(days=7) if current[1] - current[0] == timedelta(days=6) else first
    if start > last:
        ask(play=False)
    else:
        ask(dates=(start, start + timedelta(days=6)))
    st.rerun()


def charts(days: pd.DataFrame, totals: pd.DataFrame, labels: dict[str, str]) -> None:
    """Events per week stacked by type; events and fatalities by province; top districts."""
    left, right = st.columns([2, 1])
    with left:
        st.subheader("Events per week")
        if len(days):
            st.altair_chart(week_bars(weekly(days), 260), width="stretch")
    with right:
        st.subheader("By province")
        st.dataframe(by_province(totals, labels), hide_index=True, width="stretch", height=220)
        st.subheader("Top districts")
        top = totals.dropna(subset=["adm2_pcode"]).nlargest(10, "events", keep="first")
        top = pd.DataFrame({"province": top["adm1_pcode"].map(labels),
                            "district": top["adm2_pcode"].map(labels), "events": top["events"]})
        st.dataframe(top, hide_index=True, width="stretch")


def by_province(totals: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Events and fatalities per province (those placed only by province included), most events first."""
    per = totals.dropna(subset=["adm1_pcode"]).groupby("adm1_pcode")[["events", "fatalities"]].sum()
    per = per.sort_values(["events", "fatalities"], ascending=False).reset_index()
    return pd.DataFrame({"province": per["adm1_pcode"].map(labels), "events": per["events"],
                         "fatalities": per["fatalities"]})


def table(rows: pd.DataFrame, count: int) -> None:
    """The latest MAX_TABLE_ROWS rows; selecting one locates it on the map."""
    st.subheader(f"Events ({count:,})")
    if count > len(rows):
        st.caption(f"The table shows the latest {len(rows):,} rows; the downloads hold all {count:,}.")
    shown = rows[TABLE_COLUMNS].copy()
    words = [c for c in shown.select_dtypes(exclude=["number", "datetime"]).columns if c != "article_url"]
    shown[words] = shown[words].fillna("")   # an unknown actor or district is a blank cell, not "None"
    picked = st.dataframe(
        shown, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
        key="table", column_config={
            "event_date": st.column_config.DateColumn("event_date", format="YYYY-MM-DD"),
            "article_url": st.column_config.LinkColumn("link", display_text="open")})
    chosen = picked.selection.rows if picked is not None and hasattr(picked, "selection") else []
    if not chosen and st.session_state.pop("located_rows", None):
        st.session_state.pop("highlight", None)   # the row unselected: its mark goes from the map
        st.rerun()
    if chosen and chosen != st.session_state.get("located_rows"):
        st.session_state["located_rows"] = chosen
        row = rows.iloc[chosen[0]]
        if pd.notna(row["latitude"]) and pd.notna(row["longitude"]):
            st.session_state["highlight"] = row.to_dict()   # the map zooms to it, marked, its popup open
            st.rerun()


def csv_file(view: EventView, spec: EventFilter) -> io.BytesIO:
    """The CSV of every row of the view, written from the database chunk by chunk."""
    out = io.BytesIO()
    for piece in view.csv_chunks(spec):
        out.write(piece)
    return out


def geojson_file(view: EventView, spec: EventFilter) -> bytes:
    return geojson_bytes(view.rows(spec))


def downloads(view: EventView, spec: EventFilter, count: int) -> None:
    """Each file is made only when its button is clicked (Streamlit runs the callable then), from the rows
    of the view; GeoJSON (one document, built whole) only up to GEOJSON_MAX_ROWS."""
    left, right = st.columns(2)
    name = spec.file_stem()
    left.download_button(f"Download CSV ({count:,} rows)", partial(csv_file, view, spec), f"{name}.csv",
                         "text/csv", key="get_CSV", on_click="ignore")
    if count <= GEOJSON_MAX_ROWS:
        right.download_button(f"Download GeoJSON ({count:,} rows)", partial(geojson_file, view, spec),
                              f"{name}.geojson", "application/geo+json", key="get_GeoJSON", on_click="ignore")
    else:
        right.caption(f"GeoJSON is offered up to {GEOJSON_MAX_ROWS:,} rows; for more, narrow the filters or "
                      "use `python -m events export --format geojson`.")


def main() -> None:
    url, data_dir = config.db_url(), str(config.data_dir())
    store = get_store(url)
    st.title("Afghanistan event map")
    version = store.version()
    stored = choices(url, version)
    if not stored.total:
        st.info("The event store is empty. Add articles below, or from a terminal:\n\n"
                "`python -m events ingest samples/` (any folder, file or URL of news articles)")
        if uploads_enabled():
            upload_form(store, data_dir)
        return
    view = event_view(url, version)
    units = web_layers(data_dir)
    apply_pending()
    for key, value in FILTER_DEFAULTS.items():
        st.session_state.setdefault(key, value)
    dates_from_url()
    apply_map_click()
    labels = unit_labels(units)
    spec = sidebar_filters(stored, units, labels, data_dir)
    totals = unit_totals(url, version, repr(spec), spec)
    figures = summary(totals)
    st.sidebar.markdown(f"**{figures.events:,} of {stored.total:,} events match**")
    left_out = view.undated_left_out(spec)
    if left_out:
        st.sidebar.caption(f"The date range leaves out {plural(left_out, 'undated event')} matching the "
                           "other filters (tick *Keep undated events in a date range* to show them).")
    st.markdown(summary_line(figures, stored.total))
    st.caption(placement_note(figures, probable_repeats(url, version, repr(spec), spec)))
    if not figures.events and left_out:
        st.warning(f"No dated event matches; the other filters match {plural(left_out, 'undated event')}. "
                   "Tick *Keep undated events in a date range* in the sidebar, or widen the dates.")
    elif not figures.events:
        back = [f"without {FILTER_LABELS.get(name, name)}, {plural(n, 'event')}"
                for name, n in view.counts_without_each(spec).items() if n]
        st.warning("No event matches these filters together" + (f" ({'; '.join(back)})" if back else "")
                   + ". Change one, or use Reset filters in the sidebar.")
    drawn = map_section(url, version, spec, totals, figures.province_only, units, data_dir)
    if not page_complete(drawn):
        rest_when_due()
        return
    undated = spec.without_dates()
    undated_days = daily(url, version, repr(undated), undated)
    first, last = span(stored)
    timeline(undated_days, first, last)
    charts(daily(url, version, repr(spec), spec), totals, labels)
    table(table_rows(url, version, repr(spec), spec), figures.events)
    downloads(view, spec, figures.events)
    if uploads_enabled():
        with st.expander("Add articles"):
            upload_form(store, data_dir)
    if st.session_state.get("play"):
        play_next(first, last)


try:
    main()
except Exception:   # the details go to the server's log; the page gets a sentence
    log.exception("the dashboard failed")
    st.error("Something went wrong while drawing this page; the details are in the server's log. "
             "Try Reset filters, or reload the page.")
