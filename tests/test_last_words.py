"""The quick test's words come from the role patterns themselves."""
from __future__ import annotations

import re

import pytest

from geo.last_words import UnboundedEnding, last_words


def test_last_words_of_alternatives_optional_parts_and_escaped_spaces():
    patterns = [re.compile(r"\bfrom\s+(?:neighbou?ring\s+|(?:[\w-]+\s+){0,5}(?:including|such as)\s+)?$"),
                re.compile(r"""\b(?:bound\ for|heading\ to)\s+(?:the\s+)?$""", re.X),
                re.compile(r"\b(?:agency|daily)\s+$")]
    assert last_words(patterns) == {"from", "neighbouring", "neighboring", "including", "as", "for", "to",
                                    "the", "agency", "daily"}


@pytest.mark.parametrize("pattern", [r"\b\w+\s+$", r"\s*$", r"[a-z]+ly\s+$"])
def test_a_pattern_that_may_end_in_any_word_has_no_list(pattern):
    with pytest.raises(UnboundedEnding):
        last_words([re.compile(pattern)])

