"""Point-in-polygon join and zero-filled counts per unit."""
from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.boundaries import load_districts, unit_points
from geo.join import count_by_unit, join_points


@pytest.fixture(scope="module")
def districts(shared_data):
    return load_districts(shared_data)


@pytest.fixture(scope="module")
def district_points(shared_data):
    points = unit_points(shared_data)
    return points[points["level"] == "adm2"].reset_index(drop=True)


def test_each_district_point_joins_to_its_own_district(shared_data, district_points):
    shuffled = district_points.sample(frac=1, random_state=3)
    shuffled.index = [f"event-{i}" for i in range(len(shuffled))]
    result = join_points(shuffled, shared_data)
    assert result.frame.index.tolist() == shuffled.index.tolist()
    assert result.frame["adm2_pcode"].tolist() == shuffled["pcode"].tolist()
    assert result.frame["adm1_pcode"].tolist() == shuffled["adm1_pcode"].tolist()
    assert (result.outside, result.missing) == (0, 0)


def test_geoseries_input_gives_the_same_units(shared_data, district_points):
    series = gpd.GeoSeries(gpd.points_from_xy(district_points["longitude"], district_points["latitude"]),
                           crs="EPSG:4326")
    result = join_points(series, shared_data)
    assert result.frame["adm2_pcode"].tolist() == district_points["pcode"].tolist()


def test_geoseries_with_missing_and_empty_points(shared_data, district_points):
    first = shapely.Point(district_points["longitude"][0], district_points["latitude"][0])
    series = gpd.GeoSeries([first, None, shapely.Point(), shapely.Point(51.39, 35.69)],
                           index=list("abcd"), crs="EPSG:4326")
    result = join_points(series, shared_data)
    assert result.frame["adm2_pcode"].tolist() == [district_points["pcode"][0], None, None, None]
    assert (result.outside, result.missing) == (1, 2)


def test_point_on_shared_border_gets_exactly_one_district(shared_data, districts):
    first, second = districts.geometry.iloc[0], None
    for geom in districts.geometry.iloc[1:]:
        if shapely.length(first.intersection(geom)) > 0:
            second = geom
            break
    border = first.boundary.intersection(second.boundary)
    vertex = shapely.get_coordinates(border)[len(shapely.get_coordinates(border)) // 2]
    both = districts[districts.geometry.intersects(shapely.Point(vertex))]["adm2_pcode"]
    assert len(both) >= 2
    point = pd.DataFrame({"latitude": [vertex[1]] * 2, "longitude": [vertex[0]] * 2})
    result = join_points(point, shared_data)
    assert result.frame["adm2_pcode"].tolist() == [min(both)] * 2
    reversed_order = districts.iloc[::-1]
    again = join_points(point, districts=reversed_order)
    assert again.frame["adm2_pcode"].tolist() == [min(both)] * 2


def test_outside_and_missing_points_get_no_unit_and_are_counted(shared_data, district_points):
    points = pd.DataFrame({
        "latitude": [35.69, None, district_points["latitude"][0], 24.86],
        "longitude": [51.39, 69.2, district_points["longitude"][0], 67.0],
    })  # Tehran, no latitude, a district, Karachi
    result = join_points(points, shared_data)
    assert result.frame["adm2_pcode"].isna().tolist() == [True, True, False, True]
    assert result.frame["adm1_pcode"].isna().tolist() == [True, True, False, True]
    assert (result.outside, result.missing) == (2, 1)


@pytest.mark.parametrize("latitude, longitude, message", [
    ("thirty", 69.0, r"row 'b': latitude 'thirty' is not a number"),
    (34.5, "east", r"row 'b': longitude 'east' is not a number"),
    (95.0, 69.0, r"row 'b': latitude 95.0 out of range"),
    (34.5, -181.0, r"row 'b': longitude -181.0 out of range"),
    (34.5, float("inf"), r"row 'b': longitude inf out of range"),
])
def test_bad_coordinates_raise_naming_the_row(shared_data, latitude, longitude, message):
    points = pd.DataFrame({"latitude": [34.5, latitude], "longitude": [69.1, longitude]}, index=["a", "b"])
    with pytest.raises(ValueError, match=message):
        join_points(points, shared_data)


def test_bad_inputs_are_rejected_with_clear_messages(shared_data):
    with pytest.raises(ValueError, match="missing: longitude"):
        join_points(pd.DataFrame({"latitude": [34.5]}), shared_data)
    with pytest.raises(ValueError, match="not a point"):
        join_points(gpd.GeoSeries([shapely.box(69, 34, 70, 35)], crs="EPSG:4326"), shared_data)
    with pytest.raises(ValueError, match="expected EPSG:4326"):
        join_points(gpd.GeoSeries([shapely.Point(7e6, 4e6)], crs="EPSG:3857"), shared_data)


def test_count_by_unit_is_zero_filled_over_all_units(shared_data, caplog):
    events = pd.DataFrame({
        "adm1_pcode": ["AF19", "AF19", "AF01", None, "AF99"],
        "adm2_pcode": ["AF1905", "AF1905", "AF0101", None, "AF9901"],
    })
    with caplog.at_level(logging.WARNING, logger="geo.join"):
        districts = count_by_unit(events, "adm2", shared_data)
    assert "AF9901" in caplog.text
    assert len(districts) == 399 and districts["adm2_pcode"].is_unique
    counts = districts.set_index("adm2_pcode")["count"]
    assert (counts["AF1905"], counts["AF0101"], int(counts.sum())) == (2, 1, 3)
    provinces = count_by_unit(events, "adm1", shared_data).set_index("adm1_pcode")["count"]
    assert len(provinces) == 34
    assert (provinces["AF19"], provinces["AF01"], int((provinces == 0).sum())) == (2, 1, 32)
    with pytest.raises(ValueError, match="level must be one of adm1, adm2"):
        count_by_unit(events, "adm3", shared_data)


def test_joined_frame_feeds_count_by_unit(shared_data, district_points):
    joined = join_points(district_points, shared_data).frame
    counts = count_by_unit(joined, "adm2", shared_data)
    assert np.array_equal(counts["count"].to_numpy(), np.ones(399, dtype=int))
