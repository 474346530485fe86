"""Boundary benchmark: cold and cached loads, web layers, join throughput on random points."""
from __future__ import annotations

import argparse
import contextlib
import functools
import os
import tempfile
import time

import numpy as np
import pandas as pd
import shapely

import config
from geo.boundaries import (
    clear_memory_cache, load_districts, load_provinces, unit_points, web_districts, web_provinces,
)
from geo.join import join_points

SIZES = (10_000, 100_000, 1_000_000)


def random_points(country, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` uniformly random points inside the polygon ``country``, as latitude/longitude."""
    rng = np.random.default_rng(seed)
    shapely.prepare(country)
    minx, miny, maxx, maxy = country.bounds
    lon, lat = np.empty(0), np.empty(0)
    while len(lon) < n:
        x, y = rng.uniform(minx, maxx, 2 * n), rng.uniform(miny, maxy, 2 * n)
        inside = shapely.contains_xy(country, x, y)
        lon, lat = np.concatenate([lon, x[inside]]), np.concatenate([lat, y[inside]])
    return pd.DataFrame({"latitude": lat[:n], "longitude": lon[:n]})


@contextlib.contextmanager
def _environ(name: str, value: str):
    """Set an environment variable for the duration of a block."""
    saved = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved


def _timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Print load times and points/second of the district join for each size."""
    parser = argparse.ArgumentParser(prog="python -m bench boundaries", description=__doc__)
    parser.add_argument("--data-dir", help=f"data folder (default: ${config.DATA_DIR_ENV})")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated point counts")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    with tempfile.TemporaryDirectory() as cache, _environ(config.CACHE_ENV, cache):
        clear_memory_cache()  # with an empty cache folder too, the first load is cold
        _, cold = _timed(lambda: (load_provinces(args.data_dir), load_districts(args.data_dir)))
        clear_memory_cache()
        (provinces, districts), warm = _timed(lambda: (load_provinces(args.data_dir),
                                                       load_districts(args.data_dir)))
        _, web = _timed(lambda: (web_districts(args.data_dir), web_provinces(args.data_dir),
                                 unit_points(args.data_dir)))
        print(f"boundaries: {len(provinces)} provinces, {len(districts)} districts")
        print(f"cold load (read source, validate, write GeoParquet): {cold:6.2f} s")
        print(f"cached load (GeoParquet):                            {warm:6.2f} s")
        print(f"web layers + unit points (first build):              {web:6.2f} s")
        geojson = len(web_districts(args.data_dir).to_json(drop_id=True).encode())
        print(f"simplified district GeoJSON:                         {geojson / 1e6:6.2f} MB")

        country = shapely.coverage_union_all(districts.geometry.values)
        for n in sizes:
            points = random_points(country, n, args.seed)
            result, seconds = _timed(functools.partial(join_points, points, districts=districts))
            joined = int(result.frame["adm2_pcode"].notna().sum())
            print(f"join {n:>9,} points: {seconds:6.2f} s  {n / seconds:>12,.0f} points/s  "
                  f"({joined:,} in a district, {result.outside:,} outside)")
    return 0
