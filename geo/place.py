"""The geocoder's output record: one place mention resolved (or not) to an admin unit."""
from __future__ import annotations

from dataclasses import dataclass, replace

from geo.units import AdminUnit, UnitFields

# geo_precision codes (see shared DESIGN.md)
PRECISION_POINT = 1      # named village or town, point known
PRECISION_NEAR = 2       # near a named place / part of a district
PRECISION_DISTRICT = 3   # district centroid
PRECISION_PROVINCE = 4   # province centroid
PRECISION_COUNTRY = 5    # country only


@dataclass(slots=True)   # not frozen: made once per mention on the hot path; derive changes with replace()
class Place(UnitFields):
    """A place mention in a text, resolved to an admin unit and a point.

    ``role`` says how the text uses the place: ``"event"`` (where something
    happened), ``"origin"`` (militants *from* X), ``"affiliation"`` (operating
    in X), ``"dateline"`` or ``"speaker"`` (where an official spoke).
    Places outside Afghanistan have ``country_iso3 != "AFG"`` and no pcodes.
    The unit's fields read as the place's own (``place.adm1_pcode``: ``UnitFields``).
    """

    text: str                 # the matched text, as written
    start: int                # character offsets in the source text
    end: int
    location: str             # canonical name of the place itself
    unit: AdminUnit           # the country, province and district it lies in
    geo_precision: int        # 1..5
    latitude: float | None = None
    longitude: float | None = None
    role: str = "event"       # also "route" (from X to Y), "heading", "destination", "organisation",
    #                           "nationality" ("Syrian forces"), "speaker", "origin", "affiliation",
    #                           "time" ("since the fall of Kabul"), "street" ("Jalalabad Road")
    feature: str = "admin"    # "country" | "province" | "district" | "settlement"


def province_of(place: Place) -> Place:
    """The same mention known only to its province (the point stays where the text put it)."""
    return replace(place, unit=place.unit.province(), location=place.adm1_name or "",
                   geo_precision=PRECISION_PROVINCE, feature="province")
