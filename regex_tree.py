"""Reading a pattern's syntax tree: the pieces ``events.prefilter`` (how matches start) and
``geo.last_words`` (how they end) both need."""
from __future__ import annotations

from re import _constants as sre   # type: ignore[attr-defined]
from re import _parser as sre_parse   # type: ignore[attr-defined]

ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
MAX_CLASS = 6   # a character class of more characters stands for "any character"

__all__ = ["MAX_CLASS", "class_chars", "sre", "sre_parse", "zero_width"]


def class_chars(argument) -> set[str] | None:
    """The lower-case characters of a character class (``[abc]``), or None for a large or open one."""
    chars: set[str] = set()
    for op, value in argument:
        if op is sre.LITERAL:
            chars.add(chr(value).lower())
        elif op is sre.RANGE and value[1] - value[0] < MAX_CLASS:
            chars.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        else:
            return None
    return chars


def zero_width(op, argument) -> bool:
    """Whether the item matches no characters (an anchor, a lookaround, or a group or choice of them)."""
    if op in ZERO_WIDTH:
        return True
    if op is sre.SUBPATTERN:
        return all(zero_width(o, a) for o, a in argument[-1])
    if op is sre.BRANCH:
        return all(zero_width(o, a) for branch in argument[1] for o, a in branch)
    return False
