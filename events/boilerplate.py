"""Site boilerplate around an article's text, removed by general rules.

* The body is the run of lines from the first to the last "prose" line (a long line that reads
  as sentences).  Lines outside it are the edges.
* Edge lines that call the reader to act (donate, subscribe, join a mailing list, follow,
  share, cookies, copyright) are dropped.
* Lines repeated in most files of a batch (site menus, slogans) are dropped (``batch_repeats``).
"""
from __future__ import annotations

import re
from collections import Counter

PROMO = re.compile(r"\b(?:donat\w*|subscribe\w*|newsletter|mailing list|sign up|follow us|click here|"
                   r"advertis\w*|cookies?|share this|all rights reserved|copyright|©|read more|"
                   r"related articles?|download (?:pdf|our app)|support (?:us|our)|join (?:the|our|us))\b",
                   re.I)
_PROSE_WORDS = 12


def is_prose(line: str) -> bool:
    """A line that reads as article sentences: long enough and ending like a sentence."""
    words = line.split()
    return len(words) >= _PROSE_WORDS and line.rstrip().endswith((".", "!", "?", '"', "”", "'", "’", ")"))


def split_edges(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(top edge, body, bottom edge) of an article's lines."""
    prose = [i for i, line in enumerate(lines) if is_prose(line)]
    if not prose:
        return [], lines, []
    return lines[:prose[0]], lines[prose[0]:prose[-1] + 1], lines[prose[-1] + 1:]


def is_promo(line: str) -> bool:
    """A short call to action (donate, subscribe, mailing list, ...)."""
    return len(line.split()) <= 20 and bool(PROMO.search(line))


def batch_repeats(texts: list[str], min_share: float = 0.5) -> set[str]:
    """Lines found in at least ``min_share`` of the texts of a batch of three or more."""
    if len(texts) < 3:
        return set()
    counts = Counter(line for text in texts
                     for line in {raw.strip() for raw in text.splitlines() if raw.strip()})
    return {line for line, n in counts.items() if n >= max(3, min_share * len(texts))}
