"""Which sentences report an event at all."""
from __future__ import annotations

import pytest

from events import taxonomy


@pytest.mark.parametrize("sentence", [
    "No hostilities or clashes have broken out between the two sides.",
    "The ministry summoned the envoy to protest against the remarks.",
    "Despite strong protest from the government, the politicians held talks with the group.",
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
    "The clashes that have happened in border areas during the past months are a source of concern.",
    "No group claimed it, but in October 2020 a suicide attack on an educational centre killed 24.",
    "The Taliban has taken control of dozens of districts since the withdrawal started.",
    "Police set up checkpoints on Friday to prevent protests in the city.",
    "The group has attacked the area in the past.",
    "It is the worst since the twin bombings at the airport in late August, which killed at least 175.",
])
def test_habits_and_history_are_flagged(sentence):
    assert taxonomy.NOT_AN_EVENT.search(sentence) or taxonomy.BACKGROUND.search(sentence)


@pytest.mark.parametrize("sentence,sub_type", [
    ("Government forces were battling the Taliban near the city.", "Armed clash"),
    ("The militants encircled the district centre overnight.", "Non-state actor overtakes territory"),
    ("A warplane dropped a bomb on the compound.", "Air/drone strike"),
    ("The militants have taken control of the Torkham and Ghulam Khan border crossings.",
     "Non-state actor overtakes territory"),
    ("Fighters took control of the airport after the last flight left.",
     "Non-state actor overtakes territory"),
    ("An official confirmed that Kandahar, the economic hub of the south, was under Taliban control.",
     "Non-state actor overtakes territory"),
    ("The president fled as the Taliban surrounded the capital Kabul.",
     "Non-state actor overtakes territory"),
    ("The group has reportedly taken control of the southwestern city of Lashkar Gah.",
     "Non-state actor overtakes territory"),
    ("The Taliban have taken control of Afghanistan's Zaranj on Friday.",
     "Non-state actor overtakes territory"),
    ("Taliban fighters entered Zaranj on Friday without meeting resistance.",
     "Non-state actor overtakes territory"),
    ("Daesh attacks in Kunduz and Kandahar aim to sow division.", "Armed clash"),
    ("The fall of Kabul to the Taliban on Sunday stunned the world.", "Non-state actor overtakes territory"),
    ("The bomb attack has killed at least 50 people, officials said.", "Remote explosive/landmine/IED"),
    ("A van exploded near the airport on Friday, killing 17 people.", "Remote explosive/landmine/IED"),
])
def test_triggers_seen_in_real_news(sentence, sub_type):
    assert taxonomy.classify(sentence).sub_event_type == sub_type


@pytest.mark.parametrize("sentence", [
    "The new cabinet took control of the situation within a week.",
    "Critics called the retreat the “fall of Kabul” of our time.",
    "The illegal cargo had entered Yazd from the eastern provinces.",
    "Iran voiced concern over terrorist attacks in Afghanistan.",
    "A line of armored fighting vehicles drove along the highway outside the city.",
    "For over 30 years, Iran has demonstrated a humanitarian commitment to refugees.",
    "The Taliban took control of Afghanistan without meeting resistance.",
    "The officials exchanged views on fighting the coronavirus.",
    "What was the purpose of fighting the group for 17 years?",
    "Even if one bomb killed 3 people, the cost is enormous.",
    "IS-K has carried out several bombings recently.",
    "The Taliban carried out 2,162 attacks against government forces after the truce.",
    "Millions are internally displaced.",
    "Afghans continue to be attacked, abused and displaced.",
    "The summit is a demonstration of the solidarity of the international community.",
    "The figure is small compared to the 2,200 US soldiers killed prior to 2015.",
    "The U.S. forces have been bombing our homes and villages for years now.",
    "The Taliban launches complex attacks on a daily basis.",
    "Halting attacks on the Afghan forces is a pre-condition for the agreement.",
    "At least 1,600 civilians were killed in the first six months of the year.",
    "Fighting between the Taliban and government forces has increased over the past two months.",
    "The group has in recent past attacked Shias also.",
    "Kabul is likely to be the last and biggest battle.",
    "It has claimed responsibility for many suicide attacks in Kabul this year.",
    "Attacks this quarter were above seasonal norms, and more than 870 civilians were killed.",
    "When innocent civilians are killed in Europe, the whole world erupts in anger.",
    "Such actions are planned to create tension and launch killings of Muslims.",
    "The army has displayed its ability to counter the militants in battles in the east.",
])
def test_other_senses_questions_conditions_and_totals(sentence):
    rule = taxonomy.classify(sentence)
    assert rule is None or any(pattern.search(sentence) for pattern in (
        taxonomy.HYPOTHETICAL, taxonomy.BACKGROUND, taxonomy.NOT_AN_EVENT))


def test_the_prefilter_never_rejects_a_sentence_a_rule_matches(shared_data):
    """Every rule match in real news must pass the fast first test, or the rule silently never fires."""
    import json
    from events.sentences import split_sentences
    path = shared_data / "articles" / "tehrantimes-afghanistan" / "articles.jsonl"
    with path.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for _, line in zip(range(600), handle, strict=False)]
    sentences = [s.text for text in texts for s in split_sentences(text)]
    missed = [s for s in sentences if any(rule.pattern.search(s) for rule in taxonomy.RULES)
              and not taxonomy.passes_prefilter(s)]
    assert missed == []
    # and each rule's own first test
    missed = [(rule.sub_event_type, s) for s in sentences for rule in taxonomy.RULES
              if rule.pattern.search(s) and not rule.quick.search(s.lower())]
    assert missed == []


def test_casualties_without_a_trigger_are_violence_only_with_weapons_or_attackers():
    bomb = taxonomy.casualty_rule("A third bomb in Kunduz wounded 11 mechanics.")
    assert bomb.event_type == taxonomy.EXPLOSIONS
    assert taxonomy.casualty_rule("A terrorist attack left 29 people dead.").sub_event_type == "Armed clash"
    assert taxonomy.casualty_rule("A bus crash on the highway left 20 people dead.") is None


@pytest.mark.parametrize("sentence,sub_type", [
    ("A nearby tuition center was also targeted in a grenade attack.", "Grenade"),
    ("Its suicidal attacks on worshippers in Kunduz were horrific.", "Suicide bomb"),
    ("The group's forces “conquered” the provincial capital of Panjshir.",
     "Non-state actor overtakes territory"),
])
def test_more_triggers_seen_in_real_news(sentence, sub_type):
    assert taxonomy.classify(sentence).sub_event_type == sub_type


def _plan_in_clause(sentence: str) -> bool:
    """Whether the clause of the sentence's trigger says a statement, plan or habit (NOT_AN_EVENT)."""
    _, words = taxonomy.trigger(sentence)
    return bool(taxonomy.NOT_AN_EVENT.search(taxonomy.reporting_clause(sentence, words.end())))


def test_a_plan_in_a_later_clause_is_not_said_of_the_act():
    sentence = ("More than 150 fighters had surrendered to Afghan forces in Jawzjan province, which was "
                "followed by reports that they would be given amnesty.")
    rule = taxonomy.classify(sentence)
    assert rule.sub_event_type == "Other"
    clause = taxonomy.reporting_clause(sentence, rule.pattern.search(sentence).end())
    assert not taxonomy.NOT_AN_EVENT.search(clause)
    planned = "The militants said they would have surrendered to the police, which the governor refused."
    trigger = taxonomy.classify(planned).pattern.search(planned)
    assert taxonomy.NOT_AN_EVENT.search(taxonomy.reporting_clause(planned, trigger.end()))
    aside = ("Civilians die—most recently in the drone strike that killed ten in Kabul—and the army seeks "
             "the ability to strike again.")
    assert not _plan_in_clause(aside)


@pytest.mark.parametrize("sentence,sub_type", [
    ("The rally in the Afghan capital to condemn the attack on the consulate ended with a statement.",
     "Peaceful protest"),
    ("Residents marched against the killing of two students in Herat.", "Peaceful protest"),
    ("Protesters clashed with police in Kabul.", "Armed clash"),
])
def test_an_act_a_protest_is_against_leaves_the_protest_as_the_news(sentence, sub_type):
    assert taxonomy.classify(sentence).sub_event_type == sub_type


@pytest.mark.parametrize("sentence,sub_type", [
    ("The Taliban have taken control of Afghanistan’s Jalalabad without a fight.",
     "Non-violent transfer of territory"),
    ("Zaranj, the capital of Nimruz, fell to the Taliban without any fighting.",
     "Non-violent transfer of territory"),
    ("Zaranj, the capital of Nimruz, fell to the Taliban on Friday.", "Non-state actor overtakes territory"),
    ("They entered without fighting, he said.", None),
    ("Without warning, gunmen attacked a bus in Kabul.", "Armed clash"),   # "without" governs its next words
])
def test_a_place_taken_without_a_fight_is_a_non_violent_transfer(sentence, sub_type):
    rule = taxonomy.classify(sentence)
    assert (rule.sub_event_type if rule else None) == sub_type


def test_what_a_time_clause_after_the_act_says_is_not_said_of_the_act():
    assert not _plan_in_clause("The fighting in Kunduz happened a few days after reports about "
                               "preliminary peace talks.")
    assert _plan_in_clause("The fighting would resume after the talks.")


@pytest.mark.parametrize("sentence,event", [
    ("Iran condemned the bomb explosion at a mosque in Kunduz province on Friday.", True),
    ("The minister warned of attacks on mosques in Kunduz province.", False),
    ("The group vowed to carry out attacks on the base in Kunduz.", False),
    ("Fighters went door to door, arresting and threatening to kill relatives in Kabul.", False),
])
def test_condemning_an_act_says_it_happened_a_warning_or_vow_does_not(sentence, event):
    assert (not _plan_in_clause(sentence)) == event


@pytest.mark.parametrize("sentence,plan", [
    ("Daesh attacks in Kunduz and Kandahar are aimed to cause sectarian division.", False),
    ("The bombings were designed to terrorise the Shia minority.", False),
    ("The group aimed to attack the base in Kunduz.", True),
    ("Such actions are planned to create tension and launch killings.", True),
])
def test_a_purpose_said_of_an_act_is_the_acts_own_not_a_plan(sentence, plan):
    assert bool(taxonomy.NOT_AN_EVENT.search(sentence)) == plan


@pytest.mark.parametrize("sentence,territory", [
    ("Its fall followed the Taliban’s seizure of Mazar-i-Sharif, a major northern city.", True),
    ("The Taliban have taken control of Afghanistan’s Jalalabad on Sunday.", True),
    ("He called the seizure of Afghanistan's frozen assets illegitimate.", False),
    ("The group has taken control of Afghanistan.", False),
])
def test_a_named_place_taken_and_the_country_that_is_not_a_place_on_the_map(sentence, territory):
    rule = taxonomy.classify(sentence)
    assert (rule is not None and rule.sub_event_type == "Non-state actor overtakes territory") == territory


def test_a_known_act_that_only_dates_another_is_not_reported_without_figures():
    dating = "A day after the attacks on the embassy, the minister called the ambassador."
    assert taxonomy.classify(dating) is None
    assert taxonomy.classify(dating, figures=True).sub_event_type == "Armed clash"
    marched = "Following the deadly attacks on Shias in Kabul, residents marched on Friday."
    assert taxonomy.classify(marched).event_type == taxonomy.PROTESTS
    assert taxonomy.classify("A week after a suicide attack on a mosque, police arrived.") is not None
    assert taxonomy.classify("Officials have yet to blame the group for the massacre in the city.") is None
    assert taxonomy.classify("Talks resumed after the recent killing of their leader in Kabul.") is not None
    assert taxonomy.classify("Following his killing, journalists in the city announced a boycott.") is None


def test_the_trigger_is_the_act_reported_not_the_act_that_dates_it():
    sentence = "A day after the attack on the embassy, gunmen attacked a checkpoint in Kunduz."
    rule, words = taxonomy.trigger(sentence)
    assert rule.sub_event_type == "Armed clash"
    assert words.group() == "attacked"


@pytest.mark.parametrize("sentence", [
    "The military's handling of the drone strike in Kabul led to widespread condemnation.",
    "The Taliban claimed responsibility for the suicide car bomb attack in Kabul.",
    "America formed two control rooms to run these demonstrations in the city of Herat.",
])
def test_a_known_act_named_as_the_object_of_a_reaction_is_referred_to_not_reported(sentence):
    assert taxonomy.classify(sentence) is None
