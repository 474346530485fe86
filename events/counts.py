"""How many were killed, injured, detained or displaced, from digits and words.

A count is read only next to a casualty verb ("killed three insurgents", "12 people were
wounded", "over 3,000 families have fled"), so years, dates and force sizes ("13,500 foreign
forces remain") are never taken for casualties.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# Vague quantities, coded as analysts usually code them (e.g. "several" as 3).
_VAGUE = {"a couple of": 2, "a few": 3, "several": 3, "a number of": 3, "multiple": 3, "some": 3, "numerous": 4, "a dozen": 12,
          "dozens of": 24, "dozens": 24, "scores of": 40, "hundreds of": 200, "hundreds": 200,
          "thousands of": 2000, "thousands": 2000, "a": 1, "an": 1, "the": 1, "one": 1, "another": 1}
_NUMBER = (r"(?:(?:at least|more than|over|nearly|about|around|up to|some|approximately|an estimated)\s+)?"
           r"(?P<num>\d{1,3}(?:,\d{3})+|\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
           r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|" + "|".join(sorted(
               [w for w in _UNITS if w != "zero"] + [v for v in _VAGUE if v not in ("a", "an", "the", "one")],
               key=len, reverse=True)) + r"|an?|the|one|another)")
_WHO = (r"(?:of them|of the \w+|(?:[A-Za-z-]+\s+){0,5}?(?P<noun>people|persons|civilians|insurgents?|militants?|fighters?|"
        r"soldiers?|troops|police(?:men)?|officers?|policemen|guards?|members?|staff(?:ers)?|workers?|children|"
        r"women|men|students|worshippers|passengers|residents|families|individuals?|suspects?|leaders?|"
        r"commanders?|facilitators?|bomb-?makers?|operatives?|attackers?|gunmen|others?|Taliban|"
        r"employees?|villagers?|members|personnel|contractors?|drivers?|engineers?|doctors?|men|Afghans|"
        r"service ?members|worshipers|pupils|patients))")
VERBS = {
    "killed": r"killed|killing|dead|died|slain|shot dead|lost their lives|martyred|executed|beheaded",
    "injured": r"injured|injuring|wounded|wounding|hurt",
    "detained": r"detained|detaining|arrested|arresting|captured|capturing|apprehended|taken into custody|"
                r"kidnapped|abducted",
    "displaced": r"displaced|fled|forced to flee|fleeing|left their homes",
}
_VERB = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in VERBS.items()}
_ANY_VERB = re.compile(r"\b(?:" + "|".join(VERBS.values()) + r"|death toll)\b", re.I)
_ACTIVE = {k: re.compile(rf"\b(?:{v})\s+{_NUMBER}\s+{_WHO}\b", re.I) for k, v in VERBS.items()}
_ACTIVE_BARE = {k: re.compile(rf"\b(?:{v})\s+(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)\b(?!\s*(?:%|percent|km|kilo))", re.I)
                for k, v in VERBS.items()}
_GAP = r"(?:(?!\band\b|\d)[^.;]){0,40}?"
_PASSIVE = {k: re.compile(rf"\b{_NUMBER}\s+(?:{_WHO}\b{_GAP}\b)?(?:were|was|have been|has been|had been|are|"
                          rf"been|have|had|got)?\s*(?:reportedly\s+|also\s+)?(?:{v})\b", re.I)
            for k, v in VERBS.items()}
_ADDITIONAL = re.compile(rf"\band\s+{_NUMBER}\s+(?:additional|other|more|further)\s+{_WHO}", re.I)
_DEATH_TOLL = re.compile(r"\bdeath toll\b[^.;]{0,30}?\b(?:rose|risen|climbed|reached|stands|stood|is|was)\s+"
                         r"(?:at|to)\s+" + _NUMBER, re.I)


@dataclass
class Counts:
    """Casualty and displacement figures of one sentence (None: not reported)."""

    killed: int | None = None
    injured: int | None = None
    detained: int | None = None
    displaced: int | None = None
    displaced_unit: str = ""

    def any(self) -> bool:
        return any(v is not None for v in (self.killed, self.injured, self.detained, self.displaced))


def number_value(text: str) -> int | None:
    """Integer value of a number written in digits or words ("3,000", "twenty-two", "several")."""
    word = text.lower().strip()
    for prefix in ("at least ", "more than ", "over ", "nearly ", "about ", "around ", "up to ", "approximately ",
                   "an estimated "):
        if word.startswith(prefix):
            word = word[len(prefix):]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", word):
        return int(word.replace(",", ""))
    if word in _UNITS:
        return _UNITS[word]
    if word in _VAGUE:
        return _VAGUE[word]
    parts = re.split(r"[- ]", word)
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0)
    return None


def extract_counts(sentence: str) -> Counts:
    """Counts reported in one sentence; figures for the same category are added up."""
    counts = Counts()
    if not _ANY_VERB.search(sentence):   # most sentences report no figures
        return counts
    for category in VERBS:
        if not _VERB[category].search(sentence):
            continue
        total, spans = 0, []
        for pattern in (_ACTIVE[category], _PASSIVE[category], _ACTIVE_BARE[category]):
            for match in pattern.finditer(sentence):
                if any(match.start() < e and s < match.end() for s, e in spans):
                    continue
                value = number_value(match.group("num"))
                if value is None or _looks_like_year(match.group("num")):
                    continue
                spans.append((match.start(), match.end()))
                total += value
                if category == "displaced" and "noun" in match.groupdict() and match.group("noun"):
                    counts.displaced_unit = "families" if match.group("noun").lower() == "families" else "people"
                extra = _ADDITIONAL.match(sentence, match.end(), match.end() + 60) or \
                    _ADDITIONAL.search(sentence[match.end():match.end() + 60])
                if extra:
                    total += number_value(extra.group("num")) or 0
        if category == "killed":
            toll = _DEATH_TOLL.search(sentence)
            if toll and (value := number_value(toll.group("num"))):
                total, spans = max(total, value), spans + [toll.span()]
        if spans:
            setattr(counts, category, total)
    return counts


def _looks_like_year(text: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", text))
