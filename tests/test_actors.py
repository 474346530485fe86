"""Who did it to whom."""
from __future__ import annotations

import pytest

from events.actors import actor_roles
from events.taxonomy import classify


@pytest.mark.parametrize("sentence,roles", [
    ("Gunmen stormed a hospital in Kabul, killing 24 people, among them mothers.",
     ("Unidentified armed group", "")),
    ("Residents said insurgents captured the governor's compound.", ("Unidentified armed group", "")),
    ("At least 20 police officers were killed in the fighting.", ("", "Afghan National Police")),
    ("Two civilians were killed by Taliban gunmen in Kabul.", ("Taliban", "Civilians")),
    ("The Islamic State group said it carried out the bombing.", ("Islamic State (IS-K)", "")),
    ("Afghan intelligence officers arrested the leader of the Islamic State group.",
     ("Afghan security forces", "Islamic State (IS-K)")),
    ("A US air strike hit the trauma hospital, killing 22 people.", ("NATO/ISAF/US forces", "")),
])
def test_actor_roles(sentence, roles):
    rule = classify(sentence)
    assert actor_roles(sentence, rule.pattern.search(sentence).start()) == roles


def test_types_of_captures_and_attacks_on_civilians():
    assert classify("Taliban fighters captured Zaranj, the capital of Nimroz province.").sub_event_type == \
        "Non-state actor overtakes territory"
    assert classify("Insurgents captured the provincial governor's compound.").sub_event_type == \
        "Non-state actor overtakes territory"
    assert classify("Police captured two suspects in the raid.").sub_event_type == "Arrests"
    text = "Gunmen stormed a ward, killing 24 people, among them mothers."
    assert classify(text).sub_event_type == "Attack"
