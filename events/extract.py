"""Events from an article: one per reporting sentence, typed, dated, counted, placed, with evidence.

For each sentence: the taxonomy gives the type (figures can override it: a sentence that
reports displaced families is a displacement), ``events.dates`` the date, ``events.counts``
the figures, ``events.actors`` who did it to whom, and the geocoder's places the location
(the sentence's own place, else the last place named earlier in the paragraph, else the
article's main place).  Sentences reporting the same event are merged.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from events import taxonomy
from events.actors import actor_roles
from events.counts import extract_counts, with_references
from events.dates import resolve_event_date
from events.model import Article, Event
from events.sentences import Sentence, split_sentences
from geo.place import Place

EXTRACTOR_VERSION = "rules-1"
LEAD_BONUS = 0.1
_ANAPHORA = re.compile(r"\bthe (?:province|district|area|city|region)\b", re.I)
_ADDS_TO_PREVIOUS = re.compile(r"\b(?:additional|another|other|also|separate|more(?! than)|"
                               r"further(?! questioning| investigation))\b", re.I)
_ONGOING = re.compile(r"\b(?:are|is|am)\s+(?:\w+ly\s+)?\w+ing\b", re.I)
_COUNT_FIELDS = ("fatalities", "injured", "detained", "displaced")


def extract_events(article: Article, geocoder) -> list[Event]:
    """Every event the article reports, merged within the article, in text order."""
    text = article.text
    published = article.published.date() if article.published else None
    places = geocoder.find(text)
    main_place = geocoder.main_place(text, places)
    events: list[Event] = []
    sentences = [s for s in split_sentences(text) if not _is_heading(s)]
    dates = [resolve_event_date(s.text, published) for s in sentences]
    counted: set[str] = set()   # casualty categories the article has already given figures for
    for index, sentence in enumerate(sentences):
        event = _sentence_event(sentences, dates, index, published, places, main_place, counted)
        if event is not None:
            if not events:   # news leads with its main event
                event.confidence = round(min(event.confidence + LEAD_BONUS, 0.99), 2)
            event.article_id = article.id
            event.extractor_version = EXTRACTOR_VERSION
            event.event_id = _event_id(article.id, event)
            events.append(event)
    return _merge(_drop_restated_figures(events))


def _sentence_event(sentences: list[Sentence], dates: list[tuple], index: int, published, places,
                    main_place, counted: set[str]) -> Event | None:
    sentence = sentences[index]
    counts = with_references(extract_counts(sentence.text), counted)
    counted.update(f for f in ("killed", "injured", "detained", "displaced") if getattr(counts, f) is not None)
    rule = taxonomy.classify(sentence.text)
    if counts.displaced:
        rule = taxonomy.rule_named("Displacement")
    elif counts.detained and not counts.killed and rule and rule.event_type == taxonomy.BATTLES \
            and rule.sub_event_type == "Armed clash":
        rule = taxonomy.rule_named("Arrests")
    if rule is None or taxonomy.BACKGROUND.search(sentence.text) or taxonomy.ROUNDUP.search(sentence.text):
        return None
    if rule.sub_event_type != "Displacement" and taxonomy.DISASTER.search(sentence.text):
        return None
    if not counts.any() and taxonomy.NOT_AN_EVENT.search(sentence.text):
        return None
    event_date, precision = dates[index]
    if event_date is None and _ONGOING.search(sentence.text):
        event_date, precision = published, 1 if published else None   # "are training": ongoing when published
    elif event_date is None:
        event_date, precision = _context_date(sentences, dates, index, published)
    place = _event_place(sentence, places, main_place)
    verb = rule.pattern.search(sentence.text)
    actor1, actor2 = actor_roles(sentence.text, verb.start() if verb else 0)
    confidence = rule.weight + (0.05 if counts.any() else 0.0) + (0.05 if place and place.adm1_pcode else 0.0)
    return Event(
        event_type=rule.event_type, sub_event_type=rule.sub_event_type, evidence=sentence.text,
        evidence_start=sentence.start, evidence_end=sentence.end, event_date=event_date,
        time_precision=precision, actor1=actor1, actor2=actor2, fatalities=counts.killed,
        injured=counts.injured, detained=counts.detained, displaced=counts.displaced,
        displaced_unit=counts.displaced_unit, place=place, confidence=round(min(confidence, 0.99), 2))


def _context_date(sentences: list[Sentence], dates: list[tuple], index: int, published) -> tuple:
    """An undated sentence's date: the nearest dated sentence of its paragraph ("The operation took
    place yesterday" may come after), else the last date given before it (the lead's "yesterday"
    dates the details that follow), else the first one after it, else the publication date."""
    paragraph = sentences[index].paragraph
    for distance in range(1, 4):
        for other in (index - distance, index + distance):
            if 0 <= other < len(sentences) and sentences[other].paragraph == paragraph and dates[other][0]:
                return dates[other]
    earlier = [found for found in dates[:index] if found[0] is not None]
    later = [found for found in dates[index + 1:] if found[0] is not None]
    return earlier[-1] if earlier else later[0] if later else (published, 2 if published else None)


def _event_place(sentence: Sentence, places: list[Place], main_place: Place | None) -> Place | None:
    inside = [p for p in places if sentence.start <= p.start < sentence.end and p.role == "event"]
    afghan = [p for p in inside if p.in_afghanistan and p.adm1_pcode]
    if afghan:
        anchor = afghan[0]
        finer = [p for p in afghan if p.adm1_pcode == anchor.adm1_pcode and p.adm2_pcode]
        return finer[0] if finer else anchor
    if inside:   # only the country, or only foreign places: no Afghan unit
        return next((p for p in inside if p.in_afghanistan), inside[0])
    earlier = [p for p in places if p.start < sentence.start and p.in_afghanistan and p.adm1_pcode
               and p.role == "event"]
    if earlier and _ANAPHORA.search(sentence.text):
        previous = earlier[-1]
        if "province" in _ANAPHORA.search(sentence.text).group().lower() and previous.adm2_pcode:
            return _province_of(previous)
        return previous
    return main_place


def _province_of(place: Place) -> Place:
    return replace(place, adm2_pcode=None, adm2_name=None, location=place.adm1_name or "", geo_precision=4,
                   feature="province")


def _is_heading(sentence: Sentence) -> bool:
    return len(sentence.text) < 160 and not sentence.text.rstrip().endswith((".", "!", "?", '"', "”", "'"))


def _event_id(article_id: str, event: Event) -> str:
    key = f"{article_id}:{event.evidence_start}:{event.event_type}:{event.sub_event_type}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _merge_key(event: Event):
    place = event.place
    where = (place.adm2_pcode or place.adm1_pcode or place.location) if place else None
    return event.event_type, event.sub_event_type, where, event.event_date


def _drop_restated_figures(events: list[Event]) -> list[Event]:
    """A figure repeated for the same day and place ("detained several suspects ... the force
    detained several suspects for questioning") restates, unless the sentence says "additional"."""
    seen: dict[tuple, set] = {}
    for event in events:
        if _ADDS_TO_PREVIOUS.search(event.evidence):
            continue
        where = event.place.adm1_pcode if event.place else None
        for field in _COUNT_FIELDS:
            value = getattr(event, field)
            if value is None:
                continue
            places = seen.setdefault((field, value, event.event_date), set())
            if places and (where is None or where in places or None in places):
                setattr(event, field, None)
            places.add(where)
    return events


def _merge(events: list[Event]) -> list[Event]:
    """Sentences reporting the same event (type, place, date) become one event.

    Figures add up: references back to people already counted were dropped by
    ``events.counts``, and restated figures by ``_drop_restated_figures``.
    """
    merged: dict[tuple, Event] = {}
    for event in events:
        key = _merge_key(event)
        first = merged.get(key)
        if first is None:
            merged[key] = event
            continue
        for field in _COUNT_FIELDS:
            a, b = getattr(first, field), getattr(event, field)
            if b is not None:
                setattr(first, field, b if a is None else a + b)
        first.actor1 = first.actor1 or event.actor1
        first.actor2 = first.actor2 or event.actor2
        first.confidence = max(first.confidence, event.confidence)
    return list(merged.values())
