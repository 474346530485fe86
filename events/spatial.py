"""Where events are: a PostGIS point per event when the store can have one, and "events within a shape".

On PostgreSQL with the PostGIS extension (created when missing and allowed), the events table gets
``geom``, a geometry(Point, 4326) that the database computes from longitude/latitude whenever a row
is written (a stored generated column, so every writer fills it and re-ingesting changes nothing),
with a GiST index; "within a shape" is then one indexed SQL condition.  Elsewhere (SQLite, or
PostgreSQL without PostGIS: the log says so once) the shape's box is the SQL condition on the
latitude/longitude columns and shapely decides the rest, so callers get the same rows either way.
Shapes are in degrees (x longitude, y latitude, EPSG:4326); a point on a shape's boundary is within it.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import TypeAlias

import pandas as pd
import shapely
from geoalchemy2 import Geometry
from geoalchemy2 import functions as gis
from geoalchemy2.shape import from_shape
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, Table, and_, func, literal_column, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement

log = logging.getLogger(__name__)
SRID = 4326
POINT = Geometry("POINT", srid=SRID, spatial_index=False)   # its index is made below, for old tables too
COLUMN = "geom"
_INDEX = "ix_events_geom"
_LOCK = 0x65766D6170   # advisory lock key: processes opening one new database add the column one at a time
_warned: set[str] = set()   # databases whose missing PostGIS has been logged
# A shapely geometry, or (west, south, east, north) bounds, in degrees.
Shape: TypeAlias = BaseGeometry | Sequence[float]


def add_geometry(engine: Engine, table: Table, label: str) -> bool:
    """Give ``table`` (with ``longitude``/``latitude`` columns) its point column and spatial index when
    the database can have them; True when it has them."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as conn:
        if conn.scalar(select(func.to_regclass(_INDEX))) is not None:
            return True
    point = POINT.compile(dialect=engine.dialect)
    with engine.begin() as conn:
        conn.execute(select(func.pg_advisory_xact_lock(_LOCK)))
        try:
            with conn.begin_nested():
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
                conn.execute(text(
                    f"ALTER TABLE {table.name} ADD COLUMN IF NOT EXISTS {COLUMN} {point} GENERATED ALWAYS AS "
                    f"(ST_SetSRID(ST_MakePoint(longitude, latitude), {SRID})) STORED"))
                conn.execute(text(f"CREATE INDEX IF NOT EXISTS {_INDEX} ON {table.name} "
                                  f"USING gist ({COLUMN})"))
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise
            _warn_once(label, exc)
            return False
    return True


def _warn_once(label: str, exc: DBAPIError) -> None:
    if label in _warned:
        return
    _warned.add(label)
    lines = str(exc.orig or exc).strip().splitlines()
    reason = lines[0] if lines else type(exc).__name__
    log.warning("no PostGIS geometry in the event store at %s (%s): events are stored without it, and "
                "spatial queries filter on latitude/longitude", label, reason)


def area(shape: Shape) -> BaseGeometry:
    """A shapely geometry, or (west, south, east, north) bounds as a box; a clear ValueError for
    anything else.  An invalid polygon (self-crossing rings, as boundary files sometimes have) is
    repaired."""
    if not isinstance(shape, BaseGeometry):
        try:
            west, south, east, north = (float(value) for value in shape)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not a shape or (west, south, east, north) bounds: {shape!r}") from exc
        if not all(map(math.isfinite, (west, south, east, north))) or west > east or south > north:
            raise ValueError(f"not (west, south, east, north) bounds: {shape!r}")
        shape = box(west, south, east, north)
    if shape.is_empty:
        raise ValueError("the shape is empty")
    return shape if shape.is_valid else shapely.make_valid(shape)


def within(table: Table, shape: BaseGeometry, geometry: bool) -> ColumnElement[bool]:
    """The SQL condition for ``table``'s rows whose point is in ``shape``: exact and indexed with the
    geometry column, else the shape's box (``inside`` then decides)."""
    if geometry:
        column = literal_column(f"{table.name}.{COLUMN}", POINT)
        return gis.ST_Intersects(column, from_shape(shape, srid=SRID))
    west, south, east, north = shape.bounds
    return and_(table.c.longitude.between(west, east), table.c.latitude.between(south, north))


def inside(frame: pd.DataFrame, shape: BaseGeometry) -> pd.DataFrame:
    """The rows of ``frame`` (``longitude``/``latitude`` columns) whose point is in ``shape``, numbered
    from 0 like a frame read with the condition in SQL."""
    if frame.empty:
        return frame
    keep = shapely.intersects_xy(shape, frame["longitude"].to_numpy(float), frame["latitude"].to_numpy(float))
    return frame[keep].reset_index(drop=True)
