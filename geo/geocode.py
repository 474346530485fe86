"""Find place mentions in English news text and resolve them to Afghan units, points and precision.

Mentions are found by looking up runs of up to four capitalised words in the gazetteer's key
tables (one hash lookup per candidate run, not one regular expression per name), keeping
character offsets.  Each mention is then resolved with its context: the feature word next to
it ("X district", "the province of Y", "X village"), the provinces named in the document
(for same-name districts), and the phrase it stands in (militants *from* X, operating *in* X,
an official *speaking in* X, a dateline) which sets its ``role``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

import pandas as pd

from geo.boundaries import load_districts
from geo.foreign import national_capitals
from geo.gazetteer import Entry, Gazetteer
from geo.join import join_points
from geo.last_words import last_words
from geo.normalize import name_key, sound_key
from lexicon import MONTH_NAMES, MONTHS, WEEKDAYS
from geo.place import (PRECISION_COUNTRY, PRECISION_DISTRICT, PRECISION_NEAR, PRECISION_POINT,
                       PRECISION_PROVINCE, Place, province_of)
from geo.units import AFGHANISTAN, AdminUnit

MAX_WORDS = 4
_RUN_CACHE_SIZE = 200_000
# A word, its apostrophes inside ("Maw'ood") but not a possessive ending ("Kabul's": the name is Kabul).
_APOSTROPHE_PART = r"(?:['’](?![sS]\b)[^\W\d_]+)*"
_WORD = re.compile(r"[^\W\d_]+" + _APOSTROPHE_PART)
_WORD_PART = r"[^\W\d_]+" + _APOSTROPHE_PART
# A capitalised word not glued by a hyphen or apostrophe to the word before ("Sayed ul-Shuhada").
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z]" + r"[^\W\d_]*" + _APOSTROPHE_PART)
# Up to MAX_WORDS words joined by single spaces or hyphens, from a capitalised word on; a name goes on
# only through capitalised words and the Dari linking syllables (Nahr-e Saraj, Dand wa Patan).
_NAME_GOES_ON = r"(?:[A-Z][^\W\d_]*(?:['’][^\W\d_]+)*|(?:e|i|ye|y|wa|o|ul|al|u)(?![^\W\d_]))"
_LINK_INITIALS = set("eiywoua")
_RUN = re.compile(_WORD_PART + r"(?:(?:[ \t]{1,2}|[ \t]?-[ \t]?)" + _NAME_GOES_ON
                  + r"){0,%d}" % (MAX_WORDS - 1))
# A capitalised name the text itself calls a village, town or area: worth an online look-up.
_UNKNOWN_PLACE = re.compile(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?) (?:village|town|area)\b")
_FEATURE_AFTER = re.compile(
    r"\s+(district|province|city|town|village|area|valley|region|airport|university)s?\b", re.I)
_FEATURE_BEFORE = re.compile(r"\b(district|province|city|town|village|capital|neighbou?rhood|suburbs?|"
                             r"outskirts)\s+of\s+(?:the\s+)?$")
_NEAR_BEFORE = re.compile(r"\b(near|outside|around|close to|on the outskirts of|north of|south of|east of|"
                          r"west of)\s+(?:the\s+)?$")
_ORIGIN_BEFORE = re.compile(r"\bfrom\s+(?:neighbou?ring\s+|(?:[\w-]+\s+){0,5}(?:including|such as|like)\s+)?"
                            r"$")
# People moved out of a place were there: "evacuated from Jawzjan after intense fighting" places the event,
# unlike an origin ("engineers from Kabul").
_LEFT_FROM_BEFORE = re.compile(r"\b(?:evacuated|withdr[ae]wn?|retreated|expelled|ousted|fled|"
                               r"(?:driven|pushed|pulled|forced)\s+out)\s+from\s+(?:the\s+)?$")
# Where someone works: "operating in X"; a diplomat's post ("Iran's ambassador to Kabul", "the envoy in
# Kabul") names a government or a mission, not where something happened.
_AFFILIATION_BEFORE = re.compile(r"\b(?:operating|based|active|present|(?:who|that) (?:are|were) fighting)\s+"
                                 r"(?:\w+ly\s+)?in\s+$"    # "fighting in X" alone reports fighting there
                                 r"|\b(?:ambassador|envoy|consul|charg[eé] d['’]affaires)\s+(?:to|in)\s+$")
_SPEAKER_BEFORE = re.compile(r"""
    \b(?:quoting|according\s+to(?:\s+the)?)\s+$                      # a source: "quoting Bakhtar"
    | \b(?:said|told|speaking|spoke|announced|added|(?:news|press)\s+conference|briefing|statement|interview)
      (?:\s+(?!happened|occurred|took|was|were)\w+){0,2}\s+(?:in|from)\s+$   # "said in Kabul"
""", re.X)
_DATELINE = re.compile(r"^[A-Z][A-Za-z -]+, Afghanistan\b")
_OWNED_PLACE = r"(?:(?:his|her|their|the)\s+\w+\s+(?:in|at)\s+)?"   # "from his workplace in X"
# A route: "from X to Y", "between X and Y" ("from X and Y" lists origins).
_ROUTE_BEFORE = re.compile(r"\b(?P<opening>from|between)\s+" + _OWNED_PLACE + "$")
_ROUTE_AFTER = {opening: re.compile(r"^[\w ]{0,25}?\s" + closing + r"\s+(?:the\s+)?" + _OWNED_PLACE + "[A-Z]")
                for opening, closing in (("from", "to"), ("between", "and"))}
_ROUTE_GAP = re.compile(r"^[\w ]{0,25}?\s(?:to|and)\s+(?:the\s+)?" + _OWNED_PLACE + "$")
# Where people were heading or were taken afterwards, not where the event happened.
_DESTINATION_BEFORE = re.compile(r"""\b(?:
      (?:transferred|taken|evacuated|flown|moved|brought|referred|sent|airlifted)\s+to
    | (?:carrying|delivering|transporting)\s+(?:[\w-]+\s+){1,3}to          # "carrying supplies to X"
    | toward | towards | bound\ for | heading\ to | on\ (?:the|their|his|her)\ way\ to
)\s+(?:the\s+)?(?:\w+\s+in\s+)?$""", re.X)
# A place in a time reference dates the event, it does not place it: "since the fall of Kabul", "after
# the Taliban took over Kabul".
_TIME_BEFORE = re.compile(r"""\b(?:since|after|before|until|following)\s+(?:
      (?:the\s+)?(?:fall|capture|takeover|collapse|liberation)\s+of                       # the fall of X
    | (?:(?:the\s+)?[\w-]+|it)\s+(?:took\s+over|took\s+control\s+of|captured|seized|entered)   # they took X
)\s+(?:the\s+(?:capital\s+)?)?$""", re.X)
# The words before a name that give it its role, tried in this order (no match: the event's place).
_ROLE_BEFORE = (("event", _LEFT_FROM_BEFORE), ("origin", _ORIGIN_BEFORE),
                ("affiliation", _AFFILIATION_BEFORE), ("speaker", _SPEAKER_BEFORE),
                ("destination", _DESTINATION_BEFORE), ("time", _TIME_BEFORE))
# "Kabul-based journalist": where someone works or lives, not where an act happened.
_BASED_AFTER = re.compile(r"^\s?-\s?based\b", re.I)
# A place name opening an organisation's name ("Kabul Bank", "Tehran Times") is not a location.
_ORGANISATION_AFTER = re.compile(r"^ (?:Bank|Times|Press|News|Radio|TV|Television|Agency|Airlines?|Club|"
                                 r"Company|Group|Foundation|Post|Daily|Tribune|Herald|Gazette|news agency|"
                                 r"[Ee]mbassy|[Cc]onsulate)\b"   # "the Pakistan embassy": a mission
                                 # "the Kabul government": the state, not the city ("the Kunduz government
                                 # compound" is a building there)
                                 r"|^ (?:[Gg]overnment(?! (?:compound|building|offices?|headquarters))|"
                                 r"[Rr]egime|[Aa]dministration)\b")
# A street named after the city it leads to lies in the city the text is about: "on Jalalabad Road" in Kabul
# (a road joining two named cities, "the Kabul-Jalalabad Road", still names them).
_STREET_AFTER = re.compile(r"^ (?:Road|Street|Avenue)\b")
# The country's capital named by its title: Kabul, read as the name alone is ("an attack in the Afghan capital
# on Monday" as "an attack in Kabul on Monday").
_AFGHAN_CAPITAL = re.compile(r"\b(?:the\s+Afghan|Afghanistan['’]s)\s+capital\b(?!,?\s+Kabul\b)")
# Two national capitals joined by "and", not after a word that places them ("in", "near"...), are the
# two governments: "prompted Tehran and Kabul to discuss".
_CAPITALS = national_capitals()
_CAPITAL_PAIR_GAP = re.compile(r"^\s+(?:and|&)\s+$")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|inside|into|from|to|across|around|of|on|over|"
                              r"between|and)\s+(?:the\s+)?$", re.I)
# A title and a person's first names before a name: it ends that person's name ("MP Padshah Khan Zadran").
_TITLED_NAME_BEFORE = re.compile(r"\b(?:MP|Mr|Mrs|Ms|Dr|President|General|Gen\.|Governor|Mullah|Maulvi|Haji|"
                                 r"Sheikh|Commander|Minister|Senator|Colonel|Col\.|Major|Captain|[Ll]awmaker|"
                                 r"spokesman|chief)\s+(?:[A-Z][\w'’-]+\s+){1,3}$")
# Words that place a name: after them a person's surname is the place again ("an attack in Zadran").
_PLACED_BEFORE = re.compile(r"\b(?:in|at|near|outside|inside|around|across|of)\s+(?:the\s+)?$", re.I)
# A name that says or demands something is a speaker (a person, or a government by its capital:
# "Kabul has accused Islamabad"), not a place.
_SPEECH_AFTER = re.compile(r"""^,?\s+(?:has\s+|have\s+|had\s+)?(?:
      said | says | told | added | stated | tweeted | wrote | noted | announced | claimed | insisted
    | reported | reports | revealed | quoted | cited
    | accus\w+ | urg\w+ | reject\w+ | den(?:ied|ies) | welcom\w+ | condemn\w+ | warn\w+ | demand\w+
)\b""", re.X)
# A name right after the kind of outlet it is ("the news agency Bakhtar") is that outlet.
_ORGANISATION_BEFORE = re.compile(r"\b(?:agency|newspaper|daily|channel|broadcaster|website|outlet)\s+$")
# What stands between a district (or a list of them) and the province it is said to lie in: "Ghormach
# district, Faryab", "Jaghori, Khogyani and Malistan districts in Ghazni".
_IN_PROVINCE = re.compile(r"^\s*districts?\s*(?:,|\bin\b|\bof\b)\s*(?:the\s+)?$", re.I)
# Between two members of a list of names: "Jaghori, Khogyani and Malistan".
_LISTED = re.compile(r"^\s*(?:,|\band\b|,\s*and\b)\s*$", re.I)
# ... and between a settlement and its district: "Safidan Village, Pashtun Zarghun", "Seyah Sang area of".
_IN_DISTRICT = re.compile(r"^\s*(?:village|town|area|city)?\s*(?:,|\bin\b|\bof\b)\s*(?:the\s+)?$", re.I)
# The word every *_BEFORE cue ends with, right before the name: a quick test before the searches, made
# from the patterns (`geo.last_words`).
_CUE_LAST_WORDS = last_words([_FEATURE_BEFORE, _NEAR_BEFORE, _ORGANISATION_BEFORE, _ROUTE_BEFORE,
                               *(cue for _, cue in _ROLE_BEFORE)])
_LIST_GAP = re.compile(r"^(?:\s*(?:,|and|or|as well as|the|including)\s*)+$", re.I)
_NEXT_WORD = re.compile(r" ([A-Z][a-z]+)\b")
# Capitalised words that may follow a place's name inside a longer name of the same place or of a site
# in it ("Kandahar Airfield", "Kabul International Airport", "Herat City").
_PLACE_NAME_PARTS = {
    "district", "province", "city", "town", "village", "area", "valley", "region", "airport", "airfield",
    "air", "base", "university", "hospital", "prison", "jail", "stadium", "hotel", "highway", "road",
    "dam", "gate", "square", "mosque", "bazaar", "market", "international", "military", "police",
    "provincial", "regional", "training", "center", "centre", "camp", "academy", "school", "high",
    "institute", "bridge", "pass", "mountains", "lake", "station", "compound", "checkpoint", "headquarters",
    "bank", "times", "press", "news", "radio", "tv", "television", "agency", "airlines", "club", "company",
    "group", "foundation", "post", "daily", "tribune", "herald", "gazette", "and", "or", "on", "in", "at",
    "the", "of"}
# ... of which these name a military airfield or air base, called after the district it lies in
_AIRFIELD_WORDS = {"airfield", "air"}   # "Bagram Airfield", "Shindand Air Base"
_SUFFIX_WORDS = {"district", "districts", "province", "provinces", "city", "village", "town", "valley",
                 "area", "region"}
# Capitalised English words that are also gazetteer keys somewhere; never place names on their own.
_STOP = {
    "the", "a", "an", "in", "on", "at", "he", "she", "it", "they", "we", "i", "this", "that", "these",
    "police", "army", "center", "centre", "central", "north", "south", "east", "west", "mosque", "school",
    "bazaar",
    "market", "city", "district", "province", "village", "islam", "islamic", "muslim", "afghan", "afghans",
    "president", "minister", "governor", "general", "taliban", "daesh", "isis", "isil", "nato", "isaf", "un",
    "us", "news", "press", "tv", "mr", "dr", "sayed", "said", "mohammad", "muhammad", "mohammed", "ahmad",
    "ahmed", "ali", "khan", "abdul", "haji", "mullah", "gul", "shah",
    # languages and Afghanistan's peoples: who, not where
    "dari", "pashto", "farsi", "urdu", "arabic", "english", "uzbeki", "turkmeni", "hazara", "hazaras",
    "pashtun", "pashtuns", "pushtun", "tajik", "tajiks", "uzbek", "uzbeks", "turkmen", "baloch", "baluch",
    "aimaq",
    "nuristani", "pashai", "sikh", "sikhs", "hindu", "hindus", "shia", "shiite", "sunni", "sufi",
    *WEEKDAYS, *(names[0] for names in MONTH_NAMES.values())}
# Capitalised words that may stand right before a one-word place name.
_STOP_BEFORE_PLACE = {
    "the", "in", "on", "at", "from", "to", "of", "near", "northern", "southern", "eastern", "western",
    "central", "north", "south", "east", "west", "and", "neighbouring", "neighboring", "province",
    "provincial", "district", "city", "outside", "across", "western-backed",
    # function words capitalised at the start of a sentence: "A Kabul court", "Both Kunduz and Balkh"
    "a", "an", "both", "this", "that", "these", "those", "during", "after", "before", "since", "while",
    "when", "as", "by", "for", "with", "into", "inside", "around", "between", "over", "under", "but",
    # a day or a month is no first name: "On Tuesday Kunduz police said"
    *WEEKDAYS, *MONTHS}
_FEATURES_FOR_CUE = {
    "district": ("district",), "province": ("province",), "city": ("town", "district"),
    "town": ("town", "district"), "capital": ("town", "district"), "village": ("village", "town", "district"),
    "area": ("village", "town", "district"), "valley": ("district", "village"),
    "region": ("province", "district"),
    # parts of a city: "Kabul airport", "the Dasht-e-Barchi neighbourhood of Kabul"
    **{word: ("town", "district") for word in ("airport", "university", "neighbourhood", "neighborhood",
                                               "suburb", "suburbs", "outskirts")},
}
_DEFAULT_ORDER = ("country", "nationality", "province", "town", "district")
_AFGHAN_UNITS = ("province", "district", "town")
_ADMIN_CUES = ("district", "province")


@dataclass(slots=True)
class _Mention:
    text: str
    start: int
    end: int
    key: str
    entries: list[Entry]          # exact-key matches first, then sound-key matches
    n_exact: int
    cue: str = ""
    near: bool = False
    role: str = "event"


class Geocoder:
    """Turns text into ``Place`` records; build once (``from_config``) and reuse."""

    def __init__(self, gazetteer: Gazetteer, fallback=None, data_dir=None):
        self.gazetteer = gazetteer
        self.fallback = fallback  # optional geo.nominatim.OnlineFallback
        self.data_dir = data_dir
        self._district_layer = None
        self._runs: dict[str, tuple | None] = {}   # run of words -> its longest name (see _longest_in_run)
        self._starts: dict[str, bool] = {}         # capitalised word -> may it start a name

    @classmethod
    def from_config(cls, data_dir=None, online: bool = False) -> "Geocoder":
        """The geocoder over the configured data folder (gazetteer cached on disk)."""
        fallback = None
        if online:
            from geo.nominatim import OnlineFallback
            fallback = OnlineFallback.from_config(data_dir)
        return cls(Gazetteer.from_config(data_dir), fallback, data_dir)

    def find(self, text: str) -> list[Place]:
        """Every place mention in ``text``, in text order, with its role and offsets."""
        mentions = self._mentions(text)
        if "capital" in text:
            mentions = self._with_capital(text, mentions)
        self._assign_roles(text, mentions)
        places = []
        context = self._province_context(mentions)
        for mention in mentions:
            place = self._resolve(mention, context)
            if place is not None:
                places.append(place)
        if self.fallback is not None:
            places = sorted(places + self._online_places(text, mentions), key=lambda p: p.start)
        places = _drop_namesakes_in_foreign_lists(text, places)
        return _settle_conflicts(text, _drop_districts_in_other_provinces(text, places))

    def _online_places(self, text: str, mentions: list[_Mention]) -> list[Place]:
        """Names the gazetteer lacks but the text marks as places ("Xyz village"), looked up online."""
        taken = [(m.start, m.end) for m in mentions]
        places = []
        for match in _UNKNOWN_PLACE.finditer(text):
            start, end = match.span(1)
            if any(a < end and start < b for a, b in taken):
                continue
            point = self.fallback.lookup(match.group(1))
            if point is None:
                continue
            division = join_points(pd.DataFrame({"latitude": [point[0]], "longitude": [point[1]]}),
                                   districts=self._districts()).frame.iloc[0]
            if division["adm2_pcode"] is None:
                continue   # outside Afghanistan after all
            places.append(Place(text=match.group(1), start=start, end=end, location=match.group(1),
                                unit=AdminUnit(AFGHANISTAN, **division), geo_precision=PRECISION_POINT,
                                latitude=point[0], longitude=point[1], feature="settlement"))
        return places

    def _districts(self):
        if self._district_layer is None:
            self._district_layer = load_districts(self.data_dir)
        return self._district_layer

    # --- mention finding ----------------------------------------------------------------

    def _mentions(self, text: str) -> list[_Mention]:
        """Longest gazetteer names starting at capitalised words, left to right, not overlapping."""
        mentions, end = [], 0
        surnames: set[str] = set()   # names the text used as the last word of a person's name
        may_start = self._starts.get   # the loop below runs once per capitalised word: keep it lean
        for match in _CAPITALISED.finditer(text):
            word = match.group()
            starts = may_start(word)
            if starts is None:
                starts = self._starts[word] = self.gazetteer.may_start_name(word)
            if not starts:
                continue
            start = match.start()
            if start < end:
                continue
            # a run goes on only through a space or hyphen to a capital or a linking syllable (e, i, ye, wa,
            # o, ul, al, u): most names stand alone ("Iran,", "Iran has")
            after = text[match.end():match.end() + 2]
            alone = after[:1] not in (" ", "\t", "-") or (after[:1] == " " and after[1:].islower()
                                                         and after[1:] not in _LINK_INITIALS)
            run = word if alone else _run_at(text, start)
            found = self._longest_in_run(run)
            if found is None:
                continue
            length, n_words, key, exact, sounds = found
            if _in_person_name(text, start):   # or the tail of a longer name the gazetteer lacks
                if n_words == 1 and _TITLED_NAME_BEFORE.search(text, max(0, start - 60), start):
                    surnames.add(key)
                continue
            # the person again ("MP Padshah Khan Zadran ... Zadran's car"), unless the text places it
            if key in surnames and not _PLACED_BEFORE.search(text, max(0, start - 20), start) \
                    and not _FEATURE_AFTER.match(text, start + length):
                continue
            if _opens_longer_name(text, start + length, exact):
                continue
            mentions.append(_Mention(text[start:start + length], start, start + length, key, exact + sounds,
                                     len(exact)))
            end = start + length
        return mentions

    def _with_capital(self, text: str, mentions: list[_Mention]) -> list[_Mention]:
        """``mentions``, with the Afghan capital named by its title (``_AFGHAN_CAPITAL``) in place of the
        country's name inside the title ("Afghanistan's capital"), in text order."""
        entries = self.gazetteer.exact.get("kabul", [])
        titled = [_Mention(m.group(), m.start(), m.end(), "kabul", entries, len(entries))
                  for m in _AFGHAN_CAPITAL.finditer(text)]
        if not titled:
            return mentions
        kept = [n for n in mentions if not any(t.start <= n.start and n.end <= t.end for t in titled)]
        return sorted(kept + titled, key=lambda mention: mention.start)

    def _longest_in_run(self, run: str):
        """(length, words, key, exact, sound entries) of the longest name opening ``run``; cached per run."""
        if run in self._runs:
            return self._runs[run]
        if len(self._runs) > _RUN_CACHE_SIZE:
            self._runs.clear()
            self._starts.clear()
        words = [m.span() for m in _WORD.finditer(run)]
        first = run[:words[0][1]]
        # a stop word may still start a longer name ("Shah Wali Kot"), never a one-word one; nor may
        # initials ("NA", "UN": desk initials and acronyms are not place names)
        acronym = first.isupper() and len(first) <= 3
        shortest = 2 if acronym or (not first.isupper() and first.lower() in _STOP) else 1
        found = None
        for j in range(len(words) - 1, shortest - 2, -1):
            span = run[:words[j][1]]
            tail = run[words[j][0]:words[j][1]]
            if j > 0 and (tail.lower() in _SUFFIX_WORDS or not tail[0].isupper()
                          or (_has_acronym(run, words[:j + 1]) and not span.isupper())):
                continue
            key = name_key(span, strip_suffix=False)
            exact, sounds = self.gazetteer.lookup_keys(key, sound_key(span))
            if exact or sounds:
                found = (len(span), j + 1, key, exact, sounds)
                break
        self._runs[run] = found
        return found

    # --- roles --------------------------------------------------------------------------

    def _assign_roles(self, text: str, mentions: list[_Mention]) -> None:
        previous = None
        for mention in mentions:
            tail = text[max(0, mention.start - 16):mention.start]
            last = tail.split()[-1:]
            if last and last[0].lower().lstrip("([\"“‘") in _CUE_LAST_WORDS and tail[-1].isspace():
                # the *_BEFORE cues are lower case
                before = text[max(0, mention.start - 80):mention.start].lower()
            else:
                before = ""   # no *_BEFORE cue can match: the searches below are skipped
            after = text[mention.end:mention.end + 40]
            cue = _FEATURE_AFTER.match(after) or (before and _FEATURE_BEFORE.search(before))
            mention.cue = cue.group(1).lower() if cue else ""
            mention.near = bool(before and _NEAR_BEFORE.search(before))
            if _ORGANISATION_AFTER.match(after) or (before and _ORGANISATION_BEFORE.search(before)):
                mention.role = "organisation"
            elif _STREET_AFTER.match(after) and text[mention.start - 1:mention.start] != "-":
                mention.role = "street"
            elif _BASED_AFTER.match(after):
                mention.role = "affiliation"
            elif _SPEECH_AFTER.match(after):
                mention.role = "speaker"   # "Zadran said": a person, or a government by its seat
            elif _is_dateline(text, mention, line := _line(text, mention).strip()):
                mention.role = "dateline"
            elif _is_heading(line):
                mention.role = "heading"
            elif before and (route := _ROUTE_BEFORE.search(before)) \
                    and _ROUTE_AFTER[route["opening"]].match(after):
                mention.role = "route"     # "travelling from X to Y", "between X and Y"
            elif previous and previous.role == "route" and _ROUTE_GAP.match(text[previous.end:mention.start]):
                mention.role = "route"
            elif before and (cued := next((role for role, cue in _ROLE_BEFORE if cue.search(before)), "")):
                mention.role = cued
            elif previous and (listed := _listed_role(text, previous, mention)):
                mention.role = listed
            previous = mention

    # --- resolution ---------------------------------------------------------------------

    @staticmethod
    def _province_context(mentions: list[_Mention]) -> list[tuple[int, str | None]]:
        """(offset, adm1_pcode) of mentions that name exactly one province."""
        context = []
        for mention in mentions:
            # "X province" names that province whatever else X may be
            entries = _by_cue(mention.entries, mention.cue) if mention.cue else mention.entries
            if mention.cue not in _ADMIN_CUES and any(not e.in_afghanistan for e in mention.entries):
                continue   # also a foreign name ("Zabol"): it names no Afghan province by itself
            provinces = {e.adm1_pcode for e in entries if e.feature in _AFGHAN_UNITS}
            if len(provinces) == 1 and mention.role == "event":
                context.append((mention.start, provinces.pop()))
        return context

    def _resolve(self, mention: _Mention, context) -> Place | None:
        admin_cue = mention.cue in _ADMIN_CUES
        exact = mention.entries[:mention.n_exact]
        foreign = [e for e in exact if not e.in_afghanistan]
        # a name that only sounds like an admin unit is one only next to an admin word ("Qunduz province")
        known = mention.entries if admin_cue and not foreign else exact
        if foreign and not admin_cue and len(foreign) < len(known):
            # a name shared with a foreign place is Afghan only when the text names the Afghan unit's province
            afghan = [e for e in known if e.in_afghanistan and e.feature in _AFGHAN_UNITS]
            known = self._disambiguate(mention, afghan, context) or foreign
        entries = _by_cue(known, mention.cue)
        own = [e for e in entries if name_key(e.name) == mention.key] if len(entries) > 1 else entries
        if own and len(own) < len(entries):
            entries = own   # "Kandahar district" is the district of that name, not one listing it as an alias
        if len({e.adm1_pcode for e in entries}) > 1:
            entries = (self._disambiguate(mention, entries, context)
                       or _by_cue(mention.entries[:mention.n_exact], mention.cue))
        if not entries:
            return None
        if len(entries) > 1 and len({e.unit.pcodes for e in entries}) > 1:
            shared = entries[0].adm1_pcode
            if any(e.adm1_pcode != shared for e in entries):
                return None
            province = next((e for e in mention.entries
                             if e.feature == "province" and e.adm1_pcode == shared), None)
            entries = [province or replace(entries[0], feature="province", unit=entries[0].unit.province(),
                                           name=entries[0].adm1_name or "", latitude=None, longitude=None)]
        return _place(mention, entries[0])

    @staticmethod
    def _disambiguate(mention, entries, context):
        """Same name in several provinces: keep the one in the nearest province named in the text."""
        ranked = sorted(context, key=lambda item: abs(item[0] - mention.start))
        for _, pcode in ranked:
            chosen = [e for e in entries if e.adm1_pcode == pcode]
            if chosen:
                return chosen
        return []


def _listed_runs(text: str, places: list[Place]) -> list[list[int]]:
    """The places as the lists the text names them in ("Jaghori, Khogyani and Malistan"), as runs of
    indices in text order; a place named alone is a run of one."""
    runs: list[list[int]] = []
    for i in range(len(places)):
        if runs and _LISTED.match(text[places[i - 1].end:places[i].start]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _drop_namesakes_in_foreign_lists(text: str, places: list[Place]) -> list[Place]:
    """A list of places whose other members all lie in one foreign country ("the cities of Chabahar,
    Iranshahr and Zabul"): a member read as Afghan by its name alone, with no feature word ("Zabul
    province"), is more likely that country's namesake; it is dropped (no place rather than a wrong one)."""
    dropped: set[int] = set()
    for run in _listed_runs(text, places):
        abroad = [places[j].unit.country_iso3 for j in run if not places[j].in_afghanistan]
        if len(abroad) >= 2 and len(set(abroad)) == 1:
            dropped.update(j for j in run if places[j].in_afghanistan
                           and not _FEATURE_AFTER.match(text, places[j].end))
    return [place for i, place in enumerate(places) if i not in dropped]


def _drop_districts_in_other_provinces(text: str, places: list[Place]) -> list[Place]:
    """A district the text places in another province than the boundaries do ("Ghormach district,
    Faryab province", Ghormach lying in Badghis): the text's province stands, the district is dropped.
    A list of districts ("A, B and C districts in P") is placed in P member by member."""
    dropped: set[int] = set()
    for run in _listed_runs(text, places):
        last = run[-1]
        following = places[last + 1] if last + 1 < len(places) else None
        if following is not None and following.feature == "province" and places[last].feature == "district" \
                and _IN_PROVINCE.match(text[places[last].end:following.start]):
            dropped.update(j for j in run if places[j].feature == "district"
                           and places[j].adm1_pcode != following.adm1_pcode)
    return [place for i, place in enumerate(places) if i not in dropped]


def _settle_conflicts(text: str, places: list[Place]) -> list[Place]:
    """Settlements that disagree with the districts the text names.

    Named together ("Safidan Village, Pashtun Zarghun district"), a settlement the gazetteer puts in
    another district of that province leaves the district uncertain: the settlement is dropped and the
    district falls back to its province, the level that is certain; one the gazetteer puts in another
    province is a namesake there: it is dropped and the district stands.  Named apart, a settlement in a
    province where the text names other districts is a namesake elsewhere in the province and is dropped,
    unless it bears its own district's name (Kandahar city is the centre of Kandahar district).
    """
    districts = [(i, p) for i, p in enumerate(places) if p.feature == "district"]
    if not (districts and any(p.feature == "settlement" for p in places)):
        return places
    named = {p.unit.pcodes for _, p in districts}
    provinces = {adm1 for adm1, _ in named}
    starts = [district.start for _, district in districts]
    doubtful, namesakes = set(), set()
    for k, settlement in enumerate(places):
        if settlement.feature != "settlement":
            continue
        # only the district named right after a settlement can be its own
        at = bisect.bisect_left(starts, settlement.end)
        if at < len(districts):
            i, district = districts[at]
            if district.adm2_pcode != settlement.adm2_pcode \
                    and _IN_DISTRICT.match(text[settlement.end:district.start]):
                if district.adm1_pcode == settlement.adm1_pcode:
                    doubtful.add(i)
                else:
                    namesakes.add(k)
        if settlement.adm1_pcode in provinces and settlement.unit.pcodes not in named \
                and name_key(settlement.location) != name_key(settlement.unit.adm2_name or ""):
            namesakes.add(k)
    return [province_of(p) if i in doubtful else p for i, p in enumerate(places) if i not in namesakes]


def _run_at(text: str, start: int) -> str:
    """The run of name-like words from ``start`` (a capitalised word is there, so the run is never empty)."""
    match = _RUN.match(text, start)
    return match.group() if match else ""


def _has_acronym(text: str, words) -> bool:
    return any(text[a:b].isupper() and b - a > 1 for a, b in words)


def _in_person_name(text: str, start: int) -> bool:
    """A name right after another capitalised word is part of a person's name ("Abdul Wadood Wahidi")
    or of a longer name the gazetteer lacks ("Khak Ghulam Ali")."""
    if start < 2 or text[start - 1] != " ":
        return False
    first = start - 1
    while first > 0 and text[first - 1].isalpha():   # the letters right before the space
        first -= 1
    previous = text[first:start - 1]
    return bool(previous) and previous[0].isupper() and previous.lower() not in _STOP_BEFORE_PLACE


def _opens_longer_name(text: str, end: int, exact: list[Entry]) -> bool:
    """A name followed by a capitalised word that is no part of a place's name opens a longer name
    the gazetteer lacks: a person ("Barak Obama"), a clan ("Banu Assad").  Province names are
    exempt: they open names of institutions ("Kabul Polytechnic") but still locate them, as city
    names locate their sites ("Kandahar Airfield") and district names their airfields ("Bagram Airfield");
    another site named after a district or village ("Sayed Abad Mosque" in Kunduz, "Serena Hotel") may
    stand anywhere."""
    following = _NEXT_WORD.match(text, end)
    if not following:
        return False
    word = following.group(1).lower()
    if word in _SUFFIX_WORDS:
        return False   # "Kunduz Province", "Safidan Village"
    if word in ("river", "rivers"):
        return True    # "the Helmand River" runs through several provinces and into Iran: no unit
    # a site ("Sayed Abad Mosque", "Serena Hotel") locates the event only when named after a province or city;
    # a military airfield or base takes its name from the district it lies in ("Bagram Airfield")
    named_after: tuple[str, ...]
    if word in _AIRFIELD_WORDS:
        named_after = ("province", "town", "district")
    elif word in _PLACE_NAME_PARTS:
        named_after = ("province", "town")
    else:
        named_after = ("province",)
    return not any(e.feature in named_after for e in exact)


def _line(text: str, mention: _Mention) -> str:
    start = text.rfind("\n", 0, mention.start) + 1
    end = text.find("\n", mention.end)
    return text[start:len(text) if end < 0 else end]


def _listed_role(text: str, previous: _Mention, mention: _Mention) -> str:
    """The role ``mention`` takes from the name listed before it, or "": a role other than an event's
    carries on through a list ("from Pakistan and Tajikistan"), and two capitals joined are both
    speakers, their governments (``previous`` is changed too)."""
    if previous.role not in ("event", "route", "organisation"):
        return previous.role if _LIST_GAP.match(text[previous.end:mention.start]) else ""
    if previous.role == "event" and _governments(text, previous, mention):
        previous.role = "speaker"
        return "speaker"
    return ""


def _governments(text: str, first: _Mention, second: _Mention) -> bool:
    """Whether two mentions are national capitals named for their governments (``_CAPITALS``)."""
    # " and " is 5 characters: the length is a quick first test for the joining words
    return (second.start - first.end <= 5 and first.text.lower() in _CAPITALS
            and second.text.lower() in _CAPITALS
            and bool(_CAPITAL_PAIR_GAP.match(text[first.end:second.start]))
            and not _LOCATIVE_BEFORE.search(text, max(0, first.start - 30), first.start))


def _is_dateline(text: str, mention: _Mention, line: str) -> bool:
    """'KABUL, Afghanistan (Jan. 25, 2013)' or 'KABUL -' opening the mention's ``line``, and the country
    after it."""
    after = text[mention.end:mention.end + 14]
    opens = line.startswith(mention.text) and (
        (mention.text.isupper() and len(mention.text) > 2 and after[:1] in (",", " ", "—", "-"))
        or after.startswith(", Afghanistan"))
    return opens or (mention.text == "Afghanistan" and bool(_DATELINE.match(line)))


def _is_heading(line: str) -> bool:
    """A short line with no closing punctuation: a headline or a 'Sangin/Helmand' label."""
    return len(line) < 160 and not line.endswith((".", "!", "?", '"', "”", ":"))


def _by_cue(entries: list[Entry], cue: str) -> list[Entry]:
    """Entries of the feature the context asks for; without a cue, the broadest feature present."""
    if cue:
        for feature in _FEATURES_FOR_CUE.get(cue, ()):
            chosen = [e for e in entries if e.feature == feature]
            if chosen:
                return chosen
    for feature in _DEFAULT_ORDER:
        chosen = [e for e in entries if e.feature == feature]
        if chosen:
            return chosen
    return []


def _place(mention: _Mention, entry: Entry) -> Place:
    role = mention.role
    if entry.feature in ("country", "nationality"):
        precision, lat, lon = PRECISION_COUNTRY, None, None
        role = "nationality" if entry.feature == "nationality" else role   # "Syrian forces": who, not where
    elif entry.feature == "province":
        precision, lat, lon = PRECISION_PROVINCE, entry.latitude, entry.longitude
    elif entry.feature == "district":
        precision, lat, lon = PRECISION_DISTRICT, entry.latitude, entry.longitude
    else:
        precision = PRECISION_NEAR if mention.near else PRECISION_POINT
        lat, lon = entry.latitude, entry.longitude
    return Place(text=mention.text, start=mention.start, end=mention.end, location=entry.name,
                 unit=entry.unit, geo_precision=precision, latitude=lat, longitude=lon, role=role,
                 feature="settlement" if entry.feature in ("town", "village") else entry.feature)
