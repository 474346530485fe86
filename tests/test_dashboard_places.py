"""Place boxes and place filters take every spelling the geocoder knows (events.query)."""
from __future__ import annotations

import pandas as pd
import pytest

from events.query import EventFilter, apply_filter, emptying_filter, find_units, place_mask

FRAME = pd.DataFrame({
    "event_id": ["a", "b", "c", "d"], "event_date": pd.to_datetime(["2021-01-01"] * 4),
    "event_type": ["Battles", "Protests", "Battles", "Battles"], "sub_event_type": "x", "actor1": "A",
    "actor2": None, "admin1": ["Hilmand", "Hirat", "Paktya", "Kabul"],
    "adm1_pcode": ["AF30", "AF32", "AF13", "AF01"], "admin2": ["Lashkargah", "Hirat", "Gardez", "Kabul"],
    "adm2_pcode": ["AF3001", "AF3201", "AF1301", "AF0101"],
    "geo_precision": 3, "evidence": "e", "title": "t",
})


@pytest.mark.parametrize("spelling, expected", [
    ("Helmand", ["a"]), ("hilmand", ["a"]), ("AF30", ["a"]), ("Herat", ["b"]), ("Paktia", ["c"]),
    ("Paktiya", ["c"]), ("Kandahar", []),
])
def test_province_filter_spellings(spelling, expected):
    assert apply_filter(FRAME, EventFilter(admin1=[spelling]))["event_id"].tolist() == expected


def test_district_filter_spellings():
    assert apply_filter(FRAME, EventFilter(admin2=["Lashkar Gah"]))["event_id"].tolist() == ["a"]
    assert (place_mask(FRAME["admin2"], FRAME["adm2_pcode"], ["af0101"]).tolist()
            == [False, False, False, True])


def test_emptying_filter_names_the_first_field_that_empties():
    assert emptying_filter(FRAME, EventFilter(event_types=["Protests"], admin1=["Helmand"])) == "admin1"
    assert emptying_filter(FRAME, EventFilter(event_types=["Riots"], admin1=["Helmand"])) == "event_types"
    assert emptying_filter(FRAME, EventFilter(admin1=["Helmand"])) is None


def test_find_units_through_the_gazetteer(shared_data):
    from geo.gazetteer import Gazetteer
    gazetteer = Gazetteer.from_config(shared_data)
    assert find_units("Helmand", gazetteer, "province") == ["AF30"]
    assert find_units("Herat", gazetteer, "province") == ["AF32"]
    assert find_units("Lashkar Gah", gazetteer, "district") == ["AF3001"]
    assert find_units("Emam Saheb", gazetteer, "district") == ["AF1905"]
    assert sorted(find_units("Arghandab", gazetteer, "district")) == ["AF2605", "AF2702"]
    assert find_units("af3001", gazetteer, "district") == ["AF3001"]
    assert find_units("Nowhere Town", gazetteer, "district") == []
