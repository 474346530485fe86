"""Exports of event rows: CSV (ACLED column order, spreadsheet-safe), GeoJSON and Parquet."""
from __future__ import annotations

import csv
import json

import pandas as pd

from events.model import EXPORT_COLUMNS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def source_names(outlet: pd.Series, url: pd.Series) -> pd.Series:
    """The ``source`` column: the outlet's name, else the host of the article's address
    ("tehrantimes.com")."""
    host = url.fillna("").astype(str).str.extract(r"^https?://(?:www\.)?([^/:?#]+)", expand=False)
    named = outlet.fillna("").astype(str)
    return named.where(named != "", host.fillna(""))


def safe_cell(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The export columns in order, dates as ISO strings."""
    out = frame.reindex(columns=EXPORT_COLUMNS).copy()
    for column in ("event_date", "published"):
        values = pd.to_datetime(out[column], errors="coerce")
        out[column] = values.dt.strftime("%Y-%m-%d" if column == "event_date" else "%Y-%m-%dT%H:%M:%S")
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of the rows, formula-safe: every text cell quoted, so that a line break inside a cell
    can never start a row of its own."""
    out = export_frame(frame)
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    return out.to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC).encode("utf-8")


def geojson_bytes(frame: pd.DataFrame) -> bytes:
    """A GeoJSON FeatureCollection: one point per event with coordinates (others have a null geometry)."""
    out = export_frame(frame)
    features = []
    for row in out.to_dict(orient="records"):
        props = {k: (None if pd.isna(v) else v) for k, v in row.items()}
        lat, lon = props.get("latitude"), props.get("longitude")
        geometry = ({"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None
                    else None)
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return json.dumps({"type": "FeatureCollection", "features": features}, default=str).encode("utf-8")


def write_parquet(frame: pd.DataFrame, path) -> None:
    """Parquet file of the export columns."""
    export_frame(frame).to_parquet(path, index=False)
