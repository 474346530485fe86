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
from events.counts import extract_counts
from events.dates import resolve_event_date
from events.model import Article, Event
from events.sentences import Sentence, split_sentences
from geo.place import Place

EXTRACTOR_VERSION = "rules-1"
LEAD_BONUS = 0.1
_ANAPHORA = re.compile(r"\bthe (?:province|district|area|city|region)\b", re.I)
_ADDS_TO_PREVIOUS = re.compile(r"\b(?:additional|another|other|also|more|further|separate)\b", re.I)
_ONGOING = re.compile(r"\b(?:are|is|am)\s+(?:\w+ly\s+)?\w+ing\b", re.I)
_COUNT_FIELDS = ("fatalities", "injured", "detained", "displaced")


def extract_events(article: Article, geocoder) -> list[Event]:
    """Every event the article reports, merged within the article, in text order."""
    text = article.text
    published = article.published.date() if article.published else None
    places = geocoder.find(text)
    main_place = geocoder.main_place(text, places)
    events: list[Event] = []
    last_date: list[tuple] = []
    sentences = [s for s in split_sentences(text) if not _is_heading(s)]
    for index, sentence in enumerate(sentences):
        event = _sentence_event(sentences, index, published, places, main_place, last_date)
        if event is not None:
            if not events:   # news leads with its main event
                event.confidence = round(min(event.confidence + LEAD_BONUS, 0.99), 2)
            event.article_id = article.id
            event.extractor_version = EXTRACTOR_VERSION
            event.event_id = _event_id(article.id, event)
            events.append(event)
    return _merge(events)


def _sentence_event(sentences: list[Sentence], index: int, published, places, main_place,
                    last_date: list[tuple]) -> Event | None:
    sentence = sentences[index]
    counts = extract_counts(sentence.text)
    rule = taxonomy.classify(sentence.text)
    if counts.displaced:
        rule = taxonomy.rule_named("Displacement")
    elif counts.detained and not counts.killed and rule and rule.event_type == taxonomy.BATTLES \
            and rule.sub_event_type == "Armed clash":
        rule = taxonomy.rule_named("Arrests")
    if rule is None or taxonomy.BACKGROUND.search(sentence.text):
        return None
    if rule.sub_event_type != "Displacement" and taxonomy.DISASTER.search(sentence.text):
        return None
    if not counts.any() and taxonomy.NOT_AN_EVENT.search(sentence.text):
        return None
    event_date, precision = resolve_event_date(sentence.text, published)
    if event_date is None and _ONGOING.search(sentence.text):
        event_date, precision = published, 1 if published else None   # "are training": ongoing when published
    elif event_date is None:
        event_date, precision = _context_date(sentences, index, published, last_date)
    else:
        last_date.append((event_date, precision))
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


def _context_date(sentences: list[Sentence], index: int, published, last_date: list[tuple]) -> tuple:
    """An undated sentence's date: the nearest dated sentence of its paragraph ("The operation took
    place yesterday" may come after), else the last date the article gave, else its publication date."""
    paragraph = sentences[index].paragraph
    for distance in range(1, 4):
        for other in (index - distance, index + distance):
            if 0 <= other < len(sentences) and sentences[other].paragraph == paragraph:
                found = resolve_event_date(sentences[other].text, published)
                if found[0] is not None:
                    return found
    return last_date[-1] if last_date else (published, 2 if published else None)


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


def _merge(events: list[Event]) -> list[Event]:
    """Sentences reporting the same event (type, place, date) become one event.

    Figures add up when the later sentence speaks of additional people ("detained one
    additional suspect"), else the larger figure stands (a restatement).
    """
    merged: dict[tuple, Event] = {}
    for event in events:
        key = _merge_key(event)
        first = merged.get(key)
        if first is None:
            merged[key] = event
            continue
        adds = bool(_ADDS_TO_PREVIOUS.search(event.evidence))
        for field in _COUNT_FIELDS:
            a, b = getattr(first, field), getattr(event, field)
            if b is not None:
                setattr(first, field, (a or 0) + b if adds else max(a or 0, b))
        first.actor1 = first.actor1 or event.actor1
        first.actor2 = first.actor2 or event.actor2
        first.confidence = max(first.confidence, event.confidence)
    return list(merged.values())
