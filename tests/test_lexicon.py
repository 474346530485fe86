"""The shared word tables and the alternation they generate."""
from __future__ import annotations

import re

import pytest

from lexicon import MONTHS, WEEKDAYS, alternation

WORDS = [*MONTHS, *WEEKDAYS, "a.b", "air strike", "air", "sep"]


@pytest.mark.parametrize("word", WORDS)
def test_alternation_matches_each_name_whole(word):
    assert re.fullmatch(alternation(WORDS), word)


@pytest.mark.parametrize("text", ["se", "septem", "axb", "airs", "mon", ""])
def test_alternation_matches_nothing_else(text):
    assert not re.fullmatch(alternation(WORDS), text)


def test_alternation_prefers_the_longest_name():
    assert re.match(alternation(["sep", "sept", "september"]), "september 5").group() == "september"
    assert re.match(alternation(["Sep", "Sept"]), "Sept.").group() == "Sept"
    assert re.match(alternation(["sep"], capitalise=True), "Sep").group() == "Sep"
