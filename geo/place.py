"""The geocoder's output record: one place mention resolved (or not) to an admin unit."""
from __future__ import annotations

from dataclasses import dataclass, replace

# geo_precision codes (see shared DESIGN.md)
PRECISION_POINT = 1      # named village or town, point known
PRECISION_NEAR = 2       # near a named place / part of a district
PRECISION_DISTRICT = 3   # district centroid
PRECISION_PROVINCE = 4   # province centroid
PRECISION_COUNTRY = 5    # country only


@dataclass(slots=True)   # not frozen: made once per mention on the hot path; derive changes with replace()
class Place:
    """A place mention in a text, resolved to an admin unit and a point.

    ``role`` says how the text uses the place: ``"event"`` (where something
    happened), ``"origin"`` (militants *from* X), ``"affiliation"`` (operating
    in X), ``"dateline"`` or ``"speaker"`` (where an official spoke).
    Places outside Afghanistan have ``country_iso3 != "AFG"`` and no pcodes.
    """

    text: str                 # the matched text, as written
    start: int                # character offsets in the source text
    end: int
    location: str             # canonical name of the place itself
    country_iso3: str         # "AFG", "PAK", ...
    geo_precision: int        # 1..5
    adm1_pcode: str | None = None
    adm1_name: str | None = None
    adm2_pcode: str | None = None
    adm2_name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    role: str = "event"       # also "route" (from X to Y), "heading", "destination", "organisation",
    #                           "nationality" ("Syrian forces"), "speaker"
    feature: str = "admin"    # "country" | "province" | "district" | "settlement"

    @property
    def in_afghanistan(self) -> bool:
        return self.country_iso3 == "AFG"


def province_of(place: Place) -> Place:
    """The same mention known only to its province (the point stays where the text put it)."""
    return replace(place, adm2_pcode=None, adm2_name=None, location=place.adm1_name or "",
                   geo_precision=PRECISION_PROVINCE, feature="province")
