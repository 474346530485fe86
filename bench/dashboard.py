"""Dashboard speed: ``python -m bench dashboard [--data-dir DIR] [--sizes 1000 10000 100000]``.

Writes SYNTHETIC events (districts and dates sampled at random; not real events) of each size into a
SQLite store and times what a filter change costs the page's server side: the SQL queries
(``events.view_query``), building the Folium map and rendering its HTML, and the view's layer (what the
browser redraws on a filter change); prints their sizes.
The browser's view of it: ``python -m bench browser``.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert
from streamlit_folium import generate_leaflet_string

import config
from events.model import EXPORT_COLUMNS
from events.query import EventFilter
from events.store import EventStore, articles, event_sources, events
from events.view_query import EventView
from geo import boundaries
from geo.maps import TYPE_COLOURS, base_map, province_labels, unit_shapes, view_layers

INSERT_CHUNK = 5_000
ASSET_URL = "/app/static/vendor/node_modules"
SHAPES = {"district": "/app/static/shapes/district.json", "province": "/app/static/shapes/province.json"}


def synthetic_events(n: int, seed: int = 0, data_dir=None) -> pd.DataFrame:
    """``n`` synthetic events at random district points and dates (2019-2021), labelled synthetic."""
    rng = np.random.default_rng(seed)
    points = boundaries.unit_points(data_dir)
    districts = points[points["level"] == "adm2"].reset_index(drop=True)
    adm1 = points["level"] == "adm1"
    names = dict(zip(points.loc[adm1, "pcode"], points.loc[adm1, "name"], strict=True))
    pick = districts.iloc[rng.integers(0, len(districts), n)].reset_index(drop=True)
    frame = pd.DataFrame({column: None for column in EXPORT_COLUMNS}, index=range(n))
    frame["event_id"] = [f"synthetic-{i}" for i in range(n)]
    frame["event_date"] = pd.Timestamp(date(2019, 1, 1)) + pd.to_timedelta(rng.integers(0, 1096, n), unit="D")
    frame["event_type"] = rng.choice(list(TYPE_COLOURS), n)
    frame["sub_event_type"] = "synthetic"
    frame["adm1_pcode"], frame["adm2_pcode"] = pick["adm1_pcode"], pick["pcode"]
    frame["admin1"], frame["admin2"] = pick["adm1_pcode"].map(names), pick["name"]
    frame["location"] = pick["name"]
    frame["latitude"] = pick["latitude"] + rng.normal(0, 0.05, n)
    frame["longitude"] = pick["longitude"] + rng.normal(0, 0.05, n)
    frame["geo_precision"] = 3
    frame["fatalities"] = rng.integers(0, 20, n)   # for the probable-repeats query
    frame["evidence"] = "synthetic event for benchmarking"
    frame["title"] = "synthetic"
    frame["notes"] = "SYNTHETIC"
    return frame


def synthetic_store(url: str, n: int, data_dir) -> None:
    """``n`` synthetic events, one article each, written straight into the store's tables (an ingest
    would merge random events that happen to share a district, type and day)."""
    frame = synthetic_events(n, data_dir=data_dir)
    frame["event_date"] = frame["event_date"].dt.date
    frame["article_id"] = [f"synthetic-article-{i}" for i in range(n)]
    defaults = {"actor1": "", "actor2": "", "country_iso3": "AFG", "time_precision": 1, "displaced_unit": "",
                "evidence_start": 0, "evidence_end": len("synthetic event for benchmarking"),
                "confidence": 0.5, "extractor_version": "synthetic"}
    for column, value in defaults.items():
        frame[column] = value
    event_rows = frame[[c.name for c in events.columns]].astype(object).where(frame.notna(), None)
    store = EventStore(url)
    with store.engine.begin() as conn:
        for start in range(0, n, INSERT_CHUNK):
            part = event_rows.iloc[start:start + INSERT_CHUNK]
            conn.execute(insert(articles), [dict(
                id=a, title=f"Synthetic report {a[18:]}", source="Synthetic Wire", url="", published=None,
                origin="bench", text="synthetic", ingested_at=pd.Timestamp.now().to_pydatetime())
                for a in part["article_id"]])
            records = part.to_dict(orient="records")
            conn.execute(insert(events), records)
            conn.execute(insert(event_sources), [dict(event_id=r["event_id"], article_id=r["article_id"],
                                                      evidence=r["evidence"]) for r in records])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench dashboard")
    parser.add_argument("--data-dir")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args(argv)
    root = config.data_dir(args.data_dir)
    units, provinces = boundaries.web_districts(root), boundaries.web_provinces(root)
    labels = province_labels(boundaries.unit_points(root))
    filters = {"one year": EventFilter(start=date(2020, 1, 1), end=date(2020, 12, 31)),
               "no filter": EventFilter()}
    print("SYNTHETIC events (random districts and dates) in SQLite: the page's queries (unit totals, "
          "per-day counts, table page, map sample, probable repeats) + map build + HTML render + view layer")
    sizes = {level: len(unit_shapes(frame, level).encode()) / 1e3
             for level, frame in (("district", units), ("province", provinces))}
    print(f"unit shape files (read once by the browser, then cached): {sizes['district']:.0f} kB districts, "
          f"{sizes['province']:.0f} kB provinces")
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as tmp:
        for n in args.sizes:
            url = f"sqlite:///{Path(tmp) / f'events-{n}.db'}"
            synthetic_store(url, n, root)
            view = EventView(EventStore(url))
            for label, spec in filters.items():
                start = time.perf_counter()
                totals = view.unit_totals(spec)
                view.daily(spec.without_dates())
                view.rows(spec, limit=5_000)
                points, located = view.sample(spec, 3_000)
                view.probable_repeats(spec)
                queries = time.perf_counter() - start
                counts = totals.groupby("adm2_pcode")["events"].sum().rename("count").reset_index()
                fmap = base_map("district", shapes=SHAPES, asset_url=ASSET_URL, labels=labels)
                html = fmap.get_root().render()
                layer = view_layers(points, counts, "district", asset_url=ASSET_URL)
                layer.add_to(fmap)
                script = generate_leaflet_string(layer)
                elapsed = time.perf_counter() - start
                print(f"{n:>8} events, {label:<9} ({int(totals['events'].sum()):>7} shown, {len(points)} of "
                      f"{located} on the map): queries {queries:.2f} s, all {elapsed:.2f} s, "
                      f"map HTML {len(html.encode()) / 1e3:.0f} kB (kept by the browser), view layer "
                      f"{len(script.encode()) / 1e3:.0f} kB (sent on each filter change)")
    return 0
