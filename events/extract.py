"""Events from an article: one per reporting sentence, typed, dated, counted, placed, with evidence.

For each sentence: the taxonomy gives the type (figures can override it: a sentence that
reports displaced families is a displacement) and says whether it reports an occurrence at all,
``events.dates.EventDates`` the date, ``events.counts`` the figures, ``events.actors`` who did it
to whom, and ``events.where.EventPlaces`` the place.  Sentences reporting the same event are merged.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date

from events import taxonomy
from events.actors import actor_roles
from events.counts import Figure, extract_counts, with_references
from events.dates import EventDates, is_lasting, is_ongoing, needs_publication_date
from events.model import Article, Event
from events.sentences import Sentence, split_sentences
from events.where import EventPlaces
from geo.place import Place

EXTRACTOR_VERSION = "rules-1"
LEAD_BONUS = 0.1
_LEAD_CHARS = 400
_LEAD_SENTENCES = 3   # the lead of a news story: what it is about
_ADDS_TO_PREVIOUS = re.compile(r"\b(?:additional|another|other|also|separate|more(?! than)|"
                               r"further(?! questioning| investigation))\b", re.I)
# One incident of this conflict does not kill or wound thousands: a toll that large is a running total
# ("2,461 service members killed") or a disaster's, not one event.
_TOTAL_TOLL = 1000
# Nor does it displace hundreds of thousands: "hundreds of thousands of people were displaced by the Taliban
# advance" is a humanitarian total.
_TOTAL_DISPLACED = 100_000
# A later report that revises a toll ("the death toll rose to 60", "local sources later reported that 60
# were killed"): its figures replace the event's earlier ones instead of adding to them.
_REVISES = re.compile(r"""\b(?:
      death\s+toll | toll\s+(?:rose|has\s+risen|climbed|reached)
    | (?:rose|risen|climbed|jumped|increased)\s+to | updated | revised
    | later\b[\w\s,]{0,40}?\b(?:reported|said|put|raised|confirmed|announced)
)\b""", re.I | re.X)
_TOLL_FIELDS = ("fatalities", "injured")
_FIELD = {"killed": "fatalities", "injured": "injured", "detained": "detained", "displaced": "displaced"}
_COUNT_FIELDS = tuple(_FIELD.values())


def extract_events(article: Article, geocoder) -> list[Event]:
    """Every event the article reports, merged within the article, in text order."""
    text = article.text
    published = article.published.date() if article.published else None
    where = EventPlaces(text, geocoder.find(text))
    # an earthquake story: its casualty sentences report the disaster's toll
    disaster = bool(taxonomy.DISASTER.search(f"{article.title}\n{text[:_LEAD_CHARS]}"))
    split = split_sentences(text)
    # a heading has text after it: the last (or only) line of a text is read as a sentence
    sentences = [s for s in split[:-1] if not _is_heading(s)] + split[-1:]
    sentences = _without_repeats(sentences)
    when = EventDates(sentences, published)
    paragraph_starts: dict[int, int] = {}
    for sentence in sentences:
        paragraph_starts.setdefault(sentence.paragraph, sentence.start)
    reported: list[_Reported] = []
    counted: set[str] = set()   # casualty categories the article has already given figures for
    for index, sentence in enumerate(sentences):
        found = _sentence_event(sentence, index, when, where, paragraph_starts[sentence.paragraph], counted,
                                disaster)
        if found is None:
            continue
        event, figures, act_at, unspecific = found
        if not reported:   # news leads with its main event
            event.confidence = round(min(event.confidence + LEAD_BONUS, 0.99), 2)
        # the same act named in further provinces: one event each; a figure told for them all is their total,
        # which no one province's event can carry
        others = where.also_in(sentence, event.place, act_at)
        if others:
            event, figures = _without_figures(event), []
        day = (event.event_date, when.weeks_back(index))
        for extra in [event] + [_without_figures(event, place) for place in others]:
            extra.article_id = article.id
            extra.extractor_version = EXTRACTOR_VERSION
            extra.event_id = _event_id(article.id, extra)
            reported.append(_Reported(extra, figures if extra is event else [], day, unspecific,
                                      extra is event and where.inherits(sentence, event.place)))
    _type_as_told_exactly(reported)
    lead_end = sentences[min(_LEAD_SENTENCES, len(sentences)) - 1].end if sentences else 0
    return _merge(_drop_restated_figures(_anchored(reported, where.main, lead_end)))


@dataclass
class _Reported:
    """An event as a sentence reports it, with what the article-level steps need to know of it."""

    event: Event
    figures: list[Figure]   # the counted phrases behind its counts
    day: tuple[date | None, int]   # its date, and in an undated article the weeks before the news it is
    unspecific: bool         # told only as violence ("an attack", "killed"), not how
    inherited: bool          # placed only by the article's main place


def _type_as_told_exactly(reported: list[_Reported]) -> None:
    """An act told only as violence ("the attack killed 13") takes the type of the act the article tells
    more exactly at the same place and day ("a suicide bomber ..."), the nearest such sentence first."""
    exact = [r for r in reported if not r.unspecific and r.event.place is not None
             and r.event.event_type in (taxonomy.EXPLOSIONS, taxonomy.VIOLENCE_CIVILIANS)]
    for loose in reported:
        event = loose.event
        if not loose.unspecific or event.place is None:
            continue
        same = [r.event for r in exact if r.day == loose.day and _same_place(r.event.place, event.place)]
        if same:
            told = min(same, key=lambda e: abs(e.evidence_start - event.evidence_start))
            event.event_type, event.sub_event_type = told.event_type, told.sub_event_type


def _same_place(a: Place | None, b: Place) -> bool:
    """The same province, and the same district unless one of them names none."""
    return a is not None and a.adm1_pcode == b.adm1_pcode and (not a.adm2_pcode or not b.adm2_pcode
                                                                or a.adm2_pcode == b.adm2_pcode)


def _anchored(reported: list[_Reported], main: Place | None, lead_end: int) -> list[_Reported]:
    """The events to keep: a sentence that names no place takes the article's main place only where
    the article reports an event or leads with it; a place mentioned in passing does not make an
    unplaced remark local."""
    anchored = {r.event.place.adm1_pcode for r in reported if r.event.place is not None and not r.inherited}
    if main is not None and main.start < lead_end:
        anchored.add(main.adm1_pcode)
    return [r for r in reported
            if not r.inherited or (r.event.place is not None and r.event.place.adm1_pcode in anchored)]


def _sentence_event(sentence: Sentence, index: int, when: EventDates, where: EventPlaces,
                    paragraph_start: int, counted: set[str],
                    disaster: bool) -> tuple[Event, list[Figure], int, bool] | None:
    """The event sentence ``index`` reports, with the figure phrases behind its counts, the offset of
    the words that report the act and whether they only say violence happened (``taxonomy.is_unspecific``),
    or None."""
    counts = with_references(extract_counts(sentence.text), counted)
    counted.update(category for category in _FIELD if getattr(counts, category) is not None)
    found = _rule_of(sentence.text, counts)
    if found is None:
        return None
    rule, verb = found
    act_at = verb.start() if verb else 0
    if not _reports_occurrence(sentence.text, rule, verb, counts, disaster):
        return None
    own_places = where.own(sentence)
    timed = bool(when.own(index)[0]) or needs_publication_date(sentence.text)
    specific = own_places or counts.any() or timed
    if is_ongoing(sentence.text) and not specific:
        return None   # "they are fighting government forces": a situation, nothing specific
    if is_lasting(sentence.text) and not (counts.any() or timed):
        return None   # "fighting has been raging in Faryab": a period with no start, named places or not
    if not timed and taxonomy.EXAMPLE.search(sentence.text, 0, act_at):
        return None   # "civilian killings, such as the bombing of the hospital in Kunduz": an example
    event_date, precision = when.of(index)
    if when.is_history(event_date) or when.is_recalled(index):
        return None   # recalled for context, older than the article's news
    place = where.of(sentence, paragraph_start)
    if place is not None and not place.in_afghanistan:
        return None   # "a car bomber attacks a busy shopping area in Baghdad": not on this map
    actor1, actor2 = actor_roles(sentence.text, act_at)
    confidence = rule.weight + (0.05 if counts.any() else 0.0) + (0.05 if place and place.adm1_pcode else 0.0)
    if not counts.any() and taxonomy.describes(rule, sentence.text):
        confidence -= 0.2   # someone's record ("he coordinates suicide attacks"), likely no event of its own
    event = Event(
        event_type=rule.event_type, sub_event_type=rule.sub_event_type, evidence=sentence.text,
        evidence_start=sentence.start, evidence_end=sentence.end, event_date=event_date,
        time_precision=precision, actor1=actor1, actor2=actor2, fatalities=counts.killed,
        injured=counts.injured, detained=counts.detained, displaced=counts.displaced,
        displaced_unit=counts.displaced_unit, place=place, confidence=round(min(confidence, 0.99), 2))
    return event, counts.figures, sentence.start + act_at, taxonomy.is_unspecific(rule, verb)


def _rule_of(sentence: str, counts) -> tuple[taxonomy.Rule, re.Match | None] | None:
    """The sentence's rule and the words that report the act; figures can override the rule (displaced
    people make a displacement)."""
    found = taxonomy.trigger(sentence, figures=counts.any())
    rule = found[0] if found else None
    if counts.displaced:
        rule = taxonomy.rule_named("Displacement")
    elif rule is None and (counts.killed or counts.injured):
        rule = taxonomy.casualty_rule(sentence)
    elif counts.detained and not counts.killed and rule and (
            rule.sub_event_type == "Armed clash" or rule.event_type == taxonomy.EXPLOSIONS
            and taxonomy.describes(rule, sentence)):   # "detained a leader responsible for IED attacks"
        rule = taxonomy.rule_named("Arrests")
    if rule is None:
        return None
    if found is not None and rule is found[0]:
        if taxonomy.is_unspecific(rule, found[1]):
            return taxonomy.weapon_rule(sentence), found[1]   # violence told not how: its weapon tells
        return rule, found[1]
    return rule, rule.pattern.search(sentence)


def _reports_occurrence(sentence: str, rule: taxonomy.Rule, verb: re.Match | None, counts,
                        disaster: bool) -> bool:
    """Whether a sentence that matches a rule reports an occurrence: not background, a round-up, a
    question or condition, a toll in the thousands, a natural disaster's toll, or (without figures) a
    statement or plan."""
    if any(p.search(sentence) for p in (taxonomy.BACKGROUND, taxonomy.ROUNDUP, taxonomy.HYPOTHETICAL)):
        return False
    if max(counts.killed or 0, counts.injured or 0) >= _TOTAL_TOLL \
            or (counts.displaced or 0) >= _TOTAL_DISPLACED:
        return False
    if rule.sub_event_type != "Displacement" and (taxonomy.DISASTER.search(sentence)
                                                  or disaster and not taxonomy.VIOLENCE.search(sentence)):
        return False   # a natural disaster's toll, not political violence
    clause = taxonomy.reporting_clause(sentence, verb.end()) if verb else sentence
    return counts.any() or not taxonomy.NOT_AN_EVENT.search(clause)


def _without_repeats(sentences: list[Sentence]) -> list[Sentence]:
    """A sentence repeated word for word (a page that repeats a paragraph) reports its event once."""
    seen: set[str] = set()
    kept = []
    for sentence in sentences:
        if sentence.text not in seen:
            seen.add(sentence.text)
            kept.append(sentence)
    return kept


def _is_heading(sentence: Sentence) -> bool:
    return len(sentence.text) < 160 and not sentence.text.rstrip().endswith((".", "!", "?", '"', "”", "'"))


def _without_figures(event: Event, place: Place | None = None) -> Event:
    """The event without its figures, at ``place`` if given."""
    return replace(event, place=place or event.place, fatalities=None, injured=None, detained=None,
                   displaced=None, displaced_unit="")


def _event_id(article_id: str, event: Event) -> str:
    key = f"{article_id}:{event.evidence_start}:{event.event_type}:{event.sub_event_type}"
    # a place the sentence itself names is part of the identity: one sentence may report the act in
    # several provinces, one event each
    if event.place is not None and event.place.start >= event.evidence_start:
        key += f":{event.place.adm1_pcode}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _merge_key(reported: _Reported):
    event, place = reported.event, reported.event.place
    where = (place.adm2_pcode or place.adm1_pcode or place.location) if place else None
    return event.event_type, event.sub_event_type, where, reported.day


def _drop_restated_figures(reported: list[_Reported]) -> list[_Reported]:
    """Figures repeated for the same day and province count once.

    A phrase restates an earlier one when its figure equals an earlier phrase's or an earlier
    sentence's total ("detained several suspects ... the force detained several suspects for
    questioning"), unless its sentence says "additional" or the like; a precise figure refines an
    earlier vague one about the same people ("several suspects ... the five suspects were detained"); a
    later precise figure for people an earlier sentence counted precisely is another report of that toll
    ("at least 25 security personnel were killed ... the health director said 34 security personnel had
    been killed"): the first report stands, unless the later one says it revises the toll
    (``_REVISES``): then it replaces the event's earlier killed and injured figures.
    """
    seen: dict[tuple, set] = {}
    vague: dict[tuple, tuple[Event, Figure]] = {}
    told: set[tuple] = set()   # (event, category, people) counted precisely
    tolls: dict[tuple, list[Event]] = {}   # (event, field): the sentences' events that gave it a figure
    for one in reported:
        event, phrases, day = one.event, one.figures, one.day
        where = event.place.adm1_pcode if event.place else None
        # "also", "another" said of these figures: in the clause that gives them, not in a later one
        # ("..., but added he expected the toll to rise because the first explosion also hit many people")
        told_in = taxonomy.reporting_clause(event.evidence, max((f.end for f in phrases), default=0))
        adds = bool(_ADDS_TO_PREVIOUS.search(told_in))
        revises = not adds and bool(_REVISES.search(event.evidence))
        if revises:
            _drop_revised(one, tolls)
        kept: list[Figure] = []
        for figure in phrases:
            field = _FIELD[figure.category]
            head = (figure.category, figure.noun.split()[-1] if figure.noun else "", day)
            refined = vague.get(head) if head[1] and not figure.vague and not adds else None
            if refined and figure.value >= refined[1].value and \
                    (where is None or refined[0].place is None or refined[0].place.adm1_pcode == where):
                del vague[head]
                earlier, rough = refined
                _add_to(earlier, field, -rough.value)
                if figure.definite:   # "the five suspects": counted here instead
                    _add_to(event, field, figure.value)
                continue
            if figure.definite:
                continue
            places = seen.get((figure.category, figure.value, day), set())
            repeated = bool(places) and (where is None or where in places or None in places)
            again = not figure.vague and (_merge_key(one), figure.category, head[1]) in told
            if not (adds or revises) and (repeated or again):
                _add_to(event, field, -figure.value)
                continue
            kept.append(figure)
            if figure.vague and head[1]:
                vague[head] = (event, figure)
        totals: dict[str, int] = {}
        for figure in kept:   # what this sentence added, as phrases and as totals
            seen.setdefault((figure.category, figure.value, day), set()).add(where)
            if not figure.vague and figure.noun:
                told.add((_merge_key(one), figure.category, figure.noun.split()[-1]))
            totals[figure.category] = totals.get(figure.category, 0) + figure.value
        for category, total in totals.items():
            seen.setdefault((category, total, day), set()).add(where)
        for field in _TOLL_FIELDS:
            if getattr(event, field) is not None:
                tolls.setdefault((_merge_key(one), field), []).append(event)
    return reported


def _drop_revised(revision: _Reported, tolls: dict[tuple, list[Event]]) -> None:
    """The killed and injured figures that ``revision`` gives anew, taken from the sentences of its event
    that gave them before (``tolls``: (merge key, field) -> their events)."""
    for field in _TOLL_FIELDS:
        if getattr(revision.event, field) is not None:
            for earlier in tolls.pop((_merge_key(revision), field), []):
                setattr(earlier, field, None)


def _add_to(event: Event, field: str, delta: int) -> None:
    """Change a count of ``event``; a count that falls to 0 becomes unknown (None), as never reported."""
    setattr(event, field, (getattr(event, field) or 0) + delta or None)


def _merge(reported: list[_Reported]) -> list[Event]:
    """Sentences reporting the same event (type, place, day) become one event.

    Figures add up: references back to people already counted were dropped by
    ``events.counts``, and restated figures by ``_drop_restated_figures``.  The evidence stays the first
    sentence; each further sentence that adds a figure is quoted in ``notes``, so every figure can be
    checked against the words that gave it.
    """
    merged: dict[tuple, Event] = {}
    for one in reported:
        event, key = one.event, _merge_key(one)
        first = merged.get(key)
        if first is None:
            merged[key] = event
            continue
        for field in _COUNT_FIELDS:
            a, b = getattr(first, field), getattr(event, field)
            if b is not None:
                setattr(first, field, b if a is None else a + b)
        if any(getattr(event, field) is not None for field in _COUNT_FIELDS):
            first.notes = (f"{first.notes} | " if first.notes else "Figures also from: ") + event.evidence
        first.actor1 = first.actor1 or event.actor1
        first.actor2 = first.actor2 or event.actor2
        first.confidence = max(first.confidence, event.confidence)
    return list(merged.values())
