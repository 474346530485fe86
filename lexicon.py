"""English calendar words shared by the text parsers (dates, sentence splitting, place names).

One table each; everything else (patterns, stop lists, abbreviations) is generated from them.
"""
from __future__ import annotations

# month number -> its names (full name first, then abbreviations)
MONTH_NAMES = {1: ("january", "jan"), 2: ("february", "feb"), 3: ("march", "mar"), 4: ("april", "apr"),
               5: ("may",), 6: ("june", "jun"), 7: ("july", "jul"), 8: ("august", "aug"),
               9: ("september", "sept", "sep"), 10: ("october", "oct"), 11: ("november", "nov"),
               12: ("december", "dec")}
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

MONTHS = {name: number for number, names in MONTH_NAMES.items() for name in names}
WEEKDAYS = {name: number for number, name in enumerate(WEEKDAY_NAMES)}
MONTH_ABBREVIATIONS = {name for names in MONTH_NAMES.values() for name in names[1:]}


def alternation(names, capitalise: bool = False) -> str:
    """A regex alternation of ``names``, longest first (so "Sept" is tried before "Sep")."""
    ordered = sorted(names, key=len, reverse=True)
    return "|".join(name.capitalize() if capitalise else name for name in ordered)
