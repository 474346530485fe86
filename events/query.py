"""Filtering event rows (a DataFrame from ``EventStore.events_frame``): one function for the CLI and the
dashboard."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from geo.normalize import name_key, sound_key


@dataclass
class EventFilter:
    """What the analyst asked for; empty fields do not filter."""

    start: date | None = None
    end: date | None = None
    event_types: list[str] = field(default_factory=list)
    sub_event_types: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)      # province names or pcodes
    admin2: list[str] = field(default_factory=list)      # district names or pcodes
    max_precision: int | None = None
    text: str = ""

    def __post_init__(self):
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the start date {self.start} is after the end date {self.end}")


def apply_filter(frame: pd.DataFrame, spec: EventFilter) -> pd.DataFrame:
    """The rows matching every condition of ``spec``."""
    keep = pd.Series(True, index=frame.index)
    dates = pd.to_datetime(frame["event_date"])
    if spec.start:
        keep &= dates >= pd.Timestamp(spec.start)
    if spec.end:
        keep &= dates <= pd.Timestamp(spec.end)
    if spec.event_types:
        keep &= frame["event_type"].isin(spec.event_types)
    if spec.sub_event_types:
        keep &= frame["sub_event_type"].isin(spec.sub_event_types)
    if spec.actors:
        keep &= frame["actor1"].isin(spec.actors) | frame["actor2"].isin(spec.actors)
    if spec.admin1:
        keep &= place_mask(frame["admin1"], frame["adm1_pcode"], spec.admin1)
    if spec.admin2:
        keep &= place_mask(frame["admin2"], frame["adm2_pcode"], spec.admin2)
    if spec.max_precision:
        keep &= frame["geo_precision"].fillna(99) <= spec.max_precision
    if spec.text.strip():
        needle = spec.text.strip()
        keep &= (frame["evidence"].str.contains(needle, case=False, regex=False, na=False)
                 | frame["title"].str.contains(needle, case=False, regex=False, na=False))
    return frame[keep.fillna(False).astype(bool)]


def place_mask(names: pd.Series, pcodes: pd.Series, wanted: list[str]) -> pd.Series:
    """Rows whose pcode or name is one of ``wanted``, names compared by ``geo.normalize`` keys: the exact
    key ("Lashkar Gah" = "Lashkargah"), else, for a value no name matches exactly, the sound key
    ("Helmand" = "Hilmand", "Herat" = "Hirat")."""
    distinct = pd.Series(names.dropna().unique())
    exact = {name: name_key(name) for name in distinct}
    sound = {name: sound_key(name) for name in distinct}
    hits: set[str] = set()
    for value in wanted:
        key = name_key(value)
        found = {name for name, k in exact.items() if k and k == key}
        if not found and (skey := sound_key(value)):
            found = {name for name, k in sound.items() if k == skey}
        hits |= found
    codes = {v.strip().upper() for v in wanted}
    return names.isin(hits) | pcodes.fillna("").str.upper().isin(codes)


def find_units(text: str, gazetteer, feature: str) -> list[str]:
    """Pcodes of the provinces or districts (``feature``) that ``text`` names: a pcode, or any spelling
    the geocoder's gazetteer knows (``Gazetteer.lookup_keys``); exact-key matches before sound-key ones."""
    text = (text or "").strip()
    if not text:
        return []
    if text.upper().startswith("AF") and text[2:].isdigit():
        return [text.upper()]
    exact, sounds = gazetteer.lookup_keys(name_key(text), sound_key(text))
    code = "adm1_pcode" if feature == "province" else "adm2_pcode"
    for entries in (exact, sounds):
        found = list(dict.fromkeys(getattr(e, code) for e in entries if e.feature == feature))
        if found:
            return found
    return []


def emptying_filter(frame: pd.DataFrame, spec: EventFilter) -> str | None:
    """The field of ``spec`` that leaves no row when the fields are applied one by one (in declaration
    order), or None when rows remain: what to tell an analyst looking at an empty view."""
    if frame.empty:
        return None
    partial = EventFilter()
    for name in EventFilter.__dataclass_fields__:
        value = getattr(spec, name)
        if not value:
            continue
        setattr(partial, name, value)
        if apply_filter(frame, partial).empty:
            return name
    return None
