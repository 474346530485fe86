"""Boundary loading: both schemas, validation errors, caching, web layers, unit points."""
from __future__ import annotations

import logging
import re
import zipfile

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import Polygon

import config
from geo import boundaries
from geo.boundaries import (
    BoundaryError, find_source, load_districts, load_provinces, unit_points, web_districts,
    web_provinces,
)
from tests.boundaries_fixtures import geoboundaries_frames, write_geoboundaries


@pytest.fixture(scope="module")
def gb_frames(shared_data):
    return geoboundaries_frames(shared_data)


@pytest.fixture(scope="module")
def gb_dir(gb_frames, tmp_path_factory):
    root = tmp_path_factory.mktemp("gbdata")
    write_geoboundaries(gb_frames, root)
    return root


def cod_raw(shared_data, level):
    """The COD-AB layer as read from its zip, without the date fields shapefiles mangle."""
    source = find_source(shared_data)
    frame = pyogrio.read_dataframe(source.adm1 if level == 1 else source.adm2)
    return frame.drop(columns=["date", "validOn", "validTo", "ValidTo"], errors="ignore")


def write_cod_zip(frame: gpd.GeoDataFrame, data_dir, level: int, drop_prj=False):
    """Write ``frame`` as a zipped shapefile in a COD-AB folder under ``data_dir``."""
    folder = data_dir / boundaries.COD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"afg_admbnda_adm{level}_test"
    shp_dir = data_dir / f"shp{level}"
    shp_dir.mkdir()
    frame.to_file(shp_dir / f"{stem}.shp")
    with zipfile.ZipFile(folder / f"{stem}.zip", "w") as archive:
        for part in shp_dir.iterdir():
            if not (drop_prj and part.suffix == ".prj"):
                archive.write(part, part.name)


# --- COD-AB -------------------------------------------------------------------------------

def test_cod_layers_have_schema_counts_and_crs(shared_data):
    provinces, districts = load_provinces(shared_data), load_districts(shared_data)
    assert list(provinces.columns) == boundaries.PROVINCE_COLUMNS
    assert list(districts.columns) == boundaries.DISTRICT_COLUMNS
    assert (len(provinces), len(districts)) == (34, 399)
    assert provinces.crs.equals("EPSG:4326") and districts.crs.equals("EPSG:4326")
    assert all(re.fullmatch(r"AF\d{2}", p) for p in provinces["adm1_pcode"])
    assert all(d.startswith(p) for d, p in zip(districts["adm2_pcode"], districts["adm1_pcode"], strict=True))
    assert set(districts["adm1_pcode"]) == set(provinces["adm1_pcode"])
    assert districts.is_valid.all()


def test_cod_alt_names_hold_alternates_and_dari_but_not_centre(shared_data):
    districts = load_districts(shared_data).set_index("adm2_name")
    anawa = districts.loc["Anawa", "alt_names"].split("|")
    assert "Onaba" in anawa
    assert any("\u0600" <= ch <= "\u06ff" for ch in districts.loc["Anawa", "alt_names"])
    assert not districts["alt_names"].str.split("|").explode().str.lower().isin(["centre"]).any()
    provinces = load_provinces(shared_data).set_index("adm1_pcode")
    assert "کابل" in provinces.loc["AF01", "alt_names"].split("|")


def test_second_load_reads_the_geoparquet_cache(shared_data):
    first = load_districts(shared_data)
    cached = list(config.cache_dir().glob("boundaries-districts-cod-*.parquet"))
    assert len(cached) == 1
    boundaries.clear_memory_cache()
    again = load_districts(shared_data)
    assert again.drop(columns="geometry").equals(first.drop(columns="geometry"))
    assert again.geometry.geom_equals_exact(first.geometry, 0).all()


def test_cod_is_preferred_when_both_sources_exist(shared_data, gb_frames, tmp_path):
    (tmp_path / "boundaries").mkdir()
    (tmp_path / boundaries.COD_DIR).symlink_to(shared_data / boundaries.COD_DIR)
    write_geoboundaries(gb_frames, tmp_path)
    assert find_source(tmp_path).kind == "cod"


def test_incomplete_cod_folder_falls_back_to_geoboundaries(gb_frames, tmp_path):
    (tmp_path / boundaries.COD_DIR).mkdir(parents=True)
    with pytest.raises(BoundaryError, match="no adm1 / adm2 zip file in the COD-AB folder"):
        find_source(tmp_path)
    write_geoboundaries(gb_frames, tmp_path)
    assert find_source(tmp_path).kind == "geoboundaries"


# --- geoBoundaries ------------------------------------------------------------------------

def test_geoboundaries_provinces_get_cod_pcodes_by_iso_or_name(shared_data, gb_dir):
    assert find_source(gb_dir).kind == "geoboundaries"
    got = load_provinces(gb_dir).set_index("adm1_name")["adm1_pcode"]
    want = load_provinces(shared_data).set_index("adm1_name")["adm1_pcode"]
    assert len(got) == 34
    assert got.sort_index().equals(want.sort_index())


def test_geoboundaries_districts_get_province_by_largest_overlap(shared_data, gb_frames, gb_dir):
    districts = load_districts(gb_dir)
    assert list(districts.columns) == boundaries.DISTRICT_COLUMNS
    assert len(districts) == 399
    cod = load_districts(shared_data)
    expected = dict(zip(gb_frames[1]["shapeID"], cod["adm1_pcode"], strict=True))
    assert districts["adm2_pcode"].map(expected).tolist() == districts["adm1_pcode"].tolist()


def test_province_pcode_normalises_spellings():
    assert boundaries.province_pcode("Helmand Province") == "AF30"
    assert boundaries.province_pcode("Sar-e Pul") == "AF22"
    assert boundaries.province_pcode("Paktia") == "AF13"
    assert boundaries.province_pcode("anything", iso="af-kdz") == "AF19"
    assert boundaries.province_pcode("Atlantis") is None
    assert sorted(set(boundaries.PROVINCE_NAME_TO_PCODE.values())) == [f"AF{i:02d}" for i in range(1, 35)]


def test_source_change_invalidates_cache(gb_frames, tmp_path):
    adm1, adm2 = gb_frames
    write_geoboundaries((adm1, adm2), tmp_path)
    assert "Kunduz" in set(load_provinces(tmp_path)["adm1_name"])
    renamed = adm1.assign(shapeName=adm1["shapeName"].replace("Kunduz", "Kondoz"))
    write_geoboundaries((renamed, adm2), tmp_path)
    names = set(load_provinces(tmp_path)["adm1_name"])
    assert "Kondoz" in names and "Kunduz" not in names
    assert len(list(config.cache_dir().glob("boundaries-provinces-geoboundaries-*.parquet"))) == 1


# --- validation ---------------------------------------------------------------------------

def test_missing_boundaries_folder_is_reported(tmp_path):
    with pytest.raises(BoundaryError, match="no boundary files"):
        load_provinces(tmp_path)


def test_missing_adm2_file_names_the_file(gb_frames, tmp_path):
    write_geoboundaries(gb_frames, tmp_path)
    (tmp_path / boundaries.GB_DIR / boundaries.GB_FILES[2]).unlink()
    with pytest.raises(BoundaryError, match=r"geoBoundaries-AFG-ADM2\.geojson: boundary file not found"):
        load_districts(tmp_path)


def test_wrong_crs_names_the_file(gb_frames, tmp_path):
    adm1, adm2 = gb_frames
    write_geoboundaries((adm1.to_crs(3857), adm2), tmp_path)
    with pytest.raises(BoundaryError, match=r"ADM1\.geojson: CRS is EPSG:3857, expected EPSG:4326"):
        load_provinces(tmp_path)


def test_missing_crs_names_the_file(shared_data, tmp_path):
    write_cod_zip(cod_raw(shared_data, 1), tmp_path, 1, drop_prj=True)
    write_cod_zip(cod_raw(shared_data, 2).head(3), tmp_path, 2)
    with pytest.raises(BoundaryError, match=r"adm1_test\.zip: no coordinate reference system"):
        load_provinces(tmp_path)


def test_unexpected_count_names_the_file(shared_data, tmp_path):
    write_cod_zip(cod_raw(shared_data, 1).iloc[1:], tmp_path, 1)
    write_cod_zip(cod_raw(shared_data, 2).head(3), tmp_path, 2)
    with pytest.raises(BoundaryError, match=r"adm1_test\.zip: 33 features, expected 34"):
        load_provinces(tmp_path)
    with pytest.raises(BoundaryError, match=r"adm2_test\.zip: 3 features, expected 399"):
        load_districts(tmp_path)


def test_wrong_fields_are_reported(shared_data, gb_frames, tmp_path):
    write_cod_zip(cod_raw(shared_data, 1).rename(columns={"ADM1_PCODE": "PCODE"}), tmp_path / "cod", 1)
    write_cod_zip(cod_raw(shared_data, 2).head(3), tmp_path / "cod", 2)
    with pytest.raises(BoundaryError,
                       match=r"adm1_test\.zip: missing field\(s\) ADM1_PCODE \(not a COD-AB ADM1"):
        load_provinces(tmp_path / "cod")
    adm1, adm2 = gb_frames
    write_geoboundaries((adm1, adm2.drop(columns="shapeID")), tmp_path / "gb")
    with pytest.raises(BoundaryError,
                       match=r"ADM2\.geojson: missing field\(s\) shapeID \(not a geoBoundaries"):
        load_districts(tmp_path / "gb")


def test_unknown_province_name_is_reported(gb_frames, tmp_path):
    adm1, adm2 = gb_frames
    bad = adm1.assign(shapeISO="", shapeName=adm1["shapeName"].replace("Ghor", "Atlantis"))
    write_geoboundaries((bad, adm2), tmp_path)
    with pytest.raises(BoundaryError, match="unknown province name.*Atlantis"):
        load_provinces(tmp_path)


def test_invalid_geometry_is_repaired_with_a_warning(gb_frames, tmp_path, caplog):
    adm1, adm2 = gb_frames
    x0, y0, x1, y1 = adm1.geometry.iloc[0].bounds
    bowtie = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    assert not bowtie.is_valid
    geoms = adm1.geometry.copy()
    geoms.iloc[0] = bowtie
    write_geoboundaries((adm1.set_geometry(geoms), adm2), tmp_path)
    with caplog.at_level(logging.WARNING, logger="geo.boundaries"):
        provinces = load_provinces(tmp_path)
    assert "1 invalid geometry repaired with make_valid" in caplog.text
    assert "ADM1.geojson" in caplog.text
    assert provinces.is_valid.all()
    repaired = provinces.set_index("adm1_name").geometry[adm1["shapeName"].iloc[0]]
    assert repaired.area == pytest.approx((x1 - x0) * (y1 - y0) / 2, rel=1e-6)  # both triangles kept


def test_point_feature_in_a_boundary_file_is_reported(gb_frames, tmp_path):
    adm1, adm2 = gb_frames
    geoms = adm1.geometry.copy()
    geoms.iloc[3] = geoms.iloc[3].centroid
    write_geoboundaries((adm1.set_geometry(geoms), adm2), tmp_path)
    with pytest.raises(BoundaryError, match=r"ADM1\.geojson: 1 feature\(s\) are not polygons"):
        load_provinces(tmp_path)


# --- web layers and unit points -----------------------------------------------------------

def _edge_neighbours(geoms):
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.length(shapely.intersection(geoms[left], geoms[right])) > 0
    return left[shared], right[shared]


def test_web_districts_keep_every_shared_border(shared_data):
    original = load_districts(shared_data)
    web = web_districts(shared_data)
    assert web["adm2_pcode"].tolist() == original["adm2_pcode"].tolist()
    left, right = _edge_neighbours(original.geometry.values)
    assert len(left) > 1000
    simplified = web.geometry.values
    shared = shapely.length(shapely.intersection(simplified[left], simplified[right]))
    assert (shared > 0).all()
    assert shapely.coverage_is_valid(simplified)
    assert (shapely.get_num_coordinates(simplified).sum()
            < shapely.get_num_coordinates(original.geometry.values).sum() / 4)


def test_simplify_coverage_cleans_overlaps_first(caplog):
    squares = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), shapely.box(0.9, 0, 2, 1),
                                         shapely.box(0, 1, 2, 2)], crs="EPSG:4326")
    assert not shapely.coverage_is_valid(squares.geometry.values)
    with caplog.at_level(logging.WARNING, logger="geo.boundaries"):
        simplified = boundaries.simplify_coverage(squares, tolerance=0.01)
    assert "cleaning before simplification" in caplog.text
    geoms = simplified.geometry.values
    assert shapely.coverage_is_valid(geoms)
    assert shapely.area(geoms).sum() == pytest.approx(4.0)
    assert shapely.length(shapely.intersection(geoms[0], geoms[1])) == pytest.approx(1.0)


def test_web_districts_geojson_is_under_one_megabyte(shared_data):
    assert len(web_districts(shared_data).to_json(drop_id=True).encode()) < 1_000_000


def test_web_provinces_are_the_union_of_their_web_districts(shared_data):
    provinces, districts = web_provinces(shared_data), web_districts(shared_data)
    assert len(provinces) == 34 and provinces.is_valid.all()
    for pcode, geom in zip(provinces["adm1_pcode"], provinces.geometry, strict=True):
        members = districts[districts["adm1_pcode"] == pcode].geometry
        assert geom.symmetric_difference(shapely.union_all(members.values)).area < 1e-9


def test_unit_points_lie_inside_their_units(shared_data):
    points = unit_points(shared_data)
    assert list(points.columns) == ["pcode", "level", "name", "adm1_pcode", "latitude", "longitude"]
    assert points["level"].value_counts().to_dict() == {"adm2": 399, "adm1": 34}
    provinces, districts = load_provinces(shared_data), load_districts(shared_data)
    polygons = {**dict(zip(provinces["adm1_pcode"], provinces.geometry, strict=True)),
                **dict(zip(districts["adm2_pcode"], districts.geometry, strict=True))}
    geoms = np.array([polygons[p] for p in points["pcode"]])
    assert shapely.contains_xy(geoms, points["longitude"], points["latitude"]).all()


def test_a_province_whose_centroid_lies_outside_it_takes_its_district_nearest_the_centroid(shared_data):
    """Badakhshan's centroid falls outside it; any point inside could lie at the far end of the Wakhan."""
    points = unit_points(shared_data).set_index("pcode")
    provinces = load_provinces(shared_data).set_index("adm1_pcode")
    for pcode, geom in provinces.geometry.items():
        centroid = shapely.centroid(geom)
        point = shapely.Point(points.loc[pcode, ["longitude", "latitude"]].to_numpy(dtype=float))
        if geom.contains_properly(centroid):
            assert point.equals_exact(centroid, 1e-9)
        else:
            own = points[(points["level"] == "adm2") & (points["adm1_pcode"] == pcode)]
            candidates = shapely.points(own[["longitude", "latitude"]].to_numpy(dtype=float))
            nearest = min(shapely.distance(candidates, centroid))
            assert shapely.distance(point, centroid) == pytest.approx(nearest)
    assert points.loc["AF17", "longitude"] < 72   # not in the Wakhan corridor


# --- benchmark command --------------------------------------------------------------------

def test_bench_boundaries_prints_load_times_and_throughput(shared_data, capsys):
    from bench.__main__ import main as bench_main

    assert bench_main(["boundaries", "--data-dir", str(shared_data), "--sizes", "2000"]) == 0
    out = capsys.readouterr().out
    assert "34 provinces, 399 districts" in out
    assert re.search(r"cold load .*: +\d+\.\d\d s", out) and re.search(r"cached load .*: +\d+\.\d\d s", out)
    assert re.search(r"join +2,000 points: .* points/s +\(2,000 in a district, 0 outside\)", out)
    assert bench_main(["no-such-bench"]) == 2
    assert "boundaries" in capsys.readouterr().err
