"""How many were killed, injured, detained or displaced, from digits and words.

A count is read only next to a casualty verb ("killed three insurgents", "12 people were
wounded", "over 3,000 families have fled"), so years, dates and force sizes ("13,500 foreign
forces remain") are never taken for casualties.

Coordinated objects add up ("detained a leader and two of his associates": 3).  Definite
references ("the insurgents", "him", "two of the men") usually repeat people already counted,
so they are kept apart: ``with_references`` counts them only for a category the article has
not counted yet.  A toll is the figure the report names: "at least 29", "more than 50" and "over 50"
killed are 29, 50 and 50 (ACLED codes fatalities so; the news gold does too); other counts are the
smallest the report supports ("more than 10 suspects detained": 11).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from events.prefilter import prefilter

_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
# Vague quantities, coded as analysts usually code them (e.g. "several" as 3); plural units at the lowest
# figure they can mean, as ACLED codes them ("dozens" 12, "hundreds" 100: the most conservative estimate).
_VAGUE = {"a couple of": 2, "a few": 3, "several": 3, "a number of": 3, "multiple": 3, "some": 3,
          "numerous": 4, "many": 4, "a large number of": 4, "a great number of": 4, "a small number of": 3,
          "a dozen": 12, "dozens of": 12, "dozens": 12, "scores of": 20,
          "hundreds of": 100, "hundreds": 100, "thousands of": 1000, "thousands": 1000,
          "tens of thousands of": 10_000, "tens of thousands": 10_000, "hundreds of thousands of": 100_000,
          "hundreds of thousands": 100_000, "millions of": 1_000_000, "millions": 1_000_000, "a": 1, "an": 1,
          "the": 1, "one": 1, "another": 1}
# Counts read at the figure the report names, bound or not (ACLED's fatality coding); the others at the
# smallest count the words allow.
_AS_NAMED = ("killed", "injured")
_BOUNDS = ("at least", "more than", "over", "nearly", "about", "around", "up to", "some", "approximately",
           "an estimated", "all")
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_SMALL = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
          r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
          + "|".join(sorted([w for w in _UNITS if w != "zero"], key=len, reverse=True)) + ")")
_FIGURE = "(?:" + "|".join([
    r"\d+(?:\.\d+)?\s+(?:million|thousand)",                                     # 1.5 million
    r"\d{1,3}(?:,\d{3})+|\d+",                                                   # 3,000 / 12
    rf"(?:{_SMALL}|a)\s+(?:hundred|thousand|million)(?:\s+(?:and\s+)?{_SMALL})?",  # two hundred and five
    rf"(?:{_SMALL}|a)\s+dozen",                                                  # two dozen, a dozen
    _SMALL,
]) + ")"
# The people counted, as head nouns.
_PEOPLE = [
    "people", "persons?", "civilians?", "insurgents?", "militants?", "fighters?", "man", "woman", "boys?",
    "girls?", "associates?", "soldiers?", "troops", "police(?:m[ae]n)?", "officers?", "guards?", "members?",
    "staff(?:ers?)?", "workers?", "children", "women", "men", "students", "worshippers", "passengers",
    "residents", "families", "individuals?", "suspects?", "leaders?", "commanders?", "facilitators?",
    "(?:bomb-?|IED )?makers?", "operatives?", "attackers?", "gunm[ae]n", "others?", "Taliban", "employees?",
    "villagers?", "personnel", "contractors?", "drivers?", "engineers?", "doctors?", "Afghans",
    "service ?members", "worshipers", "pupils", "patients",
    # people named by their work or role (not speakers: "officials" and "sources" mostly say, not die)
    "nationals", "volunteers?", "vaccinators?", "deminers?", "nurses?", "teachers?", "journalists?",
    "reporters?", "representatives?", "clerics?", "judges?", "farmers?", "shepherds?", "labou?rers?",
    "pilgrims?", "prisoners?", "detainees?", "hostages?", "bodyguards?", "recruits?", "cadets?", "commandos?",
    "tribesmen", "protesters?", "demonstrators?", "assailants?", "bombers?", "escorts?",
    # people named by their family ties (not "relatives": they mostly speak for the victims)
    "mothers?", "fathers?", "sons?", "daughters?", "brothers?", "sisters?", "babies", "baby",
    "infants?", "elders?", "wives", "wife", "husbands?"]
_VAGUE_WORDS = "|".join(sorted([v for v in _VAGUE if v not in ("a", "an", "the", "one")], key=len,
                               reverse=True))


def _spaced(piece: str) -> str:
    """A pattern piece made safe inside a ``re.VERBOSE`` pattern: its spaces escaped, so that they match."""
    return piece.replace(" ", r"\ ")


def _number(group: str = "") -> str:
    """A figure with its bound ("at least 12", "several", "the two"); ``group`` prefixes the group names
    so that a pattern can hold a second, coordinated figure.  For ``re.VERBOSE`` patterns."""
    return _spaced(rf"(?:(?P<{group}bound>{'|'.join(_BOUNDS)})\s+)?"
                   rf"(?P<{group}num>(?:(?:the|these|those)\s+)?(?:{_FIGURE})|{_VAGUE_WORDS}|an?|the|one|another)")


# Words that end the noun phrase before a head noun: "a fund that will help members ... killed" counts no
# members (what stands before the counted noun modifies it; a clause does not).
_CLAUSE_WORDS = "(?:and|that|which|who|whose|will|would|to)"


def _who(group: str = "") -> str:
    """Who was counted: "of them", or up to five words before a head noun ("suspected Taliban fighters",
    "U.S. service members"), a parenthetical aside among them ("3 UN (1 Filipino, 2 Kenyan) staff").
    For ``re.VERBOSE`` patterns."""
    return _spaced(rf"(?:(?P<{group}part>of them|of those|of the \w+)|(?:of (?:his|their|its)\s+)?"
                   rf"(?:(?!{_CLAUSE_WORDS}\b)(?:[A-Za-z-]+|(?:[A-Z]\.)+|\([^()]{{1,60}}\))\s+){{0,5}}?"
                   rf"(?P<{group}noun>{'|'.join(_PEOPLE)})"
                   # people of two kinds counted together: "2,461 service members and civilians"
                   rf"(?:\s+and\s+(?:{'|'.join(_PEOPLE)})\b)?)")


_NUMBER, _WHO = _number(), _who()
VERBS = {
    "killed": r"killed|killing|dead|died|slain|shot dead|found dead|lost their lives|martyred|executed|"
              r"beheaded|succumbed to (?:his|her|their) (?:injuries|wounds)|"
              r"(?:stabbed|beaten|burned|burnt|hacked|stoned|shot|tortured|clubbed) to death",
    "injured": r"injured|injuring|wounded|wounding|hurt",
    "detained": r"detained|detaining|arrested|arresting|captured|capturing|apprehended|taken into custody|"
                r"kidnapped|abducted",
    "displaced": r"displaced|fled|forced to flee|fleeing|left their homes",
}
_VERB = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in VERBS.items()}
_FLAGS = re.I | re.X


def _verb(category: str, passive: bool = False) -> str:
    """The category's verbs for a ``re.VERBOSE`` pattern; ``passive``: without the bare -ing forms."""
    words = [w for w in VERBS[category].split("|") if not (passive and w.isalpha() and w.endswith("ing"))]
    return _spaced("|".join(words))


# "killed three insurgents"
_ACTIVE = {k: re.compile(rf"\b(?:{_verb(k)}) \s+ {_NUMBER} \s+ {_WHO} \b", _FLAGS) for k in VERBS}
# "killed 12", "killing all four", "wounded several." -- a bare figure ends the phrase
_ACTIVE_BARE = {k: re.compile(rf"""
    \b(?:{_verb(k)}) \s+
    (?P<num> \d{{1,3}}(?:,\d{{3}})+ | \d+                                  # 3,000 / 12
           | all\ (?:{_spaced(_FIGURE)})                                  # all four
           | (?:{_spaced(_FIGURE)}|several|many|numerous)(?=\s*(?:[,.;]|and\b|$))   # two, then a stop
    )\b
    (?!\s*(?:%|percent|km|kilo))                                          # not a share or a distance
""", _FLAGS) for k in VERBS}
# Between the counted people and their verb: a few words, an aside set off by commas ("a deminer,
# working for a company contracted by the UN, was killed") or by brackets ("2 staff (a guard and doctor)
# killed"), or a relative clause about them ("1 staff who was working for an agency ... was shot dead").
_GAP = "(?:" + "|".join([
    r",[^,.;\d]{1,120},\s*",                                # , working for a company ...,
    r"\s*\([^()]{1,100}\)\s*",                               # (a guard and doctor)
    r"\s+who\s+(?:was|were|had|is|are)\s+[^,.;\d]{1,120}?\s+",  # who was working for ...
    # a few words, within the clause: not over another clause with a subject of its own ("fled as the
    # Taliban captured"; "tortured while being detained" has none)
    r"(?:(?!\band\b|\b(?:as|when|while|after|before|because|since|until|where)\s+"
    r"(?:the|a|an|they|he|she|it|we|(?-i:[A-Z]))\b|\d)[^.;]){0,60}?",
]) + ")"
# Between the auxiliary and the casualty verb: an adverb ("were later killed") and an act done to the
# victims coordinated with the verb, which shares its subject ("were shot and killed", "ambushed and shot
# dead"; not "organized and executed attacks", said of the doers).
_BEFORE_PARTICIPLE = _spaced(r"(?:(?:reportedly|also|later|allegedly|subsequently|then|eventually)\s+)?"
                             r"(?:(?:shot|stabbed|beaten|tortured|tied up|dragged out|taken away|ambushed|"
                             r"attacked|abducted|kidnapped|assaulted|robbed|hit|struck)\s+and\s+)?")
# "12 people were killed", "five aid workers, working for an NGO, were shot and killed"
_PASSIVE = {k: re.compile(rf"""
    \b{_NUMBER} \s+                                          # how many
    (?: {_WHO} \b {_GAP} \b )?                                # who, and what stands before the verb
    (?: were|was|have\ been|has\ been|had\ been|are|been|have|had|got )? \s*   # the auxiliary
    {_BEFORE_PARTICIPLE}
    (?:{_verb(k, passive=True)})\b                             # the casualty verb
""", _FLAGS) for k in VERBS}
# The subject of a passive clause is also the subject of a second verb coordinated with it: "a driver was
# stopped by gunmen on the road, and later killed", "two guards were struck by crossfire and died".  The
# second verb takes no object of its own (an object would give it another subject: "... and killed two").
_COORDINATED_PASSIVE = {k: re.compile(rf"""
    \b{_NUMBER} \s+ {_WHO} \b {_GAP} \b
    (?: was|were ) \s+ (?:\w+ly\s+)?
    (?! (?:{_verb("killed")}|{_verb("injured")})\b )      # not "were killed and wounded": casualties together
    [a-z]+(?:ed|en|uck|ot|ght)\b                           # the first participle: "was stopped"
    [^.;]{{0,160}}? ,? \s+ and \s+
    (?: (?:later|subsequently|eventually|then|also)\s+ )?
    (?: {_verb(k, passive=True)} )\b                        # the casualty verb
    (?! \s+ (?: {_spaced(_FIGURE)} | an? | the | him | her | them | several | many | some ) \b )
""", _FLAGS) for k in ("killed", "injured")}   # not detentions: "were identified and detained" mostly
#                                                  restates the suspects an operation's lead counted
_COORDINATED_REACH = 340   # characters such a phrase may span before its casualty verb
_NOMINAL = {"killed": [re.compile(rf"\bdeaths?\ of \s+ {_NUMBER} \s+ {_WHO}", _FLAGS),
                       re.compile(rf"\b{_NUMBER} \s+ (?:\w+\s+)? deaths\b", _FLAGS),
                       # found dead: "the bodies of five aid workers were found"
                       re.compile(rf"\b(?:bod(?:y|ies)|corpses?)\ of \s+ {_NUMBER} \s+ {_WHO}", _FLAGS)],
            "detained": [re.compile(rf"\b(?:capture|arrest|detention)\ of \s+ {_NUMBER} \s+ {_WHO}", _FLAGS)]}
_NOMINAL_CUE = {"killed": re.compile(r"\b(?:deaths?|(?:bod(?:y|ies)|corpses?) of)\b"),
                "detained": re.compile(r"\b(?:capture|arrest|detention) of\b")}
# Lower case, generated from the verb and noun tables and searched in the lowered sentence: a first test
# for figures.
_ANY_VERB = prefilter([rf"\b(?:{v})\b" for v in VERBS.values()]
                      + [r"\bdeath toll\b"] + [cue.pattern for cue in _NOMINAL_CUE.values()])
_PRONOUN = {k: re.compile(rf"\b(?:{v})\s+(?:him|her)\b", re.I) for k, v in VERBS.items() if k != "displaced"}
_PRONOUN_SUBJECT = {k: re.compile(rf"\b(?:he|she) was (?:\w+ )?(?:and )?(?:{v})\b", re.I)
                    for k, v in VERBS.items() if k != "displaced"}
_BEFORE_VERB = 160   # characters a passive phrase may span before its verb ("12 people ... were killed")
_AND = r"\s*,?\s*(?:and|along\ with|as\ well\ as|together\ with|plus)\s+"
_C_NUMBER, _C_WHO = _number("c_"), _who("c_")   # a coordinated figure: "a leader and two others"
_FURTHER = r"(?:additional|other|more|further)"
# after a matched phrase: "... a leader and two others", "... along with three associates"
_COORDINATED_AFTER = re.compile(rf"""
    (?:\s+(?!and\b)[A-Za-z'’-]+){{0,3}}?       # up to three words after the first phrase
    {_AND} {_C_NUMBER} \s+ (?:{_FURTHER}\s+)? {_C_WHO} \b
""", _FLAGS)
# later in the sentence: "... and two other suspects"
_ADDITIONAL = re.compile(rf"""
    \b(?:and|together\ with|along\ with|as\ well\ as) \s+ {_C_NUMBER} \s+ {_FURTHER} \s+ {_C_WHO} \b
""", _FLAGS)
# A person named right after the verb: "arrested Aslam Farooqi, the leader of ..." (two or three
# capitalised words, none of them a group's name).
_NAMED = {k: re.compile(rf"\b(?:{v})\s+(?P<name>[A-Z][a-z]+(?:\s[A-Z][a-z]+){{1,2}})"
                        r"(?=,|\.|\s+(?:and|along|together|who)\b)")
          for k, v in VERBS.items() if k != "displaced"}
_GROUP_WORDS = {"Taliban", "Afghan", "Islamic", "State", "Haqqani", "Network", "National", "Army", "Police",
                "Forces", "Coalition", "American", "Pakistani", "Iranian", "Shia", "Sunni", "Hazara", "Uzbek",
                "Tajik", "Pashtun"}
# before a passive phrase: "a leader and ..." in "a leader and two associates were detained"
# (the people's "of" complement stays with them: "four members of an NGO and one soldier were killed")
_COORDINATED_BEFORE = re.compile(rf"""
    {_C_NUMBER} \s+ {_C_WHO} (?: \s+ of \s+ (?:an?|the|their|his|her) (?:\s+[\w-]+){{1,2}} )? {_AND} $
""", _FLAGS)
_PLURAL = re.compile(r"\w+s|\w*men|people|children|police|personnel")
_SUBSET_BEFORE = re.compile(r"\b(?:including|among them|among whom)\s+$", re.I)
# "Two staffers were among six persons killed": the subject is part of the toll the sentence counts.
_AMONG = re.compile(r"\b(?:was|were|is|are)\s+among\b", re.I)
# The writer's own "(not counted here)", "(not included)": the people it follows, or, closing a clause,
# every figure of that clause, are outside the count the text reports.
_EXCLUDED = re.compile(r"\(\s*not\ (?:counted|included)\b[^()]*\)", _FLAGS)
# What may stand between people and a parenthesis about them: the rest of their noun phrase ("members
# of his family (not included)"), a few words with no verb or punctuation.
_ATTACHED = re.compile(rf"(?:\s+(?!(?:{'|'.join(VERBS.values())})\b)[\w'-]+){{0,3}}\s*", re.I)
# "the death toll rose to 12"
_DEATH_TOLL = re.compile(rf"""
    \bdeath\ toll\b [^.;]{{0,30}}? \b(?:rose|risen|climbed|reached|stands|stood|is|was) \s+ (?:at|to) \s+
    {_NUMBER}
""", _FLAGS)


@dataclass(frozen=True)
class Figure:
    """One counted phrase: "several suspected insurgents" is (detained, 3, "suspected insurgent")."""

    category: str
    value: int
    noun: str = ""
    definite: bool = False   # refers back: "the insurgents", "him", "two of the men"
    vague: bool = False      # "several", "numerous", "dozens"
    end: int = 0             # where the phrase's people end in the sentence ("... two guards|")


@dataclass
class Counts:
    """Casualty and displacement figures of one sentence (None: not reported), and the phrases
    behind them."""

    killed: int | None = None
    injured: int | None = None
    detained: int | None = None
    displaced: int | None = None
    displaced_unit: str = ""
    figures: list[Figure] = field(default_factory=list)

    def any(self) -> bool:
        return any(v is not None for v in (self.killed, self.injured, self.detained, self.displaced))


def with_references(counts: Counts, counted: set[str]) -> Counts:
    """``counts`` with its definite references resolved: they add to the figures of a category
    the article has not counted yet (``counted``), and repeat people already counted otherwise."""
    if not any(figure.definite for figure in counts.figures):
        return counts
    resolved: dict[str, int] = {}
    for figure in counts.figures:
        if figure.definite and figure.category not in counted:
            resolved[figure.category] = resolved.get(figure.category, getattr(counts, figure.category) or 0) \
                + figure.value
    return replace(counts, **resolved)   # type: ignore[arg-type]   # category names are Counts fields


def number_value(text: str) -> int | None:
    """Integer value of a number written in digits or words ("3,000", "twenty-two", "several",
    "more than 30": 30)."""
    word = text.lower().strip()
    for prefix in _BOUNDS + ("the", "these", "those"):
        if word.startswith(prefix + " "):
            word = word[len(prefix) + 1:]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", word):
        return int(word.replace(",", ""))
    if word in _VAGUE:
        return _VAGUE[word]
    scaled = re.fullmatch(r"(\d+(?:\.\d+)?)\s+(million|thousand)", word)
    if scaled:
        return round(float(scaled.group(1)) * _SCALES[scaled.group(2)])
    return _words_value(re.split(r"[- ]+", word))


def _words_value(words: list[str]) -> int | None:
    """The value of a number in words: "two hundred and five" 205, "a hundred" 100, "two dozen" 24."""
    total = current = 0
    for word in words:
        if word in _UNITS or word in _TENS:
            current += _UNITS.get(word) or _TENS[word]
        elif word == "a":
            current += 1
        elif word == "dozen":
            current = max(current, 1) * 12
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total, current = total + max(current, 1) * _SCALES[word], 0
        elif word != "and":
            return None
    return total + current or None


def extract_counts(sentence: str) -> Counts:
    """Counts reported in one sentence: the figures of its new (not definite) phrases added up."""
    counts = Counts()
    lowered = sentence.lower()
    if not _ANY_VERB.search(lowered):   # most sentences report no figures
        return counts
    for category in VERBS:
        verbs = list(_VERB[category].finditer(sentence))
        nominal = category in _NOMINAL_CUE and _NOMINAL_CUE[category].search(lowered)
        if not verbs and not nominal:
            continue
        spans: list[tuple[int, int]] = []
        for match, passive in _candidates(sentence, category, verbs, bool(nominal)):
            if any(match.start() < e and s < match.end() for s, e in spans):
                continue
            spans.append(match.span())
            counts.figures += _phrases(sentence, match, category, passive)
            if category == "displaced" and match.groupdict().get("noun"):
                counts.displaced_unit = "families" if match.group("noun").lower() == "families" else "people"
    counts.figures = _without_repeats(_without_joint(sentence, _without_excluded(sentence, counts.figures)))
    for category in VERBS:
        new = sum(f.value for f in counts.figures if f.category == category and not f.definite)
        if category == "killed":
            toll = _DEATH_TOLL.search(sentence)
            if toll and (value := number_value(toll.group("num"))):
                new = max(new, value)
        if new:
            setattr(counts, category, new)
    return counts


# The dead and the wounded counted together ("11 people were killed or wounded", "killed or injured 40
# civilians"): the figure is of casualties, neither of the dead nor of the wounded.
_JOINT = re.compile(rf"\b(?:{VERBS['killed']})\s+(?:or|and|and/or)\s+(?:{VERBS['injured']})\b"
                    rf"|\b(?:{VERBS['injured']})\s+(?:or|and|and/or)\s+(?:{VERBS['killed']})\b", re.I)
_TO_JOINT = re.compile(r"[\s\w,'’-]{0,45}")      # from the people counted to the verbs that follow them
_AFTER_JOINT = re.compile(r"[^.;:]{0,45}")          # from the verbs to the people counted after them


def _without_joint(sentence: str, figures: list[Figure]) -> list[Figure]:
    """``figures`` less the dead or wounded counted by a figure of both together (``_JOINT``)."""
    joints = [m.span() for m in _JOINT.finditer(sentence)]
    if not joints:
        return figures
    return [f for f in figures if f.category not in ("killed", "injured") or not any(
        (f.end <= start and _TO_JOINT.fullmatch(sentence, f.end, start))
        or (end <= f.end and _AFTER_JOINT.fullmatch(sentence, end, f.end)) for start, end in joints)]


def _without_repeats(figures: list[Figure]) -> list[Figure]:
    """``figures`` less a figure one sentence gives twice for the same people (a headline run into its story:
    "after 12 killed According to officials, a total of 12 people have been killed"): the same category and
    value, and no people named for one of them or the same for both."""
    kept: list[Figure] = []
    for figure in figures:
        if not any(k.category == figure.category and k.value == figure.value and not figure.definite
                   and (not k.noun or not figure.noun or k.noun == figure.noun) for k in kept):
            kept.append(figure)
    return kept


def _without_excluded(sentence: str, figures: list[Figure]) -> list[Figure]:
    """``figures`` less those a "(not counted)" parenthesis leaves out: the people it directly follows, or,
    when it follows no people and closes a clause, every figure of that clause."""
    left_out: set[int] = set()
    for exclusion in _EXCLUDED.finditer(sentence):
        before = [i for i, f in enumerate(figures) if f.end <= exclusion.start()]
        direct = [i for i in before if _ATTACHED.fullmatch(sentence, figures[i].end, exclusion.start())]
        if direct:
            left_out.update(direct)
        elif re.match(r"\s*(?:[.;:]|$)", sentence[exclusion.end():]):
            clause_start = sentence.rfind(";", 0, exclusion.start())
            left_out.update(i for i in before if figures[i].end > clause_start)
    return [f for i, f in enumerate(figures) if i not in left_out]


def _candidates(sentence: str, category: str, verbs: list[re.Match], nominal: bool):
    """(match, is passive) of every counting pattern, tried only at the category's verbs: patterns
    that open with the verb are matched there, those that end with it in a window before it."""
    opening = [_ACTIVE[category], _ACTIVE_BARE[category]] + (
        [_PRONOUN[category], _NAMED[category]] if category in _PRONOUN else [])
    # (pattern, characters it may span before the verb, whether its figure is the verb's subject)
    closing = [(_PASSIVE[category], _BEFORE_VERB, True)]
    if category in _PRONOUN:
        closing.append((_PRONOUN_SUBJECT[category], _BEFORE_VERB, False))
    if category in _COORDINATED_PASSIVE:
        closing.append((_COORDINATED_PASSIVE[category], _COORDINATED_REACH, True))
    for pattern in opening:
        for verb in verbs:
            if match := pattern.match(sentence, verb.start()):
                yield match, False
    for pattern, reach, passive in closing:
        for verb in verbs:
            ending = list(_ending_at(pattern, sentence, max(0, verb.start() - reach), verb.end()))
            # the widest phrase ending at the verb, unless it counts no one and a narrower one does ("the
            # police station on Thursday two policemen were martyred": "two policemen"), or only part of the
            # people the narrower one counts ("two staffers were among six persons killed": "six persons")
            counting = (m for m in ending
                        if _figure(m, "", category) is not None and not _AMONG.search(m.group()))
            match = next(counting, ending[0] if ending else None)
            if match:
                yield match, passive
    for pattern in _NOMINAL.get(category, []) if nominal else []:
        yield from ((match, False) for match in pattern.finditer(sentence))


def _ending_at(pattern: re.Pattern, sentence: str, start: int, end: int):
    """The matches of ``pattern`` in ``sentence[start:end]`` that end at ``end``, widest first."""
    while (match := pattern.search(sentence, start, end)) is not None:
        if match.end() == end:
            yield match
        start = match.start() + 1


def _phrases(sentence: str, match: re.Match, category: str, passive: bool) -> list[Figure]:
    """The figures of a matched phrase and of the phrases coordinated with it:
    "a leader and two associates were detained", "detained a leader along with three others"."""
    if _SUBSET_BEFORE.search(sentence, 0, match.start()):   # "including the commander"
        return []
    found = [_figure(match, "", category)]
    if passive:
        before = _COORDINATED_BEFORE.search(sentence, max(0, match.start() - 80), match.start())
        if before:
            found.append(_figure(before, "c_", category))
    else:
        end = match.end()
        while coordinated := _COORDINATED_AFTER.match(sentence, end):
            found.append(_figure(coordinated, "c_", category))
            end = coordinated.end()
        if len(found) == 1 and (extra := _ADDITIONAL.search(sentence, end, end + 100)):
            found.append(_figure(extra, "c_", category))
    return [f for f in found if f is not None]


def _figure(match: re.Match, prefix: str, category: str) -> Figure | None:
    """The figure of one phrase; ``prefix`` names its groups ("c_" in the coordination patterns)."""
    groups = match.groupdict()
    if groups.get("name"):   # a named person
        return None if _GROUP_WORDS & set(groups["name"].split()) else Figure(category, 1, "person")
    if prefix + "num" not in groups:   # a pronoun
        return Figure(category, 1, definite=True)
    num = groups[prefix + "num"]
    bound = (groups.get(prefix + "bound") or "").lower()
    value = None if _looks_like_year(num) else number_value(f"{bound} {num}")
    if value is None:
        return None
    if bound == "more than" and category not in _AS_NAMED:
        value += 1   # the smallest count the report supports ("more than 10 suspects detained": 11)
    num, head = num.lower(), (groups.get(prefix + "noun") or "").lower()
    if num in ("the", "these", "those") and _PLURAL.fullmatch(head):
        return None   # "the residents fled": how many is not said
    noun = ""
    if head:   # the words from the number to the head noun: "suspected insurgent"
        noun = " ".join(match.string[match.end(prefix + "num"):match.end(prefix + "noun")].lower().split())
        noun = re.sub(r"^of (?:his|their|its) ", "", noun).rstrip("s")
        if _COLLECTIVE.match(noun):
            return None   # "another group of worshippers": groups counted, not people
    return Figure(category, value, noun,
                  definite=num.split()[0] in ("the", "these", "those") or bool(groups.get(prefix + "part")),
                  vague=num in _VAGUE and num not in ("a", "an", "the", "one", "another"),
                  end=match.end(prefix + "noun") if head else match.end(prefix + "num"))


# A collective noun between a figure and the people ("a group of villagers", "two bands of gunmen"): the
# figure counts groups, and how many people they were is not said.
_COLLECTIVE = re.compile(r"(?:group|crowd|batch|band|gang|team|squad)(?:e?s)? of ")


def _looks_like_year(text: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", text))
