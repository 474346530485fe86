"""Events within a polygon or a box: in SQL on PostGIS (a geometry column with a GiST index), by box in
SQL and shapely on SQLite or PostgreSQL without PostGIS -- the same rows either way.  Polygons are real
province boundaries; the points are scattered over one province and its neighbours."""
from __future__ import annotations

import logging
import random
from dataclasses import replace
from datetime import date, timedelta

import geopandas as gpd
import pytest
import shapely
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from events import spatial
from events.model import Article, Event, article_id
from events.store import EventStore, events
from geo.boundaries import load_provinces
from geo.geocode import Geocoder
from geo.place import Place

PROVINCE = "AF01"   # Kabul: small, with six neighbours inside its bounding box
POINTS = 300
BOX = (69.0, 34.3, 69.4, 34.6)


@pytest.fixture(scope="module")
def provinces(shared_data) -> gpd.GeoDataFrame:
    return load_provinces(shared_data).set_index("adm1_pcode")


@pytest.fixture(scope="module")
def batch(provinces, shared_data) -> list[tuple[Article, list[Event]]]:
    """Events at random points of the province's bounding box, each placed by the geocoder in the
    province whose boundary holds the point; two on the edge of BOX; two without a place."""
    geocoder = Geocoder.from_config(shared_data)
    rng = random.Random(20261125)
    west, south, east, north = provinces.geometry[PROVINCE].bounds
    points = [(rng.uniform(west, east), rng.uniform(south, north)) for _ in range(POINTS)]
    points += [(BOX[0], 34.45), (BOX[2], BOX[3])]
    found = []
    for number, (lon, lat) in enumerate(points):
        holder = next(code for code, shape in provinces.geometry.items()
                      if shapely.intersects_xy(shape, lon, lat))
        province = geocoder.find(f"{provinces.adm1_name[holder]} province")[0]
        assert province.adm1_pcode == holder
        found.append(_report(number, replace(province, latitude=lat, longitude=lon)))
    found += [_report(POINTS + 10 + extra, None) for extra in range(2)]
    return found


def _report(number: int, place: Place | None) -> tuple[Article, list[Event]]:
    """One article with one event; dates three days apart, so that no two reports are merged."""
    text_ = f"Report {number}: fighting."
    article = Article(id=article_id(text_), text=text_, title=text_)
    event = Event(event_type="Battles", sub_event_type="Armed clash", evidence=text_, evidence_start=0,
                  evidence_end=len(text_), event_date=date(2015, 1, 1) + timedelta(days=3 * number),
                  time_precision=1, place=place, confidence=0.8, article_id=article.id,
                  extractor_version="test", event_id=f"e{number:04d}")
    return article, [event]


def _placed(batch, keep) -> list[str]:
    """Ids of the batch's events whose place passes ``keep``."""
    return sorted(event.event_id for _, found in batch for event in found
                  if event.place and keep(event.place))


def _in_box(place: Place) -> bool:
    assert place.longitude is not None and place.latitude is not None
    return BOX[0] <= place.longitude <= BOX[2] and BOX[1] <= place.latitude <= BOX[3]


@pytest.fixture(params=["sqlite", "postgis"])
def store(request, tmp_path, batch) -> EventStore:
    url = (f"sqlite:///{tmp_path / 'events.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgis_url"))
    store = EventStore(url)
    store.ingest(batch)
    assert store.geometry == (request.param == "postgis")
    return store


def test_events_within_a_province_are_the_events_placed_in_it(store, batch, provinces):
    expected = _placed(batch, lambda place: place.adm1_pcode == PROVINCE)
    neighbours_in_box = _placed(batch, lambda place: place.adm1_pcode not in (PROVINCE, None))
    assert len(expected) > 20 and len(neighbours_in_box) > 20   # the box alone would not do
    frame = store.events_within(provinces.geometry[PROVINCE])
    assert sorted(frame["event_id"]) == expected
    assert set(frame["adm1_pcode"]) == {PROVINCE}


def test_events_within_a_box_include_its_edges(store, batch):
    frame = store.events_within(BOX)
    assert sorted(frame["event_id"]) == _placed(batch, _in_box)
    assert {"e0300", "e0301"} <= set(frame["event_id"])   # on the west edge, on the north-east corner


def test_within_rows_are_the_read_api_rows(store):
    everything = store.events_frame().set_index("event_id")
    frame = store.events_within(BOX).set_index("event_id")
    assert list(frame.columns) == list(everything.columns)
    assert frame.equals(everything.loc[frame.index])


def test_bad_shapes_are_clear_errors(store):
    for bad in [(70, 35, 69, 36), (69, 34, 70), "Kabul", (69, 34, float("nan"), 35), shapely.Polygon()]:
        with pytest.raises(ValueError):
            store.events_within(bad)


def test_sqlite_and_postgis_give_the_same_rows(tmp_path, postgis_url, batch, provinces):
    lite, gis = EventStore(f"sqlite:///{tmp_path / 'events.db'}"), EventStore(postgis_url)
    for store in (lite, gis):
        store.ingest(batch)
    for shape in [BOX, provinces.geometry[PROVINCE], provinces.geometry["AF03"], provinces.union_all()]:
        one, other = lite.events_within(shape), gis.events_within(shape)
        assert list(one["event_id"]) == list(other["event_id"])
        columns = ["latitude", "longitude", "adm1_pcode"]
        assert one[columns].equals(other[columns])


def test_geometry_is_filled_on_ingest_and_reingest_changes_nothing(postgis_url, batch):
    store = EventStore(postgis_url)
    store.ingest(batch)
    again = store.ingest(batch)
    assert (again.articles_new, again.events_new) == (0, 0)
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT count(*), count(geom), count(*) FILTER (WHERE ST_X(geom) = longitude"
                                 " AND ST_Y(geom) = latitude AND ST_SRID(geom) = 4326) FROM events")).one()
        kind = conn.scalar(text("SELECT type FROM geometry_columns WHERE f_table_name = 'events'"))
        index = conn.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_events_geom'"))
    assert tuple(rows) == (POINTS + 4, POINTS + 2, POINTS + 2)
    assert kind == "POINT" and "USING gist (geom)" in index


def test_the_spatial_condition_uses_the_index(postgis_url, provinces):
    store = EventStore(postgis_url)
    query = select(events.c.event_id).where(spatial.within(events, provinces.geometry[PROVINCE], True))
    sql = str(query.compile(dialect=store.engine.dialect, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))   # an empty table: make the planner show its choice
        plan = "\n".join(conn.exec_driver_sql(f"EXPLAIN {sql}").scalars())
    assert "ix_events_geom" in plan


def test_an_existing_store_gets_its_geometry(postgis_url, batch):
    store = EventStore(postgis_url)
    store.ingest(batch)
    with store.engine.begin() as conn:   # as the store was before PostGIS: no column, no index
        conn.execute(text("ALTER TABLE events DROP COLUMN geom"))
    reopened = EventStore(postgis_url)
    assert reopened.geometry
    assert len(reopened.events_within(BOX)) == len(_placed(batch, _in_box))
    with reopened.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(geom) FROM events")) == POINTS + 2


def test_without_postgis_the_store_works_and_says_so_once(postgis_server, batch, provinces, caplog):
    """A role that may not create extensions (PostGIS is not a trusted one) on a database of its own."""
    name = f"plain{random.randrange(10**9)}"
    admin = create_engine(f"{postgis_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {name} LOGIN"))
        conn.execute(text(f"CREATE DATABASE {name} OWNER {name}"))
    admin.dispose()
    url = make_url(f"{postgis_server}/{name}").set(username=name).render_as_string(hide_password=False)
    with caplog.at_level(logging.WARNING, logger="events.spatial"):
        first, second = EventStore(url), EventStore(url)
    assert not first.geometry and not second.geometry
    warnings = [r for r in caplog.records if "no PostGIS geometry" in r.getMessage()]
    assert len(warnings) == 1 and "permission denied" in warnings[0].getMessage()
    first.ingest(batch)
    assert sorted(second.events_within(provinces.geometry[PROVINCE])["event_id"]) == _placed(
        batch, lambda place: place.adm1_pcode == PROVINCE)
