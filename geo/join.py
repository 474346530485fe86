"""Points to provinces/districts by point-in-polygon, and event counts per unit."""
from __future__ import annotations

import contextlib
import gc
import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.boundaries import CRS, load_districts, load_provinces
from geo.units import DIVISION_FIELDS

log = logging.getLogger(__name__)

LEVELS = {"adm1": ("adm1_pcode", "adm1_name"), "adm2": ("adm2_pcode", "adm2_name")}


@dataclass(frozen=True)
class JoinResult:
    """``frame``: the input's index with adm1_pcode, adm1_name, adm2_pcode, adm2_name (``DIVISION_FIELDS``
    of ``geo.units.AdminUnit``; None where a point lies outside every district or has no coordinates).
    ``outside``: points with coordinates that fell outside Afghanistan;
    ``missing``: rows without coordinates (NaN/None)."""

    frame: pd.DataFrame
    outside: int
    missing: int


def join_points(points: pd.DataFrame | gpd.GeoSeries, data_dir=None,
                districts: gpd.GeoDataFrame | None = None) -> JoinResult:
    """Assign each point its district and province (geopandas ``sjoin``, spatial index).

    ``points`` is a DataFrame with ``latitude``/``longitude`` columns or a GeoSeries of
    points in EPSG:4326. A point on a border shared by several districts gets the one
    with the smallest adm2_pcode. Non-numeric or out-of-range coordinates raise
    ValueError naming the row; missing coordinates (NaN/None) get no unit.
    """
    lon, lat = _coordinates(points)
    if districts is None:
        districts = load_districts(data_dir)
    districts = districts.sort_values("adm2_pcode", ignore_index=True)
    present = np.flatnonzero(~(np.isnan(lon) | np.isnan(lat)))
    with _gc_paused():
        left = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[present], lat[present]), crs=CRS)
        # Districts on the left: each polygon is prepared once and probes the points' index,
        # far faster than preparing a million points against unprepared polygons.
        hits = gpd.sjoin(districts[["geometry"]], left, how="inner", predicate="intersects")
    # sort by (point, district) and keep the first district of each point: deterministic on borders
    pairs = np.column_stack([hits["index_right"].to_numpy(), hits.index.to_numpy()])
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = pairs[1:, 0] != pairs[:-1, 0]
    unit = np.full(len(lon), -1)
    unit[present[pairs[first, 0]]] = pairs[first, 1]
    frame = pd.DataFrame(index=points.index)
    for column in DIVISION_FIELDS:
        values = districts[column].astype(object).to_numpy()
        frame[column] = pd.Series(np.where(unit >= 0, values[unit], None), index=points.index,
                                  dtype=object)
    outside = len(present) - int(first.sum())
    if outside:
        log.info("%d of %d points lie outside every district", outside, len(present))
    return JoinResult(frame=frame, outside=outside, missing=len(lon) - len(present))


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while creating many point objects (none are cyclic);
    otherwise it runs over and over during a million-point join, costing about a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _coordinates(points) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes as float arrays (NaN = missing), checked for range."""
    if isinstance(points, gpd.GeoSeries):
        if points.crs is not None and not points.crs.equals(CRS):
            raise ValueError(f"points are in {points.crs.to_string()}, expected {CRS}")
        bad = ~(points.isna() | points.is_empty | (points.geom_type == "Point"))
        if bad.any():
            raise ValueError(f"row {points.index[bad.argmax()]!r}: "
                             f"not a point ({points[bad].iloc[0].geom_type})")
        geoms = np.asarray(points.values, dtype=object)
        geoms[shapely.is_empty(geoms)] = None  # get_x/get_y give NaN for None, fail on empty points
        lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    elif isinstance(points, pd.DataFrame):
        missing = [c for c in ("latitude", "longitude") if c not in points.columns]
        if missing:
            raise ValueError(f"points need latitude and longitude columns (missing: {', '.join(missing)})")
        lat = _numeric(points["latitude"], "latitude")
        lon = _numeric(points["longitude"], "longitude")
    else:
        raise TypeError(f"points must be a DataFrame or GeoSeries, not {type(points).__name__}")
    for name, values, limit in (("latitude", lat, 90), ("longitude", lon, 180)):
        wrong = ~np.isnan(values) & ~(np.abs(values) <= limit)
        if wrong.any():
            row = points.index[wrong.argmax()]
            raise ValueError(f"row {row!r}: {name} {values[wrong.argmax()]} out of range [-{limit}, {limit}]")
    return lon, lat


def _numeric(column: pd.Series, name: str) -> np.ndarray:
    """Float values of a coordinate column; a non-numeric entry raises ValueError naming its row."""
    values = pd.to_numeric(column, errors="coerce")
    bad = values.isna() & column.notna()
    if bad.any():
        row = column.index[bad.to_numpy().argmax()]
        raise ValueError(f"row {row!r}: {name} {column[row]!r} is not a number")
    return values.to_numpy(dtype=float)


def count_by_unit(events: pd.DataFrame, level: str = "adm2", data_dir=None) -> pd.DataFrame:
    """Events per district (``level="adm2"``) or province ("adm1"), zero-filled over all units.

    Returns one row per unit: adm1_pcode, adm1_name, [adm2_pcode, adm2_name,] count.
    Events whose pcode is not a unit of the loaded boundaries are left out (logged).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    code, _ = LEVELS[level]
    if code not in events.columns:
        raise ValueError(f"events need a {code} column to count by {level}")
    layer = load_districts(data_dir) if level == "adm2" else load_provinces(data_dir)
    units = pd.DataFrame(layer.drop(columns=["geometry", "alt_names"]))
    counts = events[code].dropna().value_counts()
    unknown = counts.index.difference(units[code])
    if len(unknown):
        log.warning("%d event(s) with pcodes not in the boundaries: %s",
                    int(counts[unknown].sum()), ", ".join(map(str, unknown[:5])))
    units["count"] = units[code].map(counts).fillna(0).astype(int)
    return units.reset_index(drop=True)
