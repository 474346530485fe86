"""English calendar words shared by the text parsers (dates, sentence splitting, place names).

One table each; everything else (patterns, stop lists, abbreviations) is generated from them.
"""
from __future__ import annotations

import re

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
    """A regex matching any of ``names``, written as a trie of their characters ("sep(?:t(?:ember)?)?"):
    the regex engine rejects a position after one character instead of trying every name in turn, and
    the longest name that fits is preferred (so "Sept" before "Sep")."""
    tree: dict = {}
    for name in names:
        node = tree
        for char in name.capitalize() if capitalise else name:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie(tree)


def _trie(node: dict) -> str:
    branches = [re.escape(char) + _trie(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    if "" in node:   # a name ends here: what follows is optional
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
