"""The words a pattern's matches end with, read from the pattern's syntax tree.

The role patterns of ``geo.geocode`` (``_ORIGIN_BEFORE``, ``_TIME_BEFORE`` ...) are searched in the text
right before a place name and end at it.  Most names follow a word that ends none of them, so a quick test
of that word skips the searches; ``last_words`` makes the test's word list from the patterns themselves,
so it cannot drift from them.
"""
from __future__ import annotations

import re

from regex_tree import class_chars, sre, sre_parse, zero_width


class UnboundedEnding(ValueError):
    """A pattern whose matches may end in any word: no word list can stand for it."""


def last_words(patterns: list[re.Pattern]) -> frozenset[str]:
    """Lower-case words one of which is the last word of every match of each of ``patterns`` (patterns
    that end with the end of their text, after optional spaces: "... from\\s+$")."""
    words: set[str] = set()
    for pattern in patterns:
        closed, at_start = _back(list(sre_parse.parse(pattern.pattern, pattern.flags)), {""})
        if "" in at_start:   # a match may hold no word at all
            raise UnboundedEnding(pattern.pattern)
        words |= closed | at_start   # a word that opens the pattern is whole too
    return frozenset(words)


def _back(items: list, open_words: set[str]) -> tuple[set[str], set[str]]:
    """Read ``items`` backwards from ``open_words`` (the ends of last words found so far, "" before any):
    the words completed, and those still open at the sequence's start."""
    closed: set[str] = set()
    for op, argument in reversed(items):
        if not open_words:
            break
        if zero_width(op, argument):
            continue
        done, open_words = _item(op, argument, open_words)
        closed |= done
    return closed, open_words


def _item(op, argument, open_words: set[str]) -> tuple[set[str], set[str]]:
    if _is_space(op, argument):
        return _space(open_words)
    if op is sre.LITERAL:
        return _chars({chr(argument).lower()}, open_words)
    if op is sre.IN:
        return _chars(class_chars(argument), open_words)
    if op is sre.SUBPATTERN:
        return _back(list(argument[-1]), open_words)
    if op is sre.BRANCH:
        closed: set[str] = set()
        still_open: set[str] = set()
        for branch in argument[1]:
            done, left = _back(list(branch), open_words)
            closed, still_open = closed | done, still_open | left
        return closed, still_open
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, high, body = argument
        body = list(body)
        if len(body) == 1 and _is_space(*body[0]):
            done, left = _space(open_words)
            return (done, left | open_words) if low == 0 else (done, left)
        done, left = _back(body, open_words)   # its last (or only) time
        if high > 1 and any(left):   # repeated inside the last word: the word may be anything
            raise UnboundedEnding(str(body))
        return (done, left | open_words) if low == 0 else (done, left)
    raise UnboundedEnding(str(op))


def _chars(chars: set[str] | None, open_words: set[str]) -> tuple[set[str], set[str]]:
    if chars is None:
        raise UnboundedEnding("a class of many characters in the last word")
    return set(), {c + word for c in chars for word in open_words}


def _space(open_words: set[str]) -> tuple[set[str], set[str]]:
    """A space ends the words begun, and stays before any ("" remains open)."""
    return {w for w in open_words if w}, {w for w in open_words if not w}


def _is_space(op, argument) -> bool:
    if op is sre.LITERAL:
        return chr(argument).isspace()
    return op is sre.IN and argument == [(sre.CATEGORY, sre.CATEGORY_SPACE)]
