"""Where an event happened: the one place that decides it, from the places the geocoder found.

``geo.geocode`` says which unit each place name refers to (or none, or a place abroad) and how the
text uses it (its role: an event place, an origin, a speaker's place, a dateline ...).  This module
chooses the place of each reporting sentence, in this order:

1. the sentence's own event places: the first Afghan unit, refined by a district of its province;
   a sentence that names only places abroad (or only the country) stays there, and so does one that
   names a place abroad as where ("in central Baghdad") and Afghan names only as qualifiers ("the
   Kabul attack");
2. none when the sentence names a foreign nationality as its actor and no place ("Iranian police
   killed five"): nothing puts that in Afghanistan; none when it moves elsewhere without naming
   where ("Elsewhere, gunmen killed three"); none when it runs between a foreign country and another
   place ("a border clash took place between Iran and Afghanistan"): no Afghan unit holds it;
3. the place its paragraph last named, when that place is abroad: the paragraph is about it;
4. "the country": the whole country (kept, off the map); for "the province", "the district" ... and
   for a definite act ("the fighting", "the blast"): the last Afghan place named before;
5. the article's main place (``main_place``); the places of an appended later report ("UPDATE:
   ... released in X") do not stand for the events reported before it.  ``inherits`` tells this case
   apart: the extractor keeps such an event only when the article leads with that place or reports an
   event there itself.

Further provinces the sentence names after its act ("bombings in Kabul, Balkh and Kunduz") or, before it,
as where something is ("gathered outside the consulate in Herat and the embassy in Kabul and hurled stones";
"in Kunduz on October 8 and in Kandahar on October 15") give one more event each (``also_in``).

``stored`` says which events an ingest keeps: those placed in Afghanistan, at any level.  An event
whose text names no place at all could be anywhere; one placed only at country level ("in
Afghanistan") is kept for the table, the counts and the CSV, and stays off the map.
"""
from __future__ import annotations

import bisect
import re

from events import taxonomy
from events.sentences import Sentence
from geo.place import PRECISION_COUNTRY, Place, province_of
from geo.units import AFGHANISTAN, AdminUnit

# "Elsewhere, ...", "in another province": the text moves to a place it does not name.
_ELSEWHERE = re.compile(r"\b(?:elsewhere|in (?:an)?other (?:provinces?|districts?|parts? of the country))\b",
                        re.I)
# A non-restrictive relative clause that reports no act of its own describes the noun before it
# ("Ghazni, which connects Kabul with Kandahar"): places named inside it are not further sites of the act.
_RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|whose|that)\b[^,;:()]*", re.I)
# So does a participle clause after the act, to the sentence's end ("took Jalalabad, effectively leaving the
# capital, Kabul, isolated"): what the act brought about, not where else it happened.
_PARTICIPLE_CLAUSE = re.compile(r",\s*(?:\w+ly\s+)?(?!(?:according|including)\b)\w+ing\b.*", re.I | re.S)
# "the country" or Afghanistan as the place of the act ("across the country", "captured the country",
# "throughout Afghanistan") is the whole country, not any one province.
_THE_COUNTRY = re.compile(r"""
    \b(?: (?:across|throughout|all\ over|around)                                  # where it spread
         | (?:captured|seized|overran|took\ over|took\ control\ of|controls?)     # what was taken
       )\s+(?:the\ country|Afghanistan)\b""", re.I | re.X)
# A place that only locates another ("south of the capital Kabul", "80 km from Ghazni"): no further site.
_REFERENCE_POINT = re.compile(r"""\b(?:
      (?:north|south|east|west)(?:-?(?:east|west))?\s+of                     # south of the capital Kabul
    | (?:km|kilometres?|kilometers?|miles)\s+(?:\w+\s+)?(?:from|of)          # 80 km from Ghazni
)\s+(?:the\s+)?(?:capital\s+|city\s+of\s+)?$""", re.I | re.X)
# A place named as where something is: "in", "near" ..., then "the", a description and a country's possessive
# ("in southern Afghanistan's Helmand province").
_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|inside|around)\s+(?:the\s+)?(?:[a-z]+\s+)?"
                       r"(?:[a-z]+['’]s\s+)?$", re.I)
_LATER_UPDATE = re.compile(r"\bUPDATE(?:\s+\d+)?\s*:|^\W*UPDATE\b", re.M)
_UPDATE_MIN_START = 20   # an article that opens with "UPDATE" is the update itself


def stored(event_place: Place | None) -> bool:
    """Whether an event with this place is kept: placed in Afghanistan, at any level."""
    return event_place is not None and event_place.in_afghanistan


def main_place(places: list[Place]) -> Place | None:
    """The article's most likely event location.

    The first Afghan place used as an event location anchors the province; the first
    district-or-finer place in that province refines it.  Headlines count only when the body
    names no other Afghan place; datelines and the places officials speak from never do: they
    say where the reporter or the speaker was.
    """
    afghan = [p for p in places if p.in_afghanistan and p.adm1_pcode]
    for role in ("event", "heading"):
        candidates = [p for p in afghan if p.role == role]
        if candidates:
            return _finest_of_first_province(candidates)
    return None


class EventPlaces:
    """Chooses the place of each sentence of one article (see the module docstring)."""

    def __init__(self, text: str, places: list[Place]):
        update = _LATER_UPDATE.search(text, _UPDATE_MIN_START) if "UPDATE" in text else None
        self.update_at = update.start() if update else len(text)
        self.main = main_place(places)
        self.main_before_update = main_place([p for p in places if p.start < self.update_at]) if update \
            else self.main
        # the kinds of places the choice looks at, each in text order (looked up by offset: time stays
        # linear in the article's length)
        self._events = _ByOffset([p for p in places if p.role == "event"])
        self._afghan = _ByOffset([p for p in places
                                  if p.role == "event" and p.in_afghanistan and p.adm1_pcode])
        self._nationalities = _ByOffset([p for p in places if p.role == "nationality"])
        self._routes_abroad = _ByOffset([p for p in places if p.role == "route" and not p.in_afghanistan])

    def own(self, sentence: Sentence) -> list[Place]:
        """The places the sentence itself names as where something happened."""
        return self._events.between(sentence.start, sentence.end)

    def also_in(self, sentence: Sentence, place: Place | None, act_at: int) -> list[Place]:
        """The places in other provinces than ``place``'s that the sentence names after its act (at
        offset ``act_at``) or, before it, as where something is, one per province: the same act in two
        provinces, or a list of attacks ("bombings in Kabul, Balkh and Kunduz"), is one event each."""
        seen = {place.adm1_pcode} if place is not None else set()
        clauses = [*_RELATIVE_CLAUSE.finditer(sentence.text),
                   *_PARTICIPLE_CLAUSE.finditer(sentence.text, max(0, act_at - sentence.start))]
        described = [(sentence.start + m.start(), sentence.start + m.end())
                     for m in clauses if taxonomy.classify(m.group()) is None]
        others = []
        located = [p for p in self._events.between(sentence.start, act_at) if _locative(sentence, p)]
        for candidate in located + self._events.between(act_at, sentence.end):
            if any(start <= candidate.start < end for start, end in described) \
                    or _REFERENCE_POINT.search(sentence.text, 0, candidate.start - sentence.start):
                continue
            if candidate.in_afghanistan and candidate.adm1_pcode and candidate.adm1_pcode not in seen:
                seen.add(candidate.adm1_pcode)
                same = [p for p in self.own(sentence) if p.adm1_pcode == candidate.adm1_pcode]
                others.append(_finest_of_first_province(same))
        return others

    def of(self, sentence: Sentence, paragraph_start: int) -> Place | None:
        """Where the sentence's event happened; ``paragraph_start``: where its paragraph begins."""
        inside = self.own(sentence)
        local = [p for p in inside if p.in_afghanistan]   # Afghan units, or the country
        if local and not any(_locative(sentence, p) for p in local):
            # "A day before the Kabul attack, 40 people were killed in central Baghdad", "the attacks in
            # Mumbai have repercussions for Afghanistan": the place the act happened in, not the one that
            # only names something else
            abroad = next((p for p in inside if not p.in_afghanistan and _locative(sentence, p)), None)
            if abroad is not None:
                return abroad
        afghan = [p for p in local if p.adm1_pcode]
        if afghan:
            return _finest_of_first_province(afghan)
        if inside:   # only the country, or only foreign places: no Afghan unit
            return local[0] if local else inside[0]
        if self._nationalities.between(sentence.start, sentence.end) or _ELSEWHERE.search(sentence.text) \
                or self._routes_abroad.between(sentence.start, sentence.end):
            return None
        before = self._events.last_before(sentence.start)
        if before is not None and before.start >= paragraph_start and not before.in_afghanistan:
            return before
        country = _THE_COUNTRY.search(sentence.text)
        if country:
            return _country_level(sentence.start + country.start(), sentence.start + country.end())
        anaphora = (taxonomy.PLACE_REFERENCE.search(sentence.text)
                    or taxonomy.ACT_REFERENCE.search(sentence.text))
        previous = self._afghan.last_before(sentence.start)
        if previous is not None and anaphora:
            if "province" in anaphora.group().lower() and previous.adm2_pcode:
                return province_of(previous)
            return previous
        return self.main_before_update if sentence.start < self.update_at else self.main


    def inherits(self, sentence: Sentence, place: Place | None) -> bool:
        """Whether ``place`` (from ``of``) is the article's main place standing in for a sentence that
        names no place of its own."""
        return (place is not None and place in (self.main, self.main_before_update)
                and not sentence.start <= place.start < sentence.end
                and not taxonomy.PLACE_REFERENCE.search(sentence.text))


class _ByOffset:
    """Places in text order, found by their offsets."""

    def __init__(self, places: list[Place]):
        self.places = places
        self.starts = [p.start for p in places]

    def between(self, start: int, end: int) -> list[Place]:
        return self.places[bisect.bisect_left(self.starts, start):bisect.bisect_left(self.starts, end)]

    def last_before(self, offset: int) -> Place | None:
        at = bisect.bisect_left(self.starts, offset)
        return self.places[at - 1] if at else None


def _locative(sentence: Sentence, place: Place) -> bool:
    """Whether the sentence names ``place`` as where something is ("in central Baghdad", "near Kabul")."""
    return bool(_LOCATIVE.search(sentence.text, 0, place.start - sentence.start))


def _country_level(start: int, end: int) -> Place:
    return Place(text="the country", start=start, end=end, location="Afghanistan",
                 unit=AdminUnit(AFGHANISTAN), geo_precision=PRECISION_COUNTRY, feature="country")


def _finest_of_first_province(places: list[Place]) -> Place:
    anchor = places[0]
    return next((p for p in places if p.adm1_pcode == anchor.adm1_pcode and p.adm2_pcode), anchor)
