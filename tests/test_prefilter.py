"""Prefilters generated from rule patterns."""
from __future__ import annotations

import re

import pytest

from events.prefilter import UnboundedPattern, leading_literals, prefilter


@pytest.mark.parametrize("pattern,expected", [
    (r"\bsuicide (?:bomb|attack)", {"suic"}),
    (r"(?:civilians?|students)\b[^.]{0,60}\bkilled", {"civi", "stud"}),
    (r"(?<!to )protest\w*", {"prot"}),
    (r"IEDs?\b", {"ied"}),
    (r"air ?strikes?", {"air"}),
    (r"(?:(?<=Taliban )|(?<=forces ))entered", {"ente"}),   # a choice of lookbehinds matches no text
])
def test_leading_literals(pattern, expected):
    assert leading_literals(pattern, width=4) == expected


@pytest.mark.parametrize("pattern", [r"[^.]+ killed", r"(?:a|an )?bomb", r"\w+ing"])
def test_a_pattern_that_can_start_anywhere_has_no_prefilter(pattern):
    with pytest.raises(UnboundedPattern):
        leading_literals(pattern)


def test_the_prefilter_accepts_every_match_and_rejects_other_text():
    patterns = [r"\b(?:killed|wounded) (?:\w+ )?civilians", r"\bair ?raids?"]
    fast = prefilter(patterns)
    for text in ["Gunmen killed three civilians.", "An AIRRAID hit the town.",
                 "Two air raids were reported."]:
        assert any(re.search(p, text, re.I) for p in patterns) and fast.search(text.lower())
    assert fast.search("the minister met his counterpart.") is None
