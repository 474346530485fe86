"""The admin unit a place lies in: country, province (adm1) and district (adm2), one record type.

Gazetteer entries (``geo.gazetteer.Entry``), resolved place mentions (``geo.place.Place``) and the
store's event rows (``events.store``) all carry an ``AdminUnit``; ``UnitFields`` gives the first two
the unit's fields as read-only attributes (``place.adm1_pcode``).
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

AFGHANISTAN = "AFG"
# The store's event columns that name a field differently (the others are called as the field).
_STORE_NAMES = {"adm1_name": "admin1", "adm2_name": "admin2"}


@dataclass(frozen=True, slots=True)
class AdminUnit:
    """A country, a province in it, or a district of that province.

    Places abroad have only their country (ISO 3166 alpha-3); Afghan units have COD-AB pcodes
    ("AF19", "AF1905") and names.
    """

    country_iso3: str
    adm1_pcode: str | None = None
    adm1_name: str | None = None
    adm2_pcode: str | None = None
    adm2_name: str | None = None

    @property
    def pcodes(self) -> tuple[str | None, str | None]:
        """(adm1_pcode, adm2_pcode): units with equal pcodes are the same unit (places abroad have none)."""
        return self.adm1_pcode, self.adm2_pcode

    def province(self) -> AdminUnit:
        """The same unit known only to its province."""
        return replace(self, adm2_pcode=None, adm2_name=None)

    def columns(self) -> dict[str, str | None]:
        """The unit as the store's event columns (country_iso3, adm1_pcode, admin1, adm2_pcode, admin2)."""
        return {column: getattr(self, field) for field, column in _STORE_COLUMNS.items()}


_STORE_COLUMNS = {f.name: _STORE_NAMES.get(f.name, f.name) for f in fields(AdminUnit)}
# The fields below the country, as ``geo.join.join_points`` names its columns.
DIVISION_FIELDS = tuple(f.name for f in fields(AdminUnit) if f.name != "country_iso3")


def no_unit_columns() -> dict[str, None]:
    """The store's unit columns of an event without a place: all empty."""
    return dict.fromkeys(_STORE_COLUMNS.values())


class UnitFields:
    """The fields of a record's ``unit`` as read-only attributes (mixed into Entry and Place)."""

    __slots__ = ()
    unit: AdminUnit

    @property
    def country_iso3(self) -> str:
        return self.unit.country_iso3

    @property
    def adm1_pcode(self) -> str | None:
        return self.unit.adm1_pcode

    @property
    def adm1_name(self) -> str | None:
        return self.unit.adm1_name

    @property
    def adm2_pcode(self) -> str | None:
        return self.unit.adm2_pcode

    @property
    def adm2_name(self) -> str | None:
        return self.unit.adm2_name

    @property
    def in_afghanistan(self) -> bool:
        return self.unit.country_iso3 == AFGHANISTAN
