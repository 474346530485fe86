from datetime import date, datetime

import pytest

from events.dates import find_publication_date, resolve_event_date

PUBLISHED = date(2015, 5, 8)   # a Friday


@pytest.mark.parametrize("head,expected", [
    ("Iran Press TV\n\nFri May 8, 2015 12:34PM\n\nText", datetime(2015, 5, 8, 12, 34)),
    ("2013-01-S-025\n\nKABUL, Afghanistan (Jan. 25, 2013)\nDuring", datetime(2013, 1, 25)),
    ("2012-06-S-026\nFor Immediate Release\nKABUL, Afghanistan (June 14) - An", datetime(2012, 6, 14)),
    ("Monday, 27 August 2021\nTitle", datetime(2021, 8, 27)),
    ("Posted 2020-05-12T08:30 by staff", datetime(2020, 5, 12, 8, 30)),
])
def test_publication_date_forms(head, expected):
    assert find_publication_date(head) == expected


def test_no_date_gives_none():
    assert find_publication_date("No date in this text at all.") is None


@pytest.mark.parametrize("sentence,expected", [
    ("The governor said on Friday.", (date(2015, 5, 8), 1)),
    ("Clashes took place on Tuesday.", (date(2015, 5, 5), 1)),
    ("Militants attacked yesterday.", (date(2015, 5, 7), 1)),
    ("Attacks began late last month.", (date(2015, 4, 25), 2)),
    ("Attacks happened last month.", (date(2015, 4, 15), 3)),
    ("Fighting intensified since April 24.", (date(2015, 4, 24), 1)),
    ("Displacement continued last week.", (date(2015, 5, 1), 2)),
    ("A week ago, gunmen attacked a hotel.", (date(2015, 5, 1), 2)),
    ("Two days ago a bomb exploded.", (date(2015, 5, 6), 1)),
    ("Officials confirmed today that the leader was arrested Sunday.", (date(2015, 5, 3), 1)),
    ("A bomb exploded on Dec. 30.", (date(2014, 12, 30), 1)),
    ("The leader was detained during an overnight operation.", (date(2015, 5, 7), 1)),
    ("ISAF today confirmed the capture of a facilitator.", (None, None)),
    ("Insurgents attacked the post in late April.", (date(2015, 4, 25), 2)),
    ("The campaign began in June.", (date(2014, 6, 15), 3)),
    ("A facilitator linked to a murder in March was detained yesterday.", (date(2015, 5, 7), 1)),
    ("Nothing about time here.", (None, None)),
])
def test_event_dates_resolve_against_publication(sentence, expected):
    assert resolve_event_date(sentence, PUBLISHED) == expected


def test_dateline_in_sentence_is_not_the_event_date():
    sentence = "KABUL, Afghanistan (Sep. 19, 2011) - A patrol killed an insurgent leader on Sunday."
    assert resolve_event_date(sentence, date(2011, 9, 19)) == (date(2011, 9, 18), 1)


def test_event_dates_lend_the_nearest_date_of_the_paragraph_and_history_stays_history():
    from datetime import date

    from events.dates import EventDates
    from events.sentences import split_sentences
    text = ("Insurgents attacked a checkpoint yesterday. Two policemen died.\n\n"
            "In January, a bomb hit the market. Five people were wounded there.")
    when = EventDates(split_sentences(text), date(2020, 3, 6))
    assert [when.of(i) for i in range(4)] == [(date(2020, 3, 5), 1), (date(2020, 3, 5), 1),
                                              (date(2020, 1, 15), 3), (date(2020, 1, 15), 3)]
    assert when.is_history(date(2020, 1, 15)) and not when.is_history(date(2020, 3, 5))
    assert EventDates(split_sentences(text), None).of(1) == (None, None)


def test_without_a_publication_date_a_year_before_the_articles_latest_is_history():
    from events.dates import EventDates
    from events.sentences import split_sentences
    text = ("A bomb hit a school in Kabul in May 2018, killing 12 students.\n"
            "A truck bomb in central Kabul in April 2016 killed 68 people.")
    when = EventDates(split_sentences(text), None)
    assert [when.is_recalled(i) for i in range(2)] == [False, True]
    # what the article dates from its publication is news, whatever year it names beside it
    assert not EventDates(split_sentences(text + "\nThe embassy was hit this morning, November 21, 2016."),
                          None).is_recalled(2)


def test_without_a_publication_date_a_day_well_before_the_articles_latest_is_history():
    """Yearless dates: "mid-February" lies six weeks before the news of "April 1"; a sentence naming "the
    explosion" continues that story; "by May 30" is a deadline, not the news."""
    from events.dates import EventDates
    from events.sentences import split_sentences
    text = ("The ministers met at the border on April 1 and agreed to finish the work by May 30. "
            "In mid-February, a huge explosion hit the crossing. The explosion caused a fire. "
            "Gunmen attacked a checkpoint on March 20.")
    when = EventDates(split_sentences(text), None)
    assert [when.is_recalled(i) for i in range(4)] == [False, True, True, False]


def test_yearless_dates_are_read_on_the_years_circle_and_a_month_named_with_its_year_keeps_it():
    from events.dates import EventDates
    from events.sentences import split_sentences
    # December lies just before January: the news is of January 3, October well before it
    winter = ("Troops fought in Helmand in October. A bomb hit a bus on December 20. "
              "Gunmen attacked a school on January 3.")
    assert [EventDates(split_sentences(winter), None).is_recalled(i) for i in range(3)] == [
        True, False, False]
    # "in October" repeats the October of 2021 named just before, and "a week later" goes on from it: the
    # August attack is the news, told without a year
    text = ("A blast hit a gathering in Kabul on August 6. In June, a mosque was bombed. "
            "In October 2021, two mosques were bombed. "
            "The first attack in October targeted a mosque in Kunduz. "
            "A week later, a suicide attack on a mosque in Kandahar killed 63.")
    when = EventDates(split_sentences(text), None)
    assert [when.is_recalled(i) for i in range(5)] == [False, True, True, True, True]


def test_a_day_given_with_its_year_is_history_where_the_news_is_dated_from_publication():
    from events.dates import EventDates
    from events.sentences import split_sentences
    text = ("A border guard was killed in a clash on Saturday. "
            "On August 8, 2021, fighters captured the city of Mazar-i-Sharif.")
    assert [EventDates(split_sentences(text), None).is_recalled(i) for i in range(2)] == [False, True]


def test_an_anniversary_dates_the_news_after_the_one_year_an_article_names():
    """ "23 years ago" in an article that names only 1998: its news is of 2021 at the earliest, and a
    sentence about "the city" continues the 1998 story."""
    from events.dates import EventDates
    from events.sentences import split_sentences
    text = ("The ministry marked the 23rd anniversary of the attack. 23 years ago, diplomats were killed. "
            "On August 8, 1998, fighters captured the city of Mazar-i-Sharif. "
            "Reports from the city said the men were killed.")
    when = EventDates(split_sentences(text), None)
    assert [when.is_recalled(i) for i in range(2, 4)] == [True, True]
    # without the anniversary, 1998 is the only year named: nothing says it is old
    plain = "On August 8, 1998, fighters captured the city of Mazar-i-Sharif. Reports from the city said so."
    assert not EventDates(split_sentences(plain), None).is_recalled(0)


def test_without_a_publication_date_words_that_count_back_from_the_news_keep_its_acts_apart():
    """"A week ago" and "last month" are other weeks than the news; "two months ago" is history; a weekday
    or a month does not count back (it names no distance from the news)."""
    from events.dates import EventDates
    from events.sentences import split_sentences
    text = ("A bomb killed 95 people in Kabul on Saturday. A week ago, gunmen attacked a hotel. "
            "A blast last month killed 40. Two months ago a mosque was bombed. Police said on Sunday "
            "that a suspect was held. In April the road was cut.")
    when = EventDates(split_sentences(text), None)
    assert [when.weeks_back(i) for i in range(6)] == [0, 1, 4, 8, 0, 0]
    assert [when.is_recalled(i) for i in range(6)] == [False, False, False, True, False, False]
