"""What an analyst asks for (``EventFilter``) and its one meaning: a SQL condition on the events table,
used by the dashboard and the command line alike (``events.view_query`` runs it).

Place names go through the geocoder's normaliser (``geo.normalize``) and become pcodes before any SQL
is written, so the conditions are on indexed columns: dates, types, pcodes and precision.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select, true

from events.store import articles, events
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
    undated: bool = False   # with a date range, keep the events that have no date too

    def __post_init__(self):
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the start date {self.start} is after the end date {self.end}")

    def without_dates(self) -> EventFilter:
        """The same filter over the whole span (undated events included)."""
        return EventFilter(**{**self.__dict__, "start": None, "end": None})

    def file_stem(self) -> str:
        """A download's name that says which view it holds: "events", then the places and the dates
        chosen ("events_AF19_2021-08-01_2021-10-31"); the other filters are in the page's link."""
        parts = ["events", *(self.admin2 or self.admin1)]
        if self.start or self.end:
            parts += [self.start.isoformat() if self.start else "start",
                      self.end.isoformat() if self.end else "end"]
        return "_".join(re.sub(r"[^\w-]", "", part) for part in parts)

    def without_each(self) -> list[tuple[str, EventFilter]]:
        """(field name, this filter without that field) for each field that filters: to tell an analyst
        looking at an empty view which filter to drop ("undated" widens a date range, never empties one)."""
        names = [f.name for f in fields(self)]
        return [(name, EventFilter(**{other: getattr(self, other) for other in names if other != name}))
                for name in names if name != "undated" and getattr(self, name)]


@dataclass(frozen=True)
class StoredUnits:
    """The (name, pcode) pairs of the provinces and districts that stored events carry."""

    provinces: tuple[tuple[str, str], ...] = ()
    districts: tuple[tuple[str, str], ...] = ()


def is_pcode(value: str) -> bool:
    """Whether ``value`` is written as a pcode ("AF30", "af3001")."""
    value = value.strip()
    return value[:2].upper() == "AF" and value[2:].isdigit()


def place_codes(wanted: Iterable[str], units: Iterable[tuple[str, str]]) -> set[str]:
    """The pcodes ``wanted`` names among ``units`` (name, pcode): a pcode in any case, a name compared by
    ``geo.normalize`` keys -- the exact key ("Lashkar Gah" = "Lashkargah"), else, for a value no name
    matches exactly, the sound key ("Helmand" = "Hilmand", "Herat" = "Hirat")."""
    units = list(units)
    codes: set[str] = set()
    for value in wanted:
        codes.add(value.strip().upper())
        key = name_key(value)
        found = {pcode for name, pcode in units if key and name_key(name) == key}
        if not found and (skey := sound_key(value)):
            found = {pcode for name, pcode in units if sound_key(name) == skey}
        codes |= found
    return codes


def condition(spec: EventFilter, units: StoredUnits) -> ColumnElement[bool]:
    """``spec`` as a SQL condition on the events table (``units``: to resolve place names)."""
    c = events.c
    parts: list[ColumnElement[bool]] = []
    dates = [c.event_date >= spec.start] if spec.start else []
    dates += [c.event_date <= spec.end] if spec.end else []
    if dates:
        parts.append(or_(and_(*dates), c.event_date.is_(None)) if spec.undated else and_(*dates))
    if spec.event_types:
        parts.append(c.event_type.in_(spec.event_types))
    if spec.sub_event_types:
        parts.append(c.sub_event_type.in_(spec.sub_event_types))
    if spec.actors:
        parts.append(or_(c.actor1.in_(spec.actors), c.actor2.in_(spec.actors)))
    if spec.admin1:
        parts.append(c.adm1_pcode.in_(sorted(place_codes(spec.admin1, units.provinces))))
    if spec.admin2:
        parts.append(c.adm2_pcode.in_(sorted(place_codes(spec.admin2, units.districts))))
    if spec.max_precision:
        parts.append(c.geo_precision <= spec.max_precision)
    if needle := spec.text.strip():   # literal, case-insensitive, in the evidence or the article's title
        titled = select(articles.c.id).where(articles.c.title.icontains(needle, autoescape=True))
        parts.append(or_(c.evidence.icontains(needle, autoescape=True), c.article_id.in_(titled)))
    return and_(true(), *parts)


# How close a typed name must be to a unit's name to be read as a slip in typing it (difflib's ratio).
_NEARLY_SPELT = 0.85


def find_units(text: str, gazetteer, feature: str) -> list[str]:
    """Pcodes of the provinces or districts (``feature``) that ``text`` names: a pcode, or any spelling
    the geocoder's gazetteer knows (``Gazetteer.lookup_keys``); exact-key matches before sound-key ones."""
    text = (text or "").strip()
    if not text:
        return []
    if is_pcode(text):
        return [text.upper()]
    exact, sounds = gazetteer.lookup_keys(name_key(text), sound_key(text))
    code = "adm1_pcode" if feature == "province" else "adm2_pcode"
    for entries in (exact, sounds):
        found = list(dict.fromkeys(getattr(e, code) for e in entries if e.feature == feature))
        if found:
            return found
    return []


def choose_unit(value: str, offered: list[str], gazetteer, feature: str,
                names: dict[str, str] | None = None) -> tuple[str | None, str]:
    """What a place box typed ``value`` selects among the ``offered`` pcodes, and a note for the analyst:
    an offered pcode or spelling (``find_units``); a district of another province than the one chosen
    (so not offered), with a note that it is elsewhere; in the province box, a district's province; an
    offered unit whose name (``names``: pcode -> name) is spelt nearly so ("Badakshan"); else None and a
    note that no such unit exists."""
    names = names or {}
    if value in offered:
        return value, ""
    named = find_units(value, gazetteer, feature)
    found = [code for code in named if code in offered]
    if found:
        return found[0], ""
    if named and feature == "district":
        return named[0], f"{value} is a district of another province, now selected."
    if feature == "province" and (districts := find_units(value, gazetteer, "district")):
        province = districts[0][:4]
        return province, (f"{value} is a district of {names.get(province, province)}: the province is "
                          "selected, the district is below.")
    near = _nearly_spelt(value, {code: name for code, name in names.items() if code in offered})
    if near:
        return near, f"{value!r} read as {names[near]}."
    return None, f"No {feature} is called {value!r}."


def _nearly_spelt(value: str, names: dict[str, str]) -> str | None:
    """The pcode of the one name in ``names`` (pcode -> name) closest to ``value`` in spelling, if close
    enough to be a typing slip ("Badakshan" for Badakhshan: the sound keys differ on "kh")."""
    keys = {name_key(name): code for code, name in names.items()}
    close = difflib.get_close_matches(name_key(value), list(keys), n=1, cutoff=_NEARLY_SPELT)
    return keys[close[0]] if close else None
