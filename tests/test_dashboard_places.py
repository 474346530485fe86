"""Place boxes and place filters take every spelling the geocoder knows (events.query)."""
from __future__ import annotations

from datetime import date

import pytest

from events.query import EventFilter, choose_unit, find_units
from events.view_query import EventView
from tests.dashboard_fixtures import store_rows

UNITS = [("AF30", "Hilmand", "AF3001", "Lashkargah"), ("AF32", "Hirat", "AF3201", "Hirat"),
         ("AF13", "Paktya", "AF1301", "Gardez"), ("AF01", "Kabul", "AF0101", "Kabul")]


@pytest.fixture()
def view(db_url) -> EventView:
    return EventView(store_rows(db_url, [
        dict(event_id=event_id, event_date=date(2021, 1, 1), event_type=kind, adm1_pcode=p1, admin1=n1,
             adm2_pcode=p2, admin2=n2, geo_precision=3)
        for event_id, kind, (p1, n1, p2, n2) in zip("abcd", ["Battles", "Protests", "Battles", "Battles"],
                                                    UNITS, strict=True)]))


def ids(view: EventView, spec: EventFilter) -> list[str]:
    return view.rows(spec)["event_id"].tolist()


@pytest.mark.parametrize("spelling, expected", [
    ("Helmand", ["a"]), ("hilmand", ["a"]), ("AF30", ["a"]), ("Herat", ["b"]), ("Paktia", ["c"]),
    ("Paktiya", ["c"]), ("Kandahar", []),
])
def test_province_filter_spellings(view, spelling, expected):
    assert ids(view, EventFilter(admin1=[spelling])) == expected


def test_district_filter_spellings(view):
    assert ids(view, EventFilter(admin2=["Lashkar Gah"])) == ["a"]
    assert ids(view, EventFilter(admin2=["af0101"])) == ["d"]


def test_an_empty_view_says_what_each_filter_dropped_would_bring_back(view):
    # one protest (in Herat), one event in Helmand (a battle): each filter alone matches, together none
    assert view.counts_without_each(EventFilter(event_types=["Protests"], admin1=["Helmand"])) == {
        "event_types": 1, "admin1": 1}
    assert view.counts_without_each(EventFilter(event_types=["Riots"], admin1=["Helmand"])) == {
        "event_types": 1, "admin1": 0}
    assert view.counts_without_each(EventFilter(admin1=["Helmand"])) == {"admin1": 4}
    assert view.counts_without_each(EventFilter()) == {}


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


def test_a_place_box_selects_a_spelling_or_a_district_of_another_province(shared_data):
    from geo.gazetteer import Gazetteer
    gazetteer = Gazetteer.from_config(shared_data)
    kabul_districts = ["AF0101", "AF0102"]
    assert choose_unit("AF0102", kabul_districts, gazetteer, "district") == ("AF0102", "")
    assert choose_unit("Paghman", kabul_districts, gazetteer, "district") == ("AF0102", "")
    code, note = choose_unit("Lashkar Gah", kabul_districts, gazetteer, "district")
    assert code == "AF3001" and "another province" in note
    assert choose_unit("Zzyzxville", kabul_districts, gazetteer, "district")[0] is None


def test_a_province_box_takes_a_slip_in_spelling_and_a_districts_province(shared_data):
    from geo.gazetteer import Gazetteer
    gazetteer = Gazetteer.from_config(shared_data)
    provinces = {"AF17": "Badakhshan", "AF21": "Balkh", "AF19": "Kunduz"}
    code, note = choose_unit("Badakshan", list(provinces), gazetteer, "province", provinces)
    assert code == "AF17" and "Badakhshan" in note
    code, note = choose_unit("Mazar-i-Sharif", list(provinces), gazetteer, "province", provinces)
    assert code == "AF21" and "district of Balkh" in note
    assert choose_unit("Zzyzxville", list(provinces), gazetteer, "province", provinces)[0] is None
