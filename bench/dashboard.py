"""Dashboard speed: ``python -m bench dashboard [--data-dir DIR] [--sizes 1000 10000 100000]``.

Builds SYNTHETIC event tables (districts and dates sampled at random; not real events) of each
size and times what a filter change costs the page: filtering, zero-filled district counts,
building the Folium map and rendering its HTML; prints the HTML size sent to the browser.
"""
from __future__ import annotations

import argparse
import time
from datetime import date

import numpy as np
import pandas as pd

import config
from events.model import EXPORT_COLUMNS
from events.query import EventFilter, apply_filter
from geo import boundaries
from geo.join import count_by_unit
from geo.maps import TYPE_COLOURS, build_map


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
    frame["evidence"] = "synthetic event for benchmarking"
    frame["title"] = "synthetic"
    frame["notes"] = "SYNTHETIC"
    return frame


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench dashboard")
    parser.add_argument("--data-dir")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    args = parser.parse_args(argv)
    root = config.data_dir(args.data_dir)
    units, provinces = boundaries.web_districts(root), boundaries.web_provinces(root)
    count_by_unit(synthetic_events(1, data_dir=root), "adm2", root)   # boundaries loaded before timing
    filters = {"one year": EventFilter(start=date(2020, 1, 1), end=date(2020, 12, 31)),
               "no filter": EventFilter()}
    print("SYNTHETIC events (random districts and dates): filter + counts + map build + HTML render")
    for n in args.sizes:
        frame = synthetic_events(n, data_dir=root)
        for label, spec in filters.items():
            start = time.perf_counter()
            shown = apply_filter(frame, spec)
            counts = count_by_unit(shown, "adm2", root)
            html = build_map(shown, units, counts, "district", asset_url="/app/static/vendor/node_modules",
                             provinces=provinces).get_root().render()
            elapsed = time.perf_counter() - start
            print(f"{n:>7} events, {label:<9} ({len(shown):>6} shown): {elapsed:.2f} s, "
                  f"map HTML {len(html.encode()) / 1e6:.2f} MB")
    return 0
