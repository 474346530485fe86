"""Afghan province (ADM1) and district (ADM2) boundaries in one schema.

Two sources are understood, looked for under ``<data_dir>/boundaries/``:

* ``cod-ab-afg-2018/*adm1*.zip`` and ``*adm2*.zip`` -- OCHA COD-AB zipped
  shapefiles, read straight from the zip (preferred when present);
* ``geoboundaries/geoBoundaries-AFG-ADM1.geojson`` and ``...-ADM2.geojson`` --
  geoBoundaries gbOpen, as written by ``python -m geo fetch``.

Both are normalised to ``adm1_pcode, adm1_name, adm2_pcode, adm2_name,
alt_names, geometry`` in EPSG:4326 (provinces without the adm2 columns),
validated, and cached as GeoParquet under ``config.cache_dir()``.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

import config

log = logging.getLogger(__name__)

CRS = "EPSG:4326"
PROVINCE_COLUMNS = ["adm1_pcode", "adm1_name", "alt_names", "geometry"]
DISTRICT_COLUMNS = ["adm1_pcode", "adm1_name", "adm2_pcode", "adm2_name", "alt_names", "geometry"]
COD_DIR = "boundaries/cod-ab-afg-2018"
GB_DIR = "boundaries/geoboundaries"
GB_FILES = {1: "geoBoundaries-AFG-ADM1.geojson", 2: "geoBoundaries-AFG-ADM2.geojson"}
COD_COUNTS = {1: 34, 2: 399}
# Bump when the normalised schema or its derivation changes: old caches are then ignored.
SCHEMA_VERSION = "2"
# Web layers: Visvalingam-Whyatt tolerance (degrees, ~500 m) and coordinate grid (~10 m).
WEB_TOLERANCE = 0.005
WEB_GRID = 1e-4
# COD alternates that are not names of the place ("Centre" marks a provincial capital).
_NOT_NAMES = {"centre", "center"}

# ISO 3166-2:AF subdivision codes (geoBoundaries shapeISO) -> COD-AB 2018 pcodes.
ISO_TO_PCODE = {
    "AF-KAB": "AF01", "AF-KAP": "AF02", "AF-PAR": "AF03", "AF-WAR": "AF04", "AF-LOG": "AF05",
    "AF-NAN": "AF06", "AF-LAG": "AF07", "AF-PAN": "AF08", "AF-BGL": "AF09", "AF-BAM": "AF10",
    "AF-GHA": "AF11", "AF-PKA": "AF12", "AF-PIA": "AF13", "AF-KHO": "AF14", "AF-KNR": "AF15",
    "AF-NUR": "AF16", "AF-BDS": "AF17", "AF-TAK": "AF18", "AF-KDZ": "AF19", "AF-SAM": "AF20",
    "AF-BAL": "AF21", "AF-SAR": "AF22", "AF-GHO": "AF23", "AF-DAY": "AF24", "AF-URU": "AF25",
    "AF-ZAB": "AF26", "AF-KAN": "AF27", "AF-JOW": "AF28", "AF-FYB": "AF29", "AF-HEL": "AF30",
    "AF-BDG": "AF31", "AF-HER": "AF32", "AF-FRA": "AF33", "AF-NIM": "AF34",
}
# Province spellings (normalised by _name_key) -> COD-AB 2018 pcodes.
_PROVINCE_SPELLINGS = {
    "AF01": "kabul", "AF02": "kapisa kapesa", "AF03": "parwan parvan",
    "AF04": "wardak maidanwardak maydanwardak vardak", "AF05": "logar lowgar",
    "AF06": "nangarhar ningarhar nangrahar", "AF07": "laghman lagman",
    "AF08": "panjsher panjshir panjshayr panjsheer",
    "AF09": "baghlan", "AF10": "bamyan bamiyan bamian", "AF11": "ghazni",
    "AF12": "paktika", "AF13": "paktya paktia paktiya", "AF14": "khost khowst",
    "AF15": "kunar konar", "AF16": "nuristan nooristan", "AF17": "badakhshan",
    "AF18": "takhar", "AF19": "kunduz kondoz qunduz", "AF20": "samangan",
    "AF21": "balkh", "AF22": "sarepul sarepol saripul saripol sarpul sarpol sarepoul",
    "AF23": "ghor ghowr", "AF24": "daykundi daikundi daykondi daikondi",
    "AF25": "uruzgan oruzgan urozgan", "AF26": "zabul zabol", "AF27": "kandahar qandahar",
    "AF28": "jawzjan jowzjan jozjan juzjan", "AF29": "faryab", "AF30": "hilmand helmand",
    "AF31": "badghis badghes", "AF32": "hirat herat", "AF33": "farah", "AF34": "nimroz nimruz",
}
PROVINCE_NAME_TO_PCODE = {
    key: pcode for pcode, keys in _PROVINCE_SPELLINGS.items() for key in keys.split()
}


class BoundaryError(ValueError):
    """A boundary file is missing or unusable; the message names the file."""


@dataclass(frozen=True)
class BoundarySource:
    """Which boundary files a data folder holds: ``kind`` is "cod" or "geoboundaries"."""

    kind: str
    adm1: Path
    adm2: Path


def find_source(data_dir=None) -> BoundarySource:
    """Locate the boundary files under ``data_dir`` (COD-AB preferred over geoBoundaries)."""
    root = config.data_dir(data_dir)
    cod, gb = root / COD_DIR, root / GB_DIR
    problems = []
    if cod.is_dir():
        found = {level: sorted(cod.glob(f"*adm{level}*.zip")) for level in (1, 2)}
        if found[1] and found[2]:
            return BoundarySource("cod", found[1][-1], found[2][-1])
        missing = " / ".join(f"adm{level}" for level in (1, 2) if not found[level])
        problems.append(f"{cod}: no {missing} zip file in the COD-AB folder")
    if gb.is_dir():
        paths = {level: gb / name for level, name in GB_FILES.items()}
        absent = [path for path in paths.values() if not path.is_file()]
        if not absent:
            return BoundarySource("geoboundaries", paths[1], paths[2])
        problems.append(f"{absent[0]}: boundary file not found (run `python -m geo fetch`)")
    if not problems:
        problems.append(f"{root / 'boundaries'}: no boundary files (expected {COD_DIR}/ or {GB_DIR}/); "
                        f"set {config.DATA_DIR_ENV} or run `python -m geo fetch`")
    raise BoundaryError("; ".join(problems))


def load_provinces(data_dir=None) -> gpd.GeoDataFrame:
    """The 34 provinces: adm1_pcode, adm1_name, alt_names, geometry (EPSG:4326)."""
    return _cached_layer(find_source(data_dir), "provinces")


def load_districts(data_dir=None) -> gpd.GeoDataFrame:
    """The districts: adm1_pcode, adm1_name, adm2_pcode, adm2_name, alt_names, geometry."""
    return _cached_layer(find_source(data_dir), "districts")


def web_districts(data_dir=None) -> gpd.GeoDataFrame:
    """Districts simplified together as one coverage (shared borders stay shared), for maps.

    Columns: adm1_pcode, adm1_name, adm2_pcode, adm2_name, geometry; under 1 MB as GeoJSON.
    """
    return _cached_layer(find_source(data_dir), "web_districts")


def web_provinces(data_dir=None) -> gpd.GeoDataFrame:
    """Provinces dissolved from :func:`web_districts`, so both layers line up exactly."""
    return _cached_layer(find_source(data_dir), "web_provinces")


def simplify_coverage(frame: gpd.GeoDataFrame, tolerance: float = WEB_TOLERANCE,
                      grid: float = WEB_GRID) -> gpd.GeoDataFrame:
    """Simplify all polygons of ``frame`` together (shapely.coverage_simplify), then snap to ``grid``.

    Overlapping or edge-mismatched input (not a valid coverage) is first cleaned with
    shapely.coverage_clean, since simplifying it would open gaps and overlaps.
    """
    geoms = frame.geometry.values
    if not shapely.coverage_is_valid(geoms):
        log.warning("boundaries do not form a clean coverage: cleaning before simplification")
        geoms = shapely.coverage_clean(geoms)
    simplified = shapely.coverage_simplify(geoms, tolerance)
    snapped = shapely.set_precision(simplified, grid)
    return frame.set_geometry(gpd.GeoSeries(snapped, index=frame.index, crs=frame.crs))


def unit_points(data_dir=None) -> pd.DataFrame:
    """One point inside each province and district: pcode, level, name, adm1_pcode, latitude, longitude.

    ``level`` is "adm1" or "adm2". The point is the polygon's centroid when that lies
    inside the polygon, else shapely's ``point_on_surface`` (always inside).
    """
    return pd.DataFrame(_cached_layer(find_source(data_dir), "unit_points"))


# --- derived layers ----------------------------------------------------------------------

def _web_districts(source: BoundarySource) -> gpd.GeoDataFrame:
    districts = _cached_layer(source, "districts").drop(columns="alt_names")
    return simplify_coverage(districts)


def _web_provinces(source: BoundarySource) -> gpd.GeoDataFrame:
    districts = _cached_layer(source, "web_districts")
    provinces = _cached_layer(source, "provinces").drop(columns=["alt_names", "geometry"])
    merged = [shapely.coverage_union_all(group.geometry.values)
              for _, group in districts.groupby("adm1_pcode", sort=True)]
    geometry = gpd.GeoSeries(merged, index=sorted(districts["adm1_pcode"].unique()), crs=CRS)
    provinces["geometry"] = geometry.reindex(provinces["adm1_pcode"]).to_numpy()
    return gpd.GeoDataFrame(provinces, geometry="geometry", crs=CRS)


def _inside_points(geoms):
    """Centroid where it falls inside the polygon, else point_on_surface."""
    centroids = shapely.centroid(geoms)
    outside = ~shapely.contains_properly(geoms, centroids)
    centroids[outside] = shapely.point_on_surface(geoms[outside])
    return centroids


def _unit_points(source: BoundarySource) -> pd.DataFrame:
    frames: list[pd.DataFrame] = []
    for level, layer, code, name in (("adm2", "districts", "adm2_pcode", "adm2_name"),
                                     ("adm1", "provinces", "adm1_pcode", "adm1_name")):
        units = _cached_layer(source, layer)
        points = _inside_points(units.geometry.values)
        if level == "adm1":
            points = _province_points(units, points, frames[0])
        frames.append(pd.DataFrame({
            "pcode": units[code], "level": level, "name": units[name],
            "adm1_pcode": units["adm1_pcode"],
            "latitude": shapely.get_y(points), "longitude": shapely.get_x(points),
        }))
    return pd.concat(frames[::-1], ignore_index=True)


def _province_points(provinces: gpd.GeoDataFrame, points, districts: pd.DataFrame):
    """A province whose centroid lies outside it (a curved one: Badakhshan's would fall in Tajikistan)
    takes the point of its district nearest that centroid, not any point inside (which may lie at the far
    end of a corridor, as Badakhshan's did in the Wakhan)."""
    geoms = provinces.geometry.values
    centroids = shapely.centroid(geoms)
    points = points.copy()
    for i in np.flatnonzero(~shapely.contains_properly(geoms, centroids)):
        own = districts[districts["adm1_pcode"] == provinces["adm1_pcode"].iloc[i]]
        if own.empty:
            continue
        candidates = shapely.points(own["longitude"].to_numpy(), own["latitude"].to_numpy())
        points[i] = candidates[int(np.argmin(shapely.distance(candidates, centroids[i])))]
    return points


# --- caching ---------------------------------------------------------------------------

_memo: dict[tuple, gpd.GeoDataFrame] = {}


def clear_memory_cache() -> None:
    """Forget layers held in memory (the GeoParquet cache on disk stays)."""
    _memo.clear()


def _file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, memoised by (path, size, mtime)."""
    stat = path.stat()
    key = ("digest", str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _memo:
        _memo[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _memo[key]


def source_digest(source: BoundarySource) -> str:
    """A short fingerprint of the source files' contents and of how layers are derived."""
    parts = [SCHEMA_VERSION, str(WEB_TOLERANCE), str(WEB_GRID), source.kind,
             _file_digest(source.adm1), _file_digest(source.adm2)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _cached_layer(source: BoundarySource, name: str) -> gpd.GeoDataFrame:
    """A derived layer from memory, else GeoParquet cache, else built and cached."""
    digest = source_digest(source)
    key = (name, digest)
    if key not in _memo:
        path = config.cache_dir() / f"boundaries-{name}-{source.kind}-{digest}.parquet"
        if path.is_file():
            frame = gpd.read_parquet(path) if name in _GEO_LAYERS else pd.read_parquet(path)
        else:
            frame = _BUILDERS[name](source)
            _write_cache(frame, path)
        _memo[key] = frame
    return _memo[key].copy()


def _write_cache(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` atomically and drop stale versions of the same layer."""
    tmp = path.with_suffix(f".{os.getpid()}.tmp")  # concurrent builders never collide
    try:
        frame.to_parquet(tmp)
        tmp.replace(path)
    except OSError as exc:
        log.warning("%s: cannot write boundary cache (%s); continuing without it", path, exc)
        return
    prefix = path.name.rsplit("-", 1)[0]
    for stale in path.parent.glob(f"{prefix}-*.parquet"):
        if stale != path:
            stale.unlink(missing_ok=True)


# --- reading and validation -------------------------------------------------------------

def _read(path: Path) -> gpd.GeoDataFrame:
    """Read one boundary file, checking it exists and is in EPSG:4326."""
    if not path.is_file():
        raise BoundaryError(f"{path}: boundary file not found")
    try:
        frame = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio raises several DataSourceError subclasses
        raise BoundaryError(f"{path}: cannot read boundary file ({exc})") from exc
    if frame.crs is None:
        raise BoundaryError(f"{path}: no coordinate reference system (expected {CRS})")
    if not frame.crs.equals(CRS):
        raise BoundaryError(f"{path}: CRS is {frame.crs.to_string()}, expected {CRS}")
    if frame.empty:
        raise BoundaryError(f"{path}: contains no features")
    return frame


def _repair(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """Repair invalid geometries with make_valid (polygonal result), logging a warning."""
    geoms = frame.geometry.values
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        raise BoundaryError(f"{path}: {int(missing.sum())} feature(s) without geometry")
    polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
    if not polygonal.all():
        raise BoundaryError(f"{path}: {int((~polygonal).sum())} feature(s) are not polygons")
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        log.warning("%s: %d invalid geometr%s repaired with make_valid", path,
                    int(invalid.sum()), "y" if invalid.sum() == 1 else "ies")
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        if shapely.is_empty(geoms[invalid]).any():
            raise BoundaryError(f"{path}: a geometry has no area left after make_valid")
        frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    return frame


def _check_count(frame: pd.DataFrame, path: Path, expected: int) -> None:
    if len(frame) != expected:
        raise BoundaryError(f"{path}: {len(frame)} features, expected {expected}")


def _check_unique(frame: pd.DataFrame, column: str, path: Path) -> None:
    duplicated = frame[column][frame[column].duplicated()]
    if frame[column].isna().any() or len(duplicated):
        raise BoundaryError(f"{path}: {column} missing or repeated ({', '.join(map(str, duplicated[:5]))})")


def _alt_names(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Join the non-empty, distinct values of ``columns`` per row with "|"."""
    present = [c for c in columns if c in frame.columns]

    def join(row) -> str:
        names = []
        for value in row:
            if isinstance(value, str) and value.strip() and value.strip().lower() not in _NOT_NAMES:
                if value.strip() not in names:
                    names.append(value.strip())
        return "|".join(names)

    return frame[present].apply(join, axis=1) if present else pd.Series("", index=frame.index)


def _finish(frame: pd.DataFrame, columns: list[str], sort: str) -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(frame[columns], geometry="geometry", crs=CRS)
    return out.sort_values(sort, ignore_index=True)


def _cod_provinces(source: BoundarySource) -> gpd.GeoDataFrame:
    raw = _repair(_read(source.adm1), source.adm1)
    _require(raw, ["ADM1_PCODE", "ADM1_EN"], source.adm1, "COD-AB ADM1")
    _check_count(raw, source.adm1, COD_COUNTS[1])
    frame = pd.DataFrame({
        "adm1_pcode": raw["ADM1_PCODE"], "adm1_name": raw["ADM1_EN"],
        "alt_names": _alt_names(raw, ["ADM1ALT1EN", "ADM1ALT2EN", "ADM1_DA", "ADM1ALT1DA", "ADM1ALT2DA"]),
        "geometry": raw.geometry,
    })
    _check_unique(frame, "adm1_pcode", source.adm1)
    return _finish(frame, PROVINCE_COLUMNS, "adm1_pcode")


def _cod_districts(source: BoundarySource) -> gpd.GeoDataFrame:
    raw = _repair(_read(source.adm2), source.adm2)
    _require(raw, ["ADM1_PCODE", "ADM1_EN", "ADM2_PCODE", "ADM2_EN"], source.adm2, "COD-AB ADM2")
    _check_count(raw, source.adm2, COD_COUNTS[2])
    frame = pd.DataFrame({
        "adm1_pcode": raw["ADM1_PCODE"], "adm1_name": raw["ADM1_EN"],
        "adm2_pcode": raw["ADM2_PCODE"], "adm2_name": raw["ADM2_EN"],
        "alt_names": _alt_names(raw, ["ADM2ALT1EN", "ADM2ALT2EN", "ADM2_DA", "ADM2ALT1DA", "ADM2ALT2DA"]),
        "geometry": raw.geometry,
    })
    _check_unique(frame, "adm2_pcode", source.adm2)
    return _finish(frame, DISTRICT_COLUMNS, "adm2_pcode")


def _name_key(name: str) -> str:
    """Lower-case ASCII letters only, without a trailing "province"."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", re.sub(r"\bprovince\b", "", text))


def province_pcode(name: str, iso: str | None = None) -> str | None:
    """COD-AB pcode of a province from its ISO 3166-2 code or (failing that) its name."""
    if iso and iso.upper() in ISO_TO_PCODE:
        return ISO_TO_PCODE[iso.upper()]
    return PROVINCE_NAME_TO_PCODE.get(_name_key(name))


def _gb_provinces(source: BoundarySource) -> gpd.GeoDataFrame:
    raw = _repair(_read(source.adm1), source.adm1)
    _require(raw, ["shapeName", "shapeID"], source.adm1, "geoBoundaries")
    iso = raw["shapeISO"] if "shapeISO" in raw.columns else pd.Series(None, index=raw.index)
    pcodes = [province_pcode(n, i if isinstance(i, str) else None)
              for n, i in zip(raw["shapeName"], iso, strict=True)]
    unknown = [n for n, p in zip(raw["shapeName"], pcodes, strict=True) if p is None]
    if unknown:
        raise BoundaryError(f"{source.adm1}: unknown province name(s) {', '.join(map(str, unknown))}")
    frame = pd.DataFrame({
        "adm1_pcode": pcodes, "adm1_name": raw["shapeName"],
        "alt_names": "", "geometry": raw.geometry,
    })
    _check_count(frame, source.adm1, COD_COUNTS[1])
    _check_unique(frame, "adm1_pcode", source.adm1)
    return _finish(frame, PROVINCE_COLUMNS, "adm1_pcode")


def _gb_districts(source: BoundarySource) -> gpd.GeoDataFrame:
    raw = _repair(_read(source.adm2), source.adm2)
    _require(raw, ["shapeName", "shapeID"], source.adm2, "geoBoundaries")
    provinces = _cached_layer(source, "provinces")
    parent = _largest_overlap(raw.geometry.values, provinces.geometry.values)
    if (parent < 0).any():
        names = raw["shapeName"][parent < 0]
        raise BoundaryError(f"{source.adm2}: district(s) outside every province: {', '.join(names[:5])}")
    frame = pd.DataFrame({
        "adm1_pcode": provinces["adm1_pcode"].to_numpy()[parent],
        "adm1_name": provinces["adm1_name"].to_numpy()[parent],
        "adm2_pcode": raw["shapeID"].astype(str), "adm2_name": raw["shapeName"],
        "alt_names": "", "geometry": raw.geometry,
    })
    _check_unique(frame, "adm2_pcode", source.adm2)
    return _finish(frame, DISTRICT_COLUMNS, "adm2_pcode")


def _require(frame: pd.DataFrame, columns: list[str], path: Path, kind: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BoundaryError(f"{path}: missing field(s) {', '.join(missing)} (not a {kind} file?)")


def _largest_overlap(children, parents) -> np.ndarray:
    """Index into ``parents`` of the polygon sharing most area with each child (-1: none)."""
    child_idx, parent_idx = shapely.STRtree(parents).query(children, predicate="intersects")
    areas = shapely.area(shapely.intersection(children[child_idx], parents[parent_idx]))
    pairs = pd.DataFrame({"child": child_idx, "parent": parent_idx, "area": areas})
    pairs = pairs[pairs["area"] > 0].sort_values(["child", "area"], ascending=[True, False])
    best = pairs.drop_duplicates("child").set_index("child")["parent"]
    return best.reindex(range(len(children)), fill_value=-1).to_numpy()


_GEO_LAYERS = {"provinces", "districts", "web_districts", "web_provinces"}
_BUILDERS = {
    "web_districts": _web_districts,
    "web_provinces": _web_provinces,
    "unit_points": _unit_points,
    "provinces": lambda s: (_cod_provinces if s.kind == "cod" else _gb_provinces)(s),
    "districts": lambda s: (_cod_districts if s.kind == "cod" else _gb_districts)(s),
}
