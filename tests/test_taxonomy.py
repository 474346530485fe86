"""Which sentences report an event at all."""
from __future__ import annotations

import pytest

from events import taxonomy


@pytest.mark.parametrize("sentence", [
    "No hostilities or clashes have broken out between the two sides.",
    "The ministry summoned the envoy to protest against the remarks.",
])
def test_negated_triggers_and_diplomatic_protests_are_not_events(sentence):
    assert taxonomy.classify(sentence) is None


@pytest.mark.parametrize("sentence,sub_type", [
    ("Gunmen clashed with police, though no one was hurt.", "Armed clash"),
    ("Hundreds of students protested outside the university.", "Peaceful protest"),
])
def test_a_trigger_outside_the_negation_still_counts(sentence, sub_type):
    assert taxonomy.classify(sentence).sub_event_type == sub_type


@pytest.mark.parametrize("sentence", [
    "Higher education institutions are frequently attacked.",
    "Suicide bombers are trained to carry out complex attacks at crowded places.",
    "The Soviet troops launched mortar attacks on the city.",
    "In the 1990s militias shelled the capital.",
])
def test_habits_and_history_are_flagged(sentence):
    assert taxonomy.NOT_AN_EVENT.search(sentence) or taxonomy.BACKGROUND.search(sentence)
