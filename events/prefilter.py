"""Fast first tests generated from the rule patterns themselves, so they can never drift from them.

``leading_literals`` reads a pattern's syntax tree and returns the short literal strings one of which
every match must start with (lower case).  ``prefilter`` joins them into one pattern to search in the
lowered text: a sentence it rejects cannot match any of the rules, and most sentences are rejected
by it far faster than by trying every rule with ``re.I``.
"""
from __future__ import annotations

import re

from lexicon import alternation
from regex_tree import MAX_CLASS, class_chars, sre, sre_parse, zero_width

WIDTH = 10                   # characters of each leading literal


class UnboundedPattern(ValueError):
    """A pattern whose matches need not start with any literal: no prefilter can be made for it."""


def leading_literals(pattern: str, width: int = WIDTH) -> set[str]:
    """Lower-case strings (up to ``width`` characters) one of which starts every match of ``pattern``."""
    found = _sequence(list(sre_parse.parse(pattern, re.I)), {""}, width)
    if "" in found:
        raise UnboundedPattern(pattern)
    return found


def prefilter(patterns: list[str], width: int = WIDTH) -> re.Pattern:
    """One pattern for the lowered text that matches wherever any of ``patterns`` could."""
    literals = set().union(*(leading_literals(p, width) for p in patterns))
    alternatives = alternation(literals)
    # patterns that all start at a word boundary let the search skip the inside of words
    at_word = all(_starts_at_word_boundary(p) for p in patterns)
    return re.compile(rf"\b(?:{alternatives})" if at_word else alternatives)


def _starts_at_word_boundary(pattern: str) -> bool:
    items = list(sre_parse.parse(pattern))
    return bool(items) and items[0] == (sre.AT, sre.AT_BOUNDARY)


def _sequence(items: list, prefixes: set[str], width: int) -> set[str]:
    """Extend each prefix through the items of a sequence, while every match must go through them."""
    for op, argument in items:
        open_ = {p for p in prefixes if len(p) < width}
        if not open_:
            break
        if zero_width(op, argument):
            continue
        options = _options(op, argument, width)
        if options is None:
            break   # anything may follow here: the prefixes are as long as they get
        prefixes = (prefixes - open_) | {(p + o)[:width] for p in open_ for o in options}
        if not _fixed(op, argument):
            break   # a repeated or variable part: what follows it does not start at a known place
    return prefixes


def _options(op, argument, width: int) -> set[str] | None:
    """The strings the item can start with, or None if it can start with anything."""
    if op is sre.LITERAL:
        return {chr(argument).lower()}
    if op is sre.IN:
        chars = class_chars(argument)
        return None if chars is None or len(chars) > MAX_CLASS else chars
    if op is sre.SUBPATTERN:
        return _sequence(list(argument[-1]), {""}, width) - {""} or None
    if op is sre.BRANCH:
        branches = [_sequence(list(branch), {""}, width) for branch in argument[1]]
        return None if any("" in b for b in branches) else set().union(*branches)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and argument[0] >= 1:
        return _sequence(list(argument[2]), {""}, width) - {""} or None
    return None


def _fixed(op, argument) -> bool:
    """Whether the item always matches one and the same length (so the next item follows it directly)."""
    if op in (sre.LITERAL, sre.IN):
        return True
    if op is sre.SUBPATTERN:
        return all(_fixed(o, a) for o, a in argument[-1])
    return False
