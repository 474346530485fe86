import pytest

from events.counts import extract_counts, number_value


@pytest.mark.parametrize("text,value", [("3,000", 3000), ("twenty-two", 22), ("several", 3), ("dozens", 24),
                                        ("seven", 7), ("at least 12", 12)])
def test_number_value(text, value):
    assert number_value(text) == value


@pytest.mark.parametrize("sentence,field,value", [
    ("The force killed the Taliban leader, Alaudin.", "killed", 1),
    ("They killed the commander Fayez Jan and one additional insurgent.", "killed", 2),
    ("Over 3,000 Afghan families have fled raging battles.", "displaced", 3000),
    ("12 people were killed and 30 wounded in the blast.", "injured", 30),
    ("Four staff killed and 1 staff wounded.", "killed", 4),
    ("The airstrike hit the insurgents, killing several of them.", "killed", 3),
    ("Police arrested seven suspects in the raid.", "detained", 7),
    ("Gunmen abducted two aid workers.", "detained", 2),
])
def test_counts_next_to_casualty_verbs(sentence, field, value):
    assert getattr(extract_counts(sentence), field) == value


@pytest.mark.parametrize("sentence", [
    "At least 13,500 foreign forces remain in Afghanistan.",
    "The US invaded the country in 2001.",
    "The combat mission ended on December 31, 2014.",
])
def test_years_dates_and_force_sizes_are_not_casualties(sentence):
    assert not extract_counts(sentence).any()


def test_displaced_unit_is_kept():
    assert extract_counts("More than 500 families fled their homes.").displaced_unit == "families"
