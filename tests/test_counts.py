import pytest

from events.counts import extract_counts, number_value, with_references


@pytest.mark.parametrize("text,value", [("3,000", 3000), ("twenty-two", 22), ("several", 3), ("dozens", 12),
                                        ("seven", 7), ("at least 12", 12), ("two hundred", 200),
                                        ("one hundred and fifty", 150), ("two dozen", 24), ("a hundred", 100),
                                        ("1.5 million", 1_500_000), ("a dozen", 12)])
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
    ("Two hundred people were killed in the attack.", "killed", 200),
    ("The blast killed one hundred and fifty people.", "killed", 150),
    ("One policeman and one insurgent were killed.", "killed", 2),
    ("Insurgents killed one policeman and one civilian.", "killed", 2),
    ("The fighting displaced 1.5 million people.", "displaced", 1_500_000),
    ("Hundreds of thousands of Afghans were killed in the war.", "killed", 100_000),
    ("Tens of thousands of civilians were killed.", "killed", 10_000),
    # a phrase that counts no one ("the police ...") does not hide the one that does
    ("In the attack on the police station on Thursday two policemen were martyred.", "killed", 2),
    ("Two staff of an NGO and two drivers were kidnapped.", "detained", 4),
])
def test_counts_next_to_casualty_verbs(sentence, field, value):
    assert getattr(with_references(extract_counts(sentence), set()), field) == value


@pytest.mark.parametrize("sentence", [
    "At least 13,500 foreign forces remain in Afghanistan.",
    "The US invaded the country in 2001.",
    "The combat mission ended on December 31, 2014.",
    "A fund that will help the families of those killed in the war was launched.",
    "It set up a fund meant to help members of the media fraternity who were killed.",
])
def test_years_dates_and_force_sizes_are_not_casualties(sentence):
    assert not extract_counts(sentence).any()


def test_displaced_unit_is_kept():
    assert extract_counts("More than 500 families fled their homes.").displaced_unit == "families"


@pytest.mark.parametrize("sentence,value", [
    ("Forces detained a facilitator along with several suspected insurgents.", 4),
    ("They captured a Taliban leader and a facilitator along with two associates.", 4),
    ("A leader and two associates were detained.", 3),
    ("ISAF confirmed the capture of a Taliban facilitator.", 1),
    ("The force detained several insurgents including the commander.", 3),
])
def test_coordinated_and_nominal_figures(sentence, value):
    assert extract_counts(sentence).detained == value


@pytest.mark.parametrize("sentence,value", [("More than 30 insurgents were killed.", 30),
                                            ("The strike resulted in the deaths of five fighters.", 5),
                                            ("The patrol returned fire, killing all four.", 4)])
def test_killed_forms(sentence, value):
    assert extract_counts(sentence).killed == value


@pytest.mark.parametrize("sentence,value", [
    ("Five aid workers were shot and killed by gunmen.", 5),                      # coordinated participle
    ("All five were later killed.", 5),                                           # adverb before the verb
    ("3 UN (1 Filipino, 2 Kenyan) staff killed in a bombing.", 3),                # parenthetical aside
    ("A deminer, working for a company contracted by the UN, was killed.", 1),    # aside between commas
    ("Three UN-contracted vaccinators were killed in a blast.", 3),               # named by their work
    ("The bodies of five aid workers were found near the road.", 5),              # found dead
    ("Two relatives of those killed spoke to reporters.", None),                  # mourners are not victims
    ("A roadside bomb killed two U.S. troops in the east.", 2),                   # an abbreviation
    ("Two staff (a guard and a cook) killed by intruders at the clinic.", 2),     # aside after the people
    # a relative clause about them
    ("One engineer who was travelling with his colleagues to inspect the new dam site in the valley was "
     "shot dead by gunmen.", 1),
    ("Four deminers ambushed and shot dead near the road.", 4),                   # an act done to them first
    ("A teacher was stabbed to death outside the school.", 1),
    ("Two guards were found dead at the gate.", 2),
    ("The corpse of a missing driver was found near the river.", 1),
    # the doers of a coordinated act are not its victims
    ("The leader commanded a group who organized and executed attacks against the forces.", None),
])
def test_victims_named_by_role_and_verb_forms(sentence, value):
    assert extract_counts(sentence).killed == value


def test_a_large_number_is_vague_not_one():
    assert extract_counts("A large number of the Afghan nationals have been arrested.").detained == 4


def test_definite_references_count_only_when_nothing_was_counted_before():
    again = extract_counts("After questioning, the security force detained the suspected insurgent.")
    assert again.detained is None and [(f.value, f.definite) for f in again.figures] == [(1, True)]
    assert with_references(again, {"detained"}).detained is None
    assert with_references(again, set()).detained == 1
    mixed = extract_counts("The force detained the leader along with three of his associates.")
    assert with_references(mixed, {"detained"}).detained == 3
    assert with_references(mixed, set()).detained == 4


def test_phrases_keep_their_people_and_vagueness():
    text = "Forces detained several suspected insurgents and two of his associates."
    figures = extract_counts(text).figures
    assert ([(f.value, f.noun, f.vague) for f in figures]
            == [(3, "suspected insurgent", True), (2, "associate", False)])


def test_a_named_person_and_the_others_with_him():
    counts = extract_counts("Officers arrested Aslam Farooqi, the leader of the group in Afghanistan, "
                            "together with 19 other militants on Saturday.")
    assert counts.detained == 20
    assert extract_counts("They killed Afghan Army soldiers.").killed is None   # a group, not a person


def test_the_and_a_plural_gives_no_figure():
    text = "Forces tried to hold the centre of the city while the residents fled."
    assert extract_counts(text).displaced is None


@pytest.mark.parametrize("sentence,killed,injured", [
    ("A driver hired by a charity was stopped by armed men near the river, and later killed.", 1, None),
    ("Two teachers were caught in a crossfire between the two sides and wounded.", None, 2),
    # the second verb has an object, so another subject: the guards are not among the dead
    ("Two guards were posted at the gate when gunmen arrived and killed a civilian.", 1, None),
])
def test_a_verb_coordinated_with_a_passive_shares_its_subject(sentence, killed, injured):
    counts = extract_counts(sentence)
    assert (counts.killed, counts.injured) == (killed, injured)


@pytest.mark.parametrize("sentence,killed,injured", [
    # the people the parenthesis follows are left out
    ("Three staff members of an NGO and two soldiers (not counted here) were killed in the attack.", 3, None),
    ("A deminer and 2 police escorts (not included) killed when their vehicle hit a mine.", 1, None),
    # closing a clause, it leaves out every figure of that clause
    ("Twelve civilians had been killed and five others injured in the strikes (not included).", None, None),
    # a parenthesis that says nothing of counting changes nothing
    ("Two guards (both local men) were killed in the attack.", 2, None),
])
def test_a_figure_the_text_marks_as_not_counted_is_left_out(sentence, killed, injured):
    counts = extract_counts(sentence)
    assert (counts.killed, counts.injured) == (killed, injured)


def test_a_toll_is_the_figure_named_other_counts_the_smallest_the_words_allow():
    assert extract_counts("More than 30 insurgents were killed.").killed == 30
    assert extract_counts("The force detained more than 10 suspected insurgents.").detained == 11


@pytest.mark.parametrize("sentence,killed", [
    ("“At least five killed at Kabul airport” At least five people have been killed in Kabul airport.", 5),
    ("Leave the airport after 12 killed According to officials, a total of 12 people have been killed.", 12),
    ("Five soldiers were killed and five civilians were killed in the attack.", 10),
])
def test_a_figure_given_twice_for_the_same_people_is_one(sentence, killed):
    assert extract_counts(sentence).killed == killed


@pytest.mark.parametrize("sentence,killed", [
    ("The terrorists killed another group of worshippers during Friday prayers.", None),
    ("Militants killed a group of villagers.", None),
    ("A group of gunmen killed two policemen.", 2),
])
def test_a_figure_of_groups_counts_no_people(sentence, killed):
    assert extract_counts(sentence).killed == killed


def test_people_among_a_toll_are_part_of_it():
    counts = extract_counts("Two embassy staffers were among six persons killed when a bomber struck.")
    assert counts.killed == 6


@pytest.mark.parametrize("sentence", [
    "At least 11 people were killed or wounded in the blast.",
    "Several villagers were killed and wounded in the shelling.",
    "The attack killed or injured 40 civilians.",
    "A van exploded near the airport, killing and injuring 17 people.",
    "The blast left dozens of people dead or wounded.",
    "An attack left a large number of the staffers of Afghanistan’s Foreign Ministry dead or injured.",
])
def test_the_dead_and_wounded_counted_together_are_neither(sentence):
    counts = extract_counts(sentence)
    assert (counts.killed, counts.injured) == (None, None)
    apart = extract_counts("Five people were killed and 11 wounded in the blast.")
    assert (apart.killed, apart.injured) == (5, 11)


def test_people_counted_are_not_carried_over_a_clause_with_a_subject_of_its_own():
    fled = extract_counts("More than 1,000 soldiers fled to Tajikistan as the Taliban captured the city.")
    assert (fled.displaced, fled.detained) == (1001, None)
    held = extract_counts("One aid worker was tortured while being detained by the Taliban.")
    assert held.detained == 1


def test_people_of_two_kinds_counted_together_are_one_figure():
    assert extract_counts("Forty students and teachers have been killed in the attacks.").killed == 40
    assert extract_counts("Five police and civilians were killed in the attack.").killed == 5
    assert extract_counts("A leader and two others were detained.").detained == 3   # two figures: added
