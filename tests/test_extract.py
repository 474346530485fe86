"""Extraction on the seed article and on small texts written for these tests."""
from __future__ import annotations

from datetime import datetime

import pytest

from events.extract import extract_events
from events.load import article_from_text
from events.model import Article, article_id
from events.sentences import split_sentences
from geo.geocode import Geocoder


@pytest.fixture(scope="module")
def geocoder(shared_data):
    return Geocoder.from_config(shared_data)


@pytest.fixture(scope="module")
def seed_events(shared_data, geocoder):
    path = next((shared_data / "articles" / "seed").glob("*.txt"))
    return extract_events(article_from_text(path.read_text(encoding="utf-8"), str(path)), geocoder)


def _article(text, published=datetime(2020, 3, 6)):
    return Article(id=article_id(text), text=text, published=published)


def test_seed_isil_training_in_imam_sahib(seed_events):
    training = [e for e in seed_events if e.place and e.place.adm2_pcode == "AF1905"
                and "train" in e.evidence.lower() and e.actor1.startswith("Islamic State")]
    assert training and training[0].place.adm1_pcode == "AF19"
    assert str(training[0].event_date) == "2015-05-08"


def test_seed_taliban_attacks_late_april(seed_events):
    attacks = [e for e in seed_events if e.event_type == "Battles" and "late last month" in e.evidence]
    assert len(attacks) == 1
    attack = attacks[0]
    assert attack.actor1 == "Taliban" and attack.time_precision in (2, 3)
    assert (attack.event_date.year, attack.event_date.month) == (2015, 4)
    assert attack.place.adm1_pcode == "AF19"


def test_seed_displacement(seed_events):
    displaced = [e for e in seed_events if e.sub_event_type == "Displacement"]
    assert displaced and displaced[0].displaced == 3000 and displaced[0].displaced_unit == "families"
    assert displaced[0].place.adm1_pcode == "AF19"


def test_seed_no_event_abroad_or_elsewhere(seed_events):
    for event in seed_events:
        place = event.place
        assert place is None or place.country_iso3 == "AFG"
        assert place is None or place.adm1_pcode in (None, "AF19")
    assert not any("2001" in e.evidence or "13,500" in e.evidence for e in seed_events)


def test_evidence_offsets_match_the_text(shared_data, geocoder):
    text = ("A suicide bomber killed 12 people at a mosque in Jalalabad city on Friday. "
            "Separately, police arrested three suspects in Kandahar province yesterday.")
    events = extract_events(_article(text), geocoder)
    assert [e.sub_event_type for e in events] == ["Suicide bomb", "Arrests"]
    for event in events:
        assert text[event.evidence_start:event.evidence_end] == event.evidence
    bomb, arrests = events
    assert bomb.fatalities == 12 and bomb.place.adm1_pcode == "AF06" and str(bomb.event_date) == "2020-03-06"
    assert (arrests.detained == 3 and arrests.place.adm1_pcode == "AF27"
            and str(arrests.event_date) == "2020-03-05")


def test_repeated_report_in_one_article_is_one_event(geocoder):
    text = ("Taliban fighters attacked a police checkpoint in Sangin district, Helmand province, yesterday. "
            "The Taliban attacked the checkpoint in Sangin district with heavy weapons yesterday.")
    events = extract_events(_article(text), geocoder)
    assert len(events) == 1 and len({e.event_id for e in events}) == 1


def test_a_paragraph_repeated_word_for_word_counts_once(geocoder):
    said = "Police arrested five men for smuggling and other crimes in Kunduz province on Monday."
    text = f"{said} They were questioned. {said}"
    assert [e.detained for e in extract_events(_article(text), geocoder)] == [5]


def test_a_one_line_text_without_a_full_stop_is_a_sentence_not_a_heading(geocoder):
    line = "Two soldiers killed in a roadside bombing in Kandahar province"
    events = extract_events(_article(line), geocoder)
    assert [(e.fatalities, e.place.adm1_pcode) for e in events] == [(2, "AF27")]


def test_a_day_number_ends_a_sentence_an_initial_does_not():
    text = "Gunmen killed a driver on June 7. Nothing more is known of J. Smith."
    assert [s.text for s in split_sentences(text)] == ["Gunmen killed a driver on June 7.",
                                                       "Nothing more is known of J. Smith."]


def test_a_hyphenated_letter_is_part_of_its_word_not_an_initial():
    text = "It was claimed by ISIS-K. No group has claimed the attack in Kandahar."
    assert len(split_sentences(text)) == 2


def test_an_abbreviated_name_ends_a_sentence_when_a_clause_opens_after_it():
    text = ("Talks began with the U.S. Do you think they will go on? He met the U.S. President. "
            "Forces left the U.N. The talks failed.")
    assert [s.text for s in split_sentences(text)] == [
        "Talks began with the U.S.", "Do you think they will go on?", "He met the U.S. President.",
        "Forces left the U.N.", "The talks failed."]


def test_an_interview_question_is_its_own_sentence_after_an_abbreviated_name(geocoder):
    text = ("Q. The fighting in Kunduz happened a few days after reports about peace talks with the U.S. "
            "Do you think the talks happened?")
    assert [e.place.adm1_pcode for e in extract_events(_article(text), geocoder)] == ["AF19"]


def test_an_also_in_a_later_clause_does_not_make_a_repeated_toll_a_new_one(geocoder):
    text = ("Two suicide blasts struck the military hospital in Kabul, killing at least 20 people. "
            "A doctor at the hospital said at least 20 people had been killed, but added he expected the "
            "toll to rise because the first explosion also hit many people.")
    assert sum(e.fatalities or 0 for e in extract_events(_article(text), geocoder)) == 20
    more = ("Two suicide blasts struck the military hospital in Kabul, killing at least 20 people. "
            "Gunmen also killed 20 people at a checkpoint in the city.")
    assert sum(e.fatalities or 0 for e in extract_events(_article(more), geocoder)) == 40


def test_event_ids_are_stable(geocoder):
    text = "Police arrested three suspects in Kandahar province yesterday."
    assert [e.event_id for e in extract_events(_article(text), geocoder)] == \
        [e.event_id for e in extract_events(_article(text), geocoder)]


def test_disasters_are_not_violence_but_displacement_counts(geocoder):
    text = ("An earthquake killed more than 1,000 people in Zindajan district of Herat province yesterday. "
            "Thousands of families were displaced by the earthquake.")
    events = extract_events(_article(text), geocoder)
    assert [e.sub_event_type for e in events] == ["Displacement"]


def test_undated_details_take_the_lead_date_and_restatements_count_once(geocoder):
    text = ("KABUL, Afghanistan (March 6, 2020)\nForces continued operations in Zabul and Kandahar provinces "
            "yesterday.\n\n"
            "The joint team detained several suspected insurgents in Qalat district, Zabul province.\n"
            "After questioning, the team detained several suspected insurgents for further questioning.\n"
            "The team also detained the facilitator.")
    events = extract_events(_article(text), geocoder)
    arrests = [e for e in events if e.detained]
    assert arrests and all(e.event_date.isoformat() == "2020-03-05" for e in arrests)
    assert sum(e.detained for e in arrests) == 3   # "several" restated, then "the facilitator" among them


def test_roundup_of_many_operations_is_not_the_event(geocoder):
    text = ("Numerous insurgents were killed during separate operations in eastern and southern Afghanistan "
            "over the past 24 hours.\n"
            "In Sangin district, Helmand province, an air weapons team killed two insurgents.")
    events = extract_events(_article(text), geocoder)
    assert [(e.fatalities, e.place.adm2_pcode) for e in events] == [(2, "AF3008")]


def test_a_precise_figure_refines_a_vague_one(geocoder):
    text = ("Forces detained several suspected insurgents in Qalat district, Zabul province, yesterday.\n"
            "The five suspected insurgents were detained after questioning at the scene.")
    events = extract_events(_article(text), geocoder)
    assert sum(e.detained or 0 for e in events) == 5


def test_hard_wrapped_lines_are_one_sentence(geocoder):
    text = ("A security force killed a\n"
            "suspected insurgent and detained several other suspected insurgents in\n"
            "Khost province yesterday.")
    [event] = extract_events(_article(text), geocoder)
    assert (event.fatalities, event.detained, event.place.adm1_pcode) == (1, 3, "AF14")


def test_an_event_recalled_from_months_ago_is_background_not_news(geocoder):
    text = ("Police detained two suspects in Kunduz province today.\n"
            "In January, insurgents killed five soldiers in Kunduz province.\n"
            "Two policemen were wounded in the attack.")
    events = extract_events(_article(text), geocoder)
    assert [(e.detained, e.fatalities) for e in events] == [(2, None)]


def test_an_article_without_a_date_gives_undated_events_and_drops_older_ones(geocoder):
    text = ("Insurgents killed four policemen in Kunduz province on June 3, 2021.\n"
            "On May 12, 2019, a bomb killed nine people in Kunduz province.\n"
            "Police said a suicide bomber killed two guards in Kunduz province on Friday.")
    events = extract_events(Article(id="x", text=text), geocoder)
    # news style gives a day's year only when it is not the news's: beside "on Friday", June 3, 2021 is older
    assert [(e.fatalities, e.event_date and e.event_date.isoformat()) for e in events] == [(2, None)]
    # a record dated only in full (an incident log) is dated by it
    record = extract_events(Article(id="y", text=text.splitlines()[0]), geocoder)
    assert [(e.fatalities, e.event_date and e.event_date.isoformat()) for e in record] == [(4, "2021-06-03")]


def test_a_paragraph_about_a_place_abroad_keeps_its_events_abroad(geocoder):
    text = ("A bomb killed three soldiers in Kunduz province on Monday.\n\n"
            "In Baghdad, officials reported more violence. "
            "Gunmen killed eleven people at a market on Tuesday.\n\n"
            "Iranian police killed five people on Wednesday.")
    events = extract_events(_article(text), geocoder)
    assert ([(e.fatalities, e.place.adm1_name if e.place else None) for e in events]
            == [(3, "Kunduz"), (5, None)])


def test_an_act_between_a_foreign_country_and_another_place_takes_no_afghan_place(geocoder):
    """The article's main place (Kabul) does not stand in for a clash "between Iran and Afghanistan"."""
    text = ("Gunmen attacked a checkpoint in Kabul on Monday.\n\n"
            "On Tuesday evening, a border clash took place between Iran and Afghanistan, officials said.")
    clash = [e for e in extract_events(_article(text), geocoder) if "border" in e.evidence]
    assert len(clash) == 1 and (clash[0].place is None or clash[0].place.adm1_pcode is None)


def test_an_attack_beside_peace_talks_abroad_is_placed_where_it_happened(geocoder):
    """Talks in Doha date the attack; "in southern Afghanistan's Helmand province" places it.  Talk of the
    talks alone is no event."""
    text = ("On the eve of the peace talks in Doha, Taliban suicide bombers ambushed a military base in "
            "southern Afghanistan's Helmand province on Friday, killing at least 35 soldiers.\n"
            "The peace talks in Doha stalled on Saturday over fighting in the north.")
    events = extract_events(_article(text), geocoder)
    assert [(e.fatalities, e.place.adm1_pcode if e.place else None) for e in events] == [(35, "AF30")]


def test_a_place_that_only_locates_another_is_no_further_site(geocoder):
    """"besieging the compound in Ajrestan district in Ghazni, south of the capital Kabul": Ghazni only."""
    text = ("The insurgents were besieging the governor's compound in Ajrestan district in Ghazni, south of "
            "the capital Kabul, on Tuesday.")
    events = extract_events(_article(text), geocoder)
    assert [(e.sub_event_type, e.place.adm1_pcode) for e in events] == [
        ("Non-state actor overtakes territory", "AF11")]


def test_troops_leaving_a_named_airfield_hand_over_a_base_where_it_lies(geocoder):
    """A military airfield takes its name from the district it lies in (Bagram, Parwan)."""
    text = ("Officials said the talks would resume.\n"
            "The U.S. military left Bagram Airfield, its key base in Afghanistan, on Monday night.")
    events = extract_events(_article(text), geocoder)
    assert [(e.sub_event_type, e.place.adm2_pcode) for e in events] == [
        ("Non-violent transfer of territory", "AF0302")]


def test_a_later_update_does_not_locate_the_first_report(geocoder):
    text = ("Three NGO staff members were kidnapped while in transit.\n"
            "UPDATE: all three were released unharmed in Pashtun Zarghun district of Herat province.")
    kidnapping = extract_events(_article(text), geocoder)[0]
    assert kidnapping.sub_event_type == "Abduction/forced disappearance" and kidnapping.place is None


def test_a_disaster_toll_is_not_political_violence(geocoder):
    text = ("Two strong earthquakes struck western Afghanistan yesterday, destroying villages in "
            "Zindajan district of Herat province. Officials said more than 1,000 people were killed.\n"
            "Aid agencies said thousands of families were displaced.")
    events = extract_events(_article(text), geocoder)
    assert [e.sub_event_type for e in events] == ["Displacement"]


def test_a_detention_is_not_typed_by_the_detainee_s_record(geocoder):
    text = ("Forces detained a Taliban leader responsible for suicide attacks in Sangin district, "
            "Helmand province.")
    [event] = extract_events(_article(text), geocoder)
    assert (event.sub_event_type, event.detained) == ("Arrests", 1)


@pytest.mark.parametrize("text", [
    "More than 300 people were killed when a suicide car bomber attacked a shopping area in Baghdad.",
    "Iran supports the governments that are fighting terrorism in the region.",
    "All means that sustain terrorism have to be attacked, including financing.",
    "Iran continues to plan the voluntary repatriation of Afghan refugees.",
    "Poland became much more engaged because of the case of Iraq.",
])
def test_not_events_on_this_map(geocoder, text):
    assert extract_events(_article(text), geocoder) == []


def test_a_situation_in_the_present_tense_is_not_an_event(geocoder):
    text = ("A bomb killed three soldiers in Kunduz province on Monday.\n"
            "They are just fighting against government forces.")
    assert [e.fatalities for e in extract_events(_article(text), geocoder)] == [3]


def test_a_dateline_is_where_the_reporter_was_not_the_event(geocoder):
    text = ("KABUL (AP) - Nearly 50 people were killed in a spate of attacks around the country, "
            "officials said.")
    events = extract_events(_article(text), geocoder)
    assert [(e.fatalities, e.place and e.place.adm1_pcode) for e in events] == [(50, None)]


def test_history_last_year_is_background(geocoder):
    text = ("Two bombs hit a school in Kabul on Tuesday, killing six students.\n"
            "In May last year at least 85 people were killed when three bombs exploded near a school.")
    assert [e.fatalities for e in extract_events(_article(text), geocoder)] == [6]


def test_a_list_of_attacks_in_several_provinces_gives_one_event_each_and_none_the_total(geocoder):
    text = ("Bombings on Friday hit mosques in Kabul, Balkh and Kunduz provinces, killing 12 people.\n"
            "Elections in Kandahar and Ghazni provinces were delayed after gunmen attacked a polling centre "
            "in Kandahar on Friday, killing two guards.")
    events = extract_events(_article(text), geocoder)
    # the 12 died in three provinces: no one province's event may show them all
    assert [(e.place.adm1_name, e.fatalities) for e in events] == [
        ("Kabul", None), ("Balkh", None), ("Kunduz", None), ("Kandahar", 2)]
    assert len({e.event_id for e in events}) == 4


def test_a_definite_act_takes_the_place_of_the_act_reported_last(geocoder):
    text = ("A suicide bomber killed four people in Kabul on Tuesday.\n"
            "In Kandahar province, Taliban fighters stormed a checkpoint on Tuesday, killing eight officers. "
            "At least 11 insurgents were also killed in the fighting.")
    last = extract_events(_article(text), geocoder)[-1]
    assert (last.fatalities, last.place.adm1_name) == (11, "Kandahar")


@pytest.mark.parametrize("follow,province", [
    ("During the march, protesters chanted slogans demanding security.", "Kabul"),   # the march told last
    ("A nearby school was also targeted in a grenade attack.", "Kabul"),             # near the last place
    ("A school was also targeted in a grenade attack.", "Kunduz"),                   # the article's place
])
def test_a_definite_protest_and_a_nearby_place_follow_the_act_and_place_told_last(geocoder, follow, province):
    text = ("An explosion tore through a mosque in Kunduz on Friday, killing 33 people.\n"
            "On Saturday a number of Kabul residents marched in the city, demanding security for the Shias. "
            + follow)
    last = extract_events(_article(text), geocoder)[-1]
    assert last.place.adm1_name == province


def test_an_act_in_a_foreign_place_is_not_moved_to_an_afghan_name_that_only_qualifies(geocoder):
    text = "A day before the Kabul attack, 40 people were killed in a bombing in central Baghdad on Monday."
    assert extract_events(_article(text), geocoder) == []
    abroad = "The bombings in Mumbai on Monday have repercussions for efforts to stabilize Afghanistan."
    assert extract_events(_article(abroad), geocoder) == []


def test_an_act_given_as_an_example_without_a_time_of_its_own_is_not_news(geocoder):
    example = "We rarely hear of civilian deaths, such as the bombing of a clinic in Kunduz that killed 42."
    dated = "Civilians die often, such as in the bombing of a hospital in Kunduz on Tuesday that killed 42."
    assert extract_events(_article(example), geocoder) == []
    assert [e.fatalities for e in extract_events(_article(dated), geocoder)] == [42]
    kind = "Reporters keep their distance when covering incidents like a suicide attack in Kabul."
    assert extract_events(_article(kind), geocoder) == []


def test_a_lasting_state_with_no_start_is_not_an_occurrence(geocoder):
    assert extract_events(_article("There has been intense fighting in Faryab and Baghlan as well."),
                          geocoder) == []
    assert extract_events(_article("The fighting has been raging in Faryab, Baghlan and other provinces."),
                          geocoder) == []
    started = "Heavy clashes have been going on in Dehdadi district of Balkh since Sunday night."
    assert _provinces(extract_events(_article(started), geocoder)) == ["Balkh"]


def test_coordinated_locative_phrases_are_separate_sites(geocoder):
    text = "In two attacks on worshippers in Kunduz on Friday and in Kandahar on Sunday, 40 people died."
    assert _provinces(extract_events(_article(text), geocoder)) == ["Kunduz", "Kandahar"]


def _provinces(events) -> list[str | None]:
    return [e.place.adm1_name if e.place else None for e in events]


def test_places_named_as_where_before_the_act_are_sites_too(geocoder):
    text = ("On Monday protesters gathered in front of the consulate in Herat and the embassy in Kabul and "
            "hurled stones at the buildings.")
    events = extract_events(_article(text), geocoder)
    assert [(e.event_type, e.place.adm1_name) for e in events] == [("Riots", "Hirat"), ("Riots", "Kabul")]


def test_places_in_a_descriptive_relative_clause_are_not_further_sites(geocoder):
    text = "Taliban fighters overran the city of Ghazni, which connects Kabul with Kandahar, on Thursday."
    events = extract_events(_article(text), geocoder)
    assert _provinces(events) == ["Ghazni"]


def test_places_in_a_participle_clause_of_consequence_are_not_further_sites(geocoder):
    text = "The Taliban took control of Jalalabad on Sunday, effectively leaving the capital, Kabul, cut off."
    assert _provinces(extract_events(_article(text), geocoder)) == ["Nangarhar"]


def test_a_relative_clause_that_reports_its_own_act_keeps_its_place(geocoder):
    events = extract_events(_article(
        "A bomb hit a mosque in Kunduz on Friday, which followed an attack on a shrine in Balkh a day "
        "earlier."), geocoder)
    assert sorted(filter(None, _provinces(events))) == ["Balkh", "Kunduz"]


@pytest.mark.parametrize("where", ["across the country", "throughout Afghanistan"])
def test_across_the_country_is_country_level_not_the_main_place(geocoder, where):
    events = extract_events(_article(
        "Gunmen attacked a police post in Kabul on Monday, killing two officers.\n\n"
        f"The Taliban launched a series of offensives {where} on Tuesday."), geocoder)
    offensive = [e for e in events if "offensives" in e.evidence]
    assert offensive and offensive[0].place.adm1_pcode is None and offensive[0].place.in_afghanistan


def test_a_toll_in_the_thousands_is_a_total_not_an_event(geocoder):
    events = extract_events(_article(
        "Gunmen attacked a checkpoint in Kandahar on Monday, killing three policemen.\n\n"
        "In all, more than 2,400 service members were killed during the war."), geocoder)
    assert [e.fatalities for e in events] == [3]


def test_people_displaced_by_the_hundred_thousand_are_a_total_not_an_event(geocoder):
    events = extract_events(_article(
        "About 5,000 families have fled their homes in Kunduz after days of fighting on Monday.\n\n"
        "Hundreds of thousands of people were displaced by the Taliban advance, the agency said."), geocoder)
    assert [(e.displaced, e.displaced_unit) for e in events] == [(5000, "families")]


def test_a_place_named_in_passing_does_not_place_unplaced_remarks(geocoder):
    lead = ("Iran and Pakistan discussed trade and energy at a meeting in Islamabad on Monday. "
            "The ministers agreed to expand rail links. They also spoke about water sharing.")
    remark = "\n\nA diplomat recalled meeting Taliban envoys in Kabul. Many soldiers were killed in the war."
    placed = [e for e in extract_events(_article(lead + remark), geocoder) if e.place and e.place.adm1_pcode]
    assert not placed
    # the same remark placed by an article that leads with Kabul
    led = "Gunmen attacked a police post in Kabul on Monday. Officials said the attackers fled." + remark
    assert "Kabul" in _provinces(extract_events(_article(led), geocoder))


def test_an_act_told_only_as_violence_is_the_act_told_exactly_at_that_place_and_time(geocoder):
    text = ("A suicide bomber blew himself up in a mosque in Kunduz on Friday, killing 46 worshippers.\n"
            "The attack on Friday also wounded 140 people.\n"
            "Separately, Taliban fighters clashed with police in Kunduz on Friday.")
    events = extract_events(_article(text), geocoder)
    assert [(e.sub_event_type, e.fatalities, e.injured) for e in events] == [
        ("Suicide bomb", 46, 140), ("Armed clash", None, None)]


def test_violence_told_not_how_takes_the_type_of_its_weapon(geocoder):
    text = "A terrorist bomb devastated a mosque in Kunduz on Friday, killing dozens of people."
    assert [e.sub_event_type for e in extract_events(_article(text), geocoder)] == [
        "Remote explosive/landmine/IED"]


def test_without_a_publication_date_an_act_of_another_week_is_another_event(geocoder):
    text = ("A terrorist attack in Kabul on Saturday left at least 95 people dead.\n"
            "A week ago, Taliban fighters attacked a hotel in Kabul, killing 22 people.")
    assert [e.fatalities for e in extract_events(_article(text, published=None), geocoder)] == [95, 22]


def test_a_later_figure_for_the_same_people_is_another_report_of_the_toll(geocoder):
    text = ("At least 25 security personnel were killed in an ambush in Takhar province on Tuesday.\n"
            "The provincial health director said 34 security personnel had been killed.\n"
            "Two more security personnel were killed in a second ambush in Takhar on Tuesday.")
    assert [e.fatalities for e in extract_events(_article(text), geocoder)] == [27]


def test_each_figure_of_a_merged_event_can_be_checked_against_its_sentence(geocoder):
    text = ("A suicide bomber struck a mosque in Kunduz on Friday.\n"
            "The suicide bomber killed 46 worshippers on Friday, officials said.")
    (event,) = extract_events(_article(text), geocoder)
    assert event.fatalities == 46 and event.evidence.startswith("A suicide bomber struck")
    assert event.notes == ("Figures also from: The suicide bomber killed 46 worshippers on Friday, "
                           "officials said.")


def test_a_later_report_that_revises_the_toll_replaces_it(geocoder):
    text = ("On Thursday, 30 people were killed and 80 others were injured in an attack on a mosque in "
            "Mazar-e-Sharif.\nLater, local news sources reported that 60 worshippers were killed in the "
            "attack on Thursday.")
    assert [e.fatalities for e in extract_events(_article(text), geocoder)] == [60]
    kept = text.replace("Later, local news sources reported that 60", "Two more")
    assert [e.fatalities for e in extract_events(_article(kept), geocoder)] == [32]
