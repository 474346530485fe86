"""Dates: an article's publication date, and each event's own date resolved against it.

``time_precision``: 1 = the day is known, 2 = within a week, 3 = only the month.
"""
from __future__ import annotations

import bisect
import functools
import re
from datetime import date, datetime, timedelta

from events.counts import number_value
from events.sentences import Sentence
from events.taxonomy import ACT_REFERENCE, PLACE_REFERENCE
from lexicon import MONTHS, WEEKDAYS, alternation

_MONTH = rf"(?P<month>{alternation(MONTHS, capitalise=True)})\.?"
_MONTH_DAY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d))?")
_DAY_MONTH = re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH +
                        r"(?:,?\s+(?P<year>(?:19|20)\d\d))?")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)(?:[T ](?P<h>\d\d):(?P<m>\d\d))?")
_TIME = re.compile(r"\b(?P<h>\d{1,2}):(?P<m>\d\d)\s*(?P<ampm>[AP]M)?", re.I)
_REF_YEAR = re.compile(r"\b((?:19|20)\d\d)-\d\d-[A-Z]{1,3}\b|\b((?:19|20)\d\d)\b")
_DATELINE = re.compile(r"\(\s*" + _MONTH + r"\s+(?P<day>\d{1,2})(?:,\s*(?P<year>(?:19|20)\d\d))?\s*\)")
_HEAD_CHARS = 700
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# "23 years ago", "the 23rd anniversary": the news is that long after an event the article names.
_YEARS_AGO = re.compile(r"\b(?P<n>\d{1,2}|[a-z]+(?:-[a-z]+)?)(?:st|nd|rd|th)?\s+"
                        r"(?:years?\s+ago|anniversary)\b", re.I)
_MAX_YEARS_AGO = 50   # further back than the news of this conflict reaches: another story ("87 years ago")

_RELATIVE = [  # (pattern, days back, precision)
    (re.compile(r"\b(?:the day before yesterday)\b", re.I), 2, 1),
    (re.compile(r"\byesterday\b", re.I), 1, 1),
    # a night operation reported the next day began the day before
    (re.compile(r"\blast night\b|\bovernight\b", re.I), 1, 1),
    (re.compile(r"\b(?:earlier this week|this week)\b", re.I), 2, 2),
    (re.compile(r"\blast week(?:end)?\b", re.I), 7, 2),
    (re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight)\b", re.I), 0, 1),
]
# "a week ago", "two days ago", "three months ago": days back per unit, and the precision it gives
_AGO = re.compile(r"\b(?P<n>an?|one|two|three|four|five|six|\d{1,2})\s+(?P<unit>day|week|month)s?\s+ago\b",
                  re.I)
_UNIT = {"day": (1, 1), "week": (7, 2), "month": (30, 3)}


def _counted_back(sentence: str) -> tuple[int, int] | None:
    """(days back, time precision) of words that count back from the news ("yesterday", "last week", "a
    week ago"), or None."""
    for pattern, days, precision in _RELATIVE:
        if pattern.search(sentence):
            return days, precision
    if match := _AGO.search(sentence):
        days, precision = _UNIT[match.group("unit").lower()]
        return days * (number_value(match.group("n")) or 1), precision
    return None


_PART_OF_MONTH = re.compile(r"\b(?:(?P<part>early|mid|late|end of|beginning of|the end of)[\s-]+)?"
                            r"last month\b", re.I)
_PART_DAY = {"early": 5, "beginning of": 5, "mid": 15, "late": 25, "end of": 28, "the end of": 28}
_WEEKDAY = re.compile(rf"\b(?:on|last|this|late|early)?\s*(?P<wd>{alternation(WEEKDAYS, capitalise=True)})\b")
# Any of the words a date needs, in lower case against the lowered sentence: most sentences have none.
_CUE = re.compile(rf"\b(?:{alternation([*MONTHS, *WEEKDAYS])}\b|"
                  + alternation(["yesterday", "today", "tonight", "night", "overnight", "week", "month",
                                 "ago", "morning", "afternoon", "evening"])
                  + r"|\d{4}-\d\d-\d\d)")
_THIS_MONTH = re.compile(r"\b(?:earlier )?this month\b", re.I)
_MONTH_ALONE = re.compile(r"\b(?:in|during|since|(?:the )?(?:beginning|end) of)\s+"
                          r"(?:(?P<part>early|mid|late)[\s-]+)?" + _MONTH
                          + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b(?!\s+\d{1,2}\b)", re.I)
# "officials confirmed today that ..." dates the statement, not the event
_REPORTED_TODAY = re.compile(r"\btoday\s+(?=(?:confirmed|announced|said|reported)\b)|"
                             r"\b(?P<verb>confirmed|announced|said|reported)\s+today\b", re.I)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def find_publication_date(text: str) -> datetime | None:
    """The publication date (and time if given) from the head of an article.

    Understands date lines like "Fri May 8, 2015 12:34PM", "Monday, 27 August 2021", ISO
    dates, and ISAF datelines "KABUL, Afghanistan (Jan. 25, 2013)" whose year, when missing,
    comes from the release number ("2012-06-S-026") or another year in the head.
    """
    head = text[:_HEAD_CHARS]
    match = _DATELINE.search(head)
    if match:
        year = match.group("year") or _reference_year(head)
        if year:
            found = _safe_date(int(year), _month_number(match.group("month")), int(match.group("day")))
            if found:
                return datetime.combine(found, datetime.min.time())
    candidates = []
    for pattern in (_MONTH_DAY, _DAY_MONTH, _ISO):
        for m in pattern.finditer(head):
            if not m.group("year"):
                continue
            month = int(m.group("month")) if pattern is _ISO else _month_number(m.group("month"))
            found = _safe_date(int(m.group("year")), month, int(m.group("day")))
            if found:
                candidates.append((m.start(), m.end(), found))
    if not candidates:
        return _date_without_year(head)
    start, end, found = min(candidates)
    time_at = end - 5 if head[end - 6:end - 5] in ("T", " ") and ":" in head[end - 3:end] else end
    clock = _TIME.match(head[time_at:].lstrip(" ,T"))
    hour = minute = 0
    if clock:
        hour, minute = int(clock.group("h")), int(clock.group("m"))
        if clock.group("ampm") and clock.group("ampm").upper() == "PM" and hour < 12:
            hour += 12
        if hour > 23 or minute > 59:
            hour = minute = 0
    return datetime(found.year, found.month, found.day, hour, minute)


def _date_without_year(head: str) -> datetime | None:
    """'May 11:' or '(Jan. 28)' with the year taken from a release number or another year in the head."""
    year = _reference_year(head)
    match = _MONTH_DAY.search(head)
    if not (year and match):
        return None
    found = _safe_date(int(year), _month_number(match.group("month")), int(match.group("day")))
    return datetime.combine(found, datetime.min.time()) if found else None


def _reference_year(head: str) -> str | None:
    for match in _REF_YEAR.finditer(head):
        return match.group(1) or match.group(2)
    return None


def resolve_event_date(sentence: str, published: date | None) -> tuple[date | None, int | None]:
    """The date a sentence gives its event, as (date, time_precision), resolved against ``published``.

    Explicit dates win, then weekdays, then relative words ("today" last: "confirmed today
    that ... on Sunday" dates the event Sunday), then a month ("in June", "late last month");
    with nothing in the sentence, (None, None).
    """
    if not _CUE.search(sentence.lower()):
        return None, None
    # "(Jan. 25, 2013)" and "confirmed today" date the release, not the event
    sentence = _REPORTED_TODAY.sub(lambda m: m.group("verb") or "", _DATELINE.sub(" ", sentence))
    explicit = _explicit_date(sentence, published)
    if explicit:
        return explicit, 1
    if published is None:
        return _month_of(sentence, published) or (None, None)
    match = _WEEKDAY.search(sentence)
    if match:
        back = (published.weekday() - WEEKDAYS[match.group("wd").lower()]) % 7
        if match.group(0).lower().startswith("last") and back == 0:
            back = 7
        return published - timedelta(days=back), 1
    counted = _counted_back(sentence)
    if counted:
        return published - timedelta(days=counted[0]), counted[1]
    month = _month_of(sentence, published)
    if month:
        return month
    match = _PART_OF_MONTH.search(sentence)
    if match:
        first_this = published.replace(day=1)
        last_month = (first_this - timedelta(days=1)).replace(day=1)
        part = (match.group("part") or "").lower()
        if part:
            return last_month.replace(day=_PART_DAY[part]), 2
        return last_month.replace(day=15), 3
    if _THIS_MONTH.search(sentence):
        return published.replace(day=15 if published.day >= 15 else published.day), 3
    return None, None


def needs_publication_date(sentence: str) -> bool:
    """Whether the sentence dates its event relative to publication ("on Friday", "yesterday",
    "on August 15" without a year)."""
    if not _CUE.search(sentence.lower()):
        return False
    day_without_year = any(not m.group("year") for pattern in (_MONTH_DAY, _DAY_MONTH)
                           for m in pattern.finditer(sentence))
    return bool(day_without_year or _relative_to_news(sentence) or _PART_OF_MONTH.search(sentence)
                or _THIS_MONTH.search(sentence))


def _relative_to_news(sentence: str) -> bool:
    """Whether the sentence dates something relative to the news: a weekday, "yesterday", "this week" ..."""
    return bool(_WEEKDAY.search(sentence)) or _counted_back(sentence) is not None


def _days_back(sentence: str) -> int | None:
    """How many days before the news the sentence's words date its act ("yesterday" 1, "a week ago" 7,
    "last month" 30), with no publication date to resolve them against; None: no such words.  A weekday is
    left out (it more often dates a statement, "tweeted on Sunday", than an earlier act), and so are dates
    and months, which name a day of the calendar, not a distance from the news."""
    back = _counted_back(sentence)
    if back:
        return back[0]
    return 30 if _PART_OF_MONTH.search(sentence) else None


def _month_of(sentence: str, published: date | None) -> tuple[date, int] | None:
    """The month a sentence names: "in June" is the 15th (precision 3), "in late June" the 25th
    (precision 2); without a year, the latest such month not after publication."""
    match = _MONTH_ALONE.search(sentence)
    if not match or not (match.group("year") or published):
        return None
    month = _month_number(match.group("month"))
    if match.group("year"):
        year = int(match.group("year"))
    else:
        assert published is not None   # checked above
        year = published.year - (month > published.month)
    part = (match.group("part") or "").lower()
    return date(year, month, _PART_DAY[part] if part else 15), 2 if part else 3


def _explicit_date(sentence: str, published: date | None) -> date | None:
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for m in pattern.finditer(sentence):
            year = int(m.group("year")) if m.group("year") else (published.year if published else None)
            if year is None:
                continue
            found = _safe_date(year, _month_number(m.group("month")), int(m.group("day")))
            if found and published and not m.group("year") and found > published + timedelta(days=1):
                found = _safe_date(year - 1, found.month, found.day)
            if found:
                return found
    return None


# A time told from the story's own last date, not from the news: "A week later, ...", "The next day".
_STORY_TIME = re.compile(r"""^\W*(?:
      (?:a|an|one|two|three|four|five|six|several|a\ few|\d+)\ (?:hours?|days?|weeks?|months?)\ later
    | (?:the\ )?(?:next|following|same)\ (?:day|night|morning|week|month)
)\b""", re.I | re.X)
# A state that holds when the article was written: "are training", "is holding".
# a present progressive, an adverb allowed between its words ("are still fighting", "are just fighting")
_ONGOING = re.compile(r"\b(?:are|is|am)\s+(?:(?:\w+ly|just|still|now|also|again)\s+)?\w+ing\b", re.I)
RECENT_DAYS = 31   # an event this much older than the article's news is background
_YEAR_DAYS = 366
# Words before a date that make it a deadline, which may lie after the news: "by August 31", "until May".
_DEADLINE = re.compile(r"\b(?:by|until|till|before|deadline(?:\s+of)?)\s+(?:the\s+)?(?:end\s+of\s+)?$", re.I)


# A state lasting up to publication: "fighting has been raging in Faryab", "there has been intense fighting".
_LASTING = re.compile(r"\bha(?:s|ve)\s+been\s+(?:\w+ly\s+)?\w+ing\b|\bthere\s+ha(?:s|ve)\s+been\b", re.I)


def is_lasting(sentence: str) -> bool:
    """Whether the sentence reports a state that has lasted up to publication ("has been raging"), from
    no start it names ("... since Sunday night" names one)."""
    return bool(_LASTING.search(sentence)) and not re.search(r"\bsince\b", sentence, re.I)


def is_ongoing(sentence: str) -> bool:
    """Whether the sentence reports a state that holds at publication ("are training")."""
    return bool(_ONGOING.search(sentence))


class EventDates:
    """When each sentence's event happened: the one home for dating events of an article.

    A sentence's own date comes first (``resolve_event_date``); a state in the present tense
    holds at publication; an undated sentence takes the nearest dated sentence of its paragraph
    ("The operation took place yesterday" may come after), else the last date given before it
    (the lead's "yesterday" dates the details that follow), else the first exact day after it,
    else the publication date.  A sentence that continues a story older than the article's news
    takes its date and is background with it (``is_history``); an article without a publication
    date lends no dates: there a sentence is dated only by a full date of its own.
    """

    def __init__(self, sentences: list[Sentence], published: date | None):
        self.sentences = sentences
        self.published = published
        self._own: dict[int, tuple[date | None, int | None]] = {}
        self.news = published or max((day for i in range(len(sentences)) if (day := self.own(i)[0])),
                                     default=None)

    def own(self, index: int) -> tuple[date | None, int | None]:
        """The date sentence ``index`` gives itself, as (date, time_precision)."""
        if index not in self._own:
            self._own[index] = resolve_event_date(self.sentences[index].text, self.published)
        return self._own[index]

    def of(self, index: int) -> tuple[date | None, int | None]:
        """The event date of sentence ``index`` (see the class docstring)."""
        own = self.own(index)
        if own[0] is not None:
            return own
        if is_ongoing(self.sentences[index].text):
            return self.published, 1 if self.published else None
        return self._lent(index)

    def weeks_back(self, index: int) -> int:
        """In an article without a publication date, how many whole weeks before the news the words of
        sentence ``index`` date its act ("a week ago" 1, "last month" 4): an act of another week is another
        act than the news, even of the same kind and place.  0 for the news itself, and where the article has
        a publication date (the event's date tells the acts apart there)."""
        if self.published is not None:
            return 0
        days = _days_back(self.sentences[index].text)
        return days // 7 if days is not None else 0

    def is_history(self, day: date | None) -> bool:
        """An event dated well before the article's news is background, not news."""
        return bool(day and self.news and (self.news - day).days > RECENT_DAYS)

    def is_recalled(self, index: int) -> bool:
        """Whether sentence ``index`` of an article without a publication date dates its event well before
        the article's news: with a year, when the article dates its news relative to publication ("on
        Saturday", "on August 15": a writer gives the year only to set a day apart from the news) or when
        the year is before the latest year the article names ("On August 8, 1998, ..." in an article that
        names 2021); with a day or month but no year, more than ``RECENT_DAYS`` before the latest such date
        ("In mid-February, an explosion ..." in an article whose news is of April 1).  A sentence with no
        date that refers back to the act or its place ("The explosion caused a fire", "reports from the
        city") continues the story of the nearest dated sentence before it, within three sentences of its
        paragraph.  A sentence that dates something relative to the news ("on Friday") is news."""
        if self.published is not None:
            return False
        if self.own(index)[0] is None and index not in self._yearless_days:
            text = self.sentences[index].text
            days = _days_back(text)
            if days is not None and days > RECENT_DAYS:
                return True   # "two months ago": older than the news
            if _relative_to_news(text):
                return False
            if index in self._month_named_before:   # "In October 2021, ... The first incident in October"
                return self._dates_earlier(self._month_named_before[index])
            if not (ACT_REFERENCE.search(text) or PLACE_REFERENCE.search(text) or _STORY_TIME.search(text)):
                return False
            paragraph = self.sentences[index].paragraph
            before = [i for i in range(max(0, index - 3), index) if self.sentences[i].paragraph == paragraph
                      and (self.own(i)[0] is not None or i in self._yearless_days
                           or _relative_to_news(self.sentences[i].text))]
            return bool(before) and self._dates_earlier(before[-1])
        return self._dates_earlier(index)

    def _dates_earlier(self, index: int) -> bool:
        if _relative_to_news(self.sentences[index].text):
            return False
        day = self.own(index)[0]
        if day is not None:
            return day.year < self._latest_year or self._news_relative
        yearless, news = self._yearless_days.get(index), self._yearless_news
        return yearless is not None and news is not None and (news - yearless) % _YEAR_DAYS > RECENT_DAYS

    @functools.cached_property
    def _yearless_days(self) -> dict[int, int]:
        """Day of the year that each sentence without a date of its own names with no year ("April 1", "in
        mid-February").  Left out: a deadline ("by August 31", "until September"), which may lie after the
        news, and a month the sentence before named with its year (``_month_named_before``)."""
        return self._yearless[0]

    @functools.cached_property
    def _month_named_before(self) -> dict[int, int]:
        """The sentence before that named, with its year, the month a sentence names without one ("In
        October 2021, ... The first incident in October"): that year's month."""
        return self._yearless[1]

    @functools.cached_property
    def _yearless(self) -> tuple[dict[int, int], dict[int, int]]:
        days: dict[int, int] = {}
        named_before: dict[int, int] = {}
        with_year: dict[int, int] = {}   # month -> the last sentence that named it with a year
        for index, sentence in enumerate(self.sentences):
            matches = [m for pattern in (_MONTH_DAY, _DAY_MONTH, _MONTH_ALONE)
                       for m in pattern.finditer(sentence.text)]
            yearless = next((m for m in matches if not m.group("year")), None)
            if self.own(index)[0] is None and yearless is not None \
                    and not _DEADLINE.search(sentence.text, max(0, yearless.start() - 12), yearless.start()):
                month, groups = _month_number(yearless.group("month")), yearless.groupdict()
                part = (groups.get("part") or "").lower()
                day = int(groups["day"]) if groups.get("day") else _PART_DAY.get(part, 15)
                found = _safe_date(2000, month, day)   # 2000 is a leap year: February 29 is a day too
                if with_year.get(month, -2) >= index - 1:
                    named_before[index] = with_year[month]
                elif found is not None:
                    days[index] = found.timetuple().tm_yday
            with_year.update((_month_number(m.group("month")), index) for m in matches if m.group("year"))
        return days, named_before

    @functools.cached_property
    def _yearless_news(self) -> int | None:
        """The latest of the yearless days, read on the year's circle (the day before its widest gap:
        "December 20 ... January 3" ends on January 3); None when they do not fit in half a year."""
        days = sorted(set(self._yearless_days.values()))
        if not days:
            return None
        gap, last = max(((days[(i + 1) % len(days)] - day) % _YEAR_DAYS or _YEAR_DAYS, day)
                        for i, day in enumerate(days))
        return last if _YEAR_DAYS - gap <= _YEAR_DAYS // 2 else None

    @functools.cached_property
    def _news_relative(self) -> bool:
        """Whether the article dates anything relative to its publication ("on Saturday", "on August 15")."""
        return any(needs_publication_date(s.text) for s in self.sentences)

    @functools.cached_property
    def _latest_year(self) -> int:
        """The latest year the article names; an article that names one year and says "23 years ago" or
        "the 23rd anniversary" is of that year plus 23 at the earliest."""
        years = {int(y) for s in self.sentences for y in _YEAR.findall(s.text)}
        if len(years) != 1:
            return max(years, default=0)
        ago = [number_value(m["n"]) for s in self.sentences for m in _YEARS_AGO.finditer(s.text)]
        return years.pop() + max((n for n in ago if n and n <= _MAX_YEARS_AGO), default=0)

    @functools.cached_property
    def _lenders(self) -> list[int]:
        """Sentences with a date of their own, in text order; not one that counts back from the news ("a
        network facilitator detained just two weeks ago"): it recalls an act beside the news, whose story
        the sentences after it go on with."""
        return [i for i in range(len(self.sentences)) if self.own(i)[0]
                and not _AGO.search(self.sentences[i].text)]

    @functools.cached_property
    def _exact_lenders(self) -> list[int]:
        return [i for i in self._lenders if self.own(i)[1] == 1]

    def _lent(self, index: int) -> tuple[date | None, int | None]:
        if self.published is None:
            return None, None
        lenders, paragraph = self._lenders, self.sentences[index].paragraph
        at = bisect.bisect_left(lenders, index)
        near = sorted(lenders[max(0, at - 3):at + 3], key=lambda i: (abs(i - index), i > index))
        for other in near:
            if abs(other - index) <= 3 and self.sentences[other].paragraph == paragraph:
                return self.own(other)
        if at > 0:
            return self.own(lenders[at - 1])
        later = self._exact_lenders[bisect.bisect_right(self._exact_lenders, index):][:1]
        return self.own(later[0]) if later else (self.published, 2)
