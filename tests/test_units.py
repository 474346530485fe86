"""geo.units.AdminUnit: the record shared by gazetteer entries, places and the store's event rows."""
from __future__ import annotations

from events.store import events
from geo.gazetteer import Entry
from geo.place import Place, province_of
from geo.units import AdminUnit, no_unit_columns

IMAM_SAHIB = AdminUnit("AFG", "AF19", "Kunduz", "AF1905", "Imam Sahib")


def test_columns_are_the_store_columns():
    assert IMAM_SAHIB.columns() == {"country_iso3": "AFG", "adm1_pcode": "AF19", "admin1": "Kunduz",
                                    "adm2_pcode": "AF1905", "admin2": "Imam Sahib"}
    assert set(no_unit_columns()) == set(IMAM_SAHIB.columns()) <= set(events.columns.keys())
    assert set(no_unit_columns().values()) == {None}


def test_province_drops_the_district_only():
    assert IMAM_SAHIB.province() == AdminUnit("AFG", "AF19", "Kunduz")
    assert IMAM_SAHIB.province().pcodes == ("AF19", None) != IMAM_SAHIB.pcodes


def test_entries_and_places_read_their_units_fields():
    entry = Entry("Imam Sahib", "district", IMAM_SAHIB, 37.1, 68.9)
    place = Place(text="Imam Sahib", start=0, end=10, location="Imam Sahib", unit=IMAM_SAHIB, geo_precision=3)
    for record in (entry, place):
        assert (record.country_iso3, record.adm1_pcode, record.adm1_name, record.adm2_pcode, record.adm2_name,
                record.in_afghanistan) == ("AFG", "AF19", "Kunduz", "AF1905", "Imam Sahib", True)
    assert not Entry("Quetta", "town", AdminUnit("PAK")).in_afghanistan
    province = province_of(place)
    assert (province.unit, province.location, province.feature) == (IMAM_SAHIB.province(), "Kunduz",
                                                                     "province")
    assert not hasattr(place, "__dict__")   # Place keeps its slots
