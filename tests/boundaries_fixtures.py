"""Builders of boundary files for tests: geoBoundaries-shaped GeoJSON made from the COD data."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely

from geo.boundaries import GB_DIR, GB_FILES, ISO_TO_PCODE, load_districts, load_provinces

PCODE_TO_ISO = {pcode: iso for iso, pcode in ISO_TO_PCODE.items()}


def geoboundaries_frames(cod_data_dir: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """ADM1 and ADM2 frames with geoBoundaries fields, built from the COD layers.

    Geometry is lightly coverage-simplified to keep the files small. Every other
    province carries its ISO code in shapeISO; the rest must be matched by name.
    """
    frames = []
    for level, layer in ((1, load_provinces(cod_data_dir)), (2, load_districts(cod_data_dir))):
        code = "adm1_pcode" if level == 1 else "adm2_pcode"
        name = "adm1_name" if level == 1 else "adm2_name"
        iso = [PCODE_TO_ISO[p] if level == 1 and int(p[2:]) % 2 == 0 else ""
               for p in layer[code]]
        frames.append(gpd.GeoDataFrame({
            "shapeName": layer[name],
            "shapeISO": iso,
            "shapeID": [f"52423323B{9000 + i}{level}" for i in range(len(layer))],
            "shapeGroup": "AFG",
            "shapeType": f"ADM{level}",
            "geometry": shapely.coverage_simplify(layer.geometry.values, 0.002),
        }, crs=layer.crs))
    return frames[0], frames[1]


def write_geoboundaries(frames, data_dir: Path) -> Path:
    """Write (adm1, adm2) frames as geoBoundaries GeoJSON under ``data_dir``; return the folder."""
    folder = data_dir / GB_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for level, frame in zip((1, 2), frames, strict=True):
        frame.to_file(folder / GB_FILES[level], driver="GeoJSON")
    return folder
