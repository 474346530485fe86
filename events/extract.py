"""Events from an article: one per reporting sentence, typed, dated, counted, placed, with evidence.

For each sentence: the taxonomy gives the type (figures can override it: a sentence that
reports displaced families is a displacement), ``events.dates`` the date, ``events.counts``
the figures, ``events.actors`` who did it to whom, and the geocoder's places the location
(the sentence's own place, else the last place named earlier in the paragraph, else the
article's main place).  Sentences reporting the same event are merged.
"""
from __future__ import annotations

import functools
import hashlib
import re
from datetime import date

from events import taxonomy
from events.actors import actor_roles
from events.counts import Figure, extract_counts, with_references
from events.dates import needs_publication_date, resolve_event_date
from events.model import Article, Event
from events.sentences import Sentence, split_sentences
from geo.place import Place, province_of

EXTRACTOR_VERSION = "rules-1"
LEAD_BONUS = 0.1
_RECENT_DAYS = 31
_LEAD_CHARS = 400
_ANAPHORA = re.compile(r"\bthe (?:province|district|area|city|region)\b", re.I)
_ADDS_TO_PREVIOUS = re.compile(r"\b(?:additional|another|other|also|separate|more(?! than)|"
                               r"further(?! questioning| investigation))\b", re.I)
_ONGOING = re.compile(r"\b(?:are|is|am)\s+(?:\w+ly\s+)?\w+ing\b", re.I)
_LATER_UPDATE = re.compile(r"\bUPDATE(?:\s+\d+)?\s*:|^\W*UPDATE\b", re.M)
_UPDATE_MIN_START = 20   # an article that opens with "UPDATE" is the update itself
_FIELD = {"killed": "fatalities", "injured": "injured", "detained": "detained", "displaced": "displaced"}
_COUNT_FIELDS = tuple(_FIELD.values())


def extract_events(article: Article, geocoder) -> list[Event]:
    """Every event the article reports, merged within the article, in text order."""
    text = article.text
    published = article.published.date() if article.published else None
    places = geocoder.find(text)
    main_place = geocoder.main_place(text, places)
    # places of an appended later report ("UPDATE: ... released in X") do not locate the events before it
    update = _LATER_UPDATE.search(text, _UPDATE_MIN_START)
    update_at = update.start() if update else len(text)
    main_before = geocoder.main_place(text, [p for p in places if p.start < update_at]) if update else main_place
    disaster = bool(taxonomy.DISASTER.search(f"{article.title}\n{text[:_LEAD_CHARS]}"))   # an earthquake story
    events: list[Event] = []
    sentences = [s for s in split_sentences(text) if not _is_heading(s)]
    dates = functools.cache(lambda i: resolve_event_date(sentences[i].text, published))   # asked for lazily
    news = published or _latest_date(len(sentences), dates)
    paragraph_starts: dict[int, int] = {}
    for sentence in sentences:
        paragraph_starts.setdefault(sentence.paragraph, sentence.start)
    counted: set[str] = set()   # casualty categories the article has already given figures for
    article_figures: list[list[Figure]] = []   # the counted phrases behind each event
    for index, sentence in enumerate(sentences):
        fallback = main_before if sentence.start < update_at else main_place
        found = _sentence_event(sentences, dates, index, (published, news), places,
                                (fallback, paragraph_starts[sentence.paragraph]), counted, disaster)
        if found is not None:
            event, figures = found
            if not events:   # news leads with its main event
                event.confidence = round(min(event.confidence + LEAD_BONUS, 0.99), 2)
            event.article_id = article.id
            event.extractor_version = EXTRACTOR_VERSION
            event.event_id = _event_id(article.id, event)
            events.append(event)
            article_figures.append(figures)
    return _merge(_drop_restated_figures(events, article_figures))


def _sentence_event(sentences: list[Sentence], dates, index: int, when: tuple, places,
                    where: tuple, counted: set[str], disaster: bool) -> tuple[Event, list[Figure]] | None:
    """``when``: (publication date, date of the article's news); ``where``: (the article's main place,
    where the sentence's paragraph starts)."""
    sentence = sentences[index]
    (published, news), (main_place, paragraph_start) = when, where
    counts = with_references(extract_counts(sentence.text), counted)
    counted.update(category for category in _FIELD if getattr(counts, category) is not None)
    rule = taxonomy.classify(sentence.text)
    if counts.displaced:
        rule = taxonomy.rule_named("Displacement")
    elif counts.detained and not counts.killed and rule and (
            rule.sub_event_type == "Armed clash" or rule.event_type == taxonomy.EXPLOSIONS
            and taxonomy.describes(rule, sentence.text)):   # "detained a leader responsible for IED attacks"
        rule = taxonomy.rule_named("Arrests")
    if rule is None or taxonomy.BACKGROUND.search(sentence.text) or taxonomy.ROUNDUP.search(sentence.text) \
            or taxonomy.HYPOTHETICAL.search(sentence.text):
        return None
    if rule.sub_event_type != "Displacement" and (taxonomy.DISASTER.search(sentence.text)
                                                  or disaster and not taxonomy.VIOLENCE.search(sentence.text)):
        return None   # a natural disaster's toll, not political violence
    if not counts.any() and taxonomy.NOT_AN_EVENT.search(sentence.text):
        return None
    own_places = [p for p in places if sentence.start <= p.start < sentence.end and p.role == "event"]
    event_date, precision = dates(index)
    ongoing = bool(_ONGOING.search(sentence.text))
    if ongoing and not (own_places or counts.any() or event_date or needs_publication_date(sentence.text)):
        return None   # "they are fighting government forces": a situation, nothing specific
    if event_date is None and ongoing:
        event_date, precision = published, 1 if published else None   # "are training": ongoing when published
    elif event_date is None:
        event_date, precision = _context_date(sentences, dates, index, published, news)
    if _is_history(event_date, news):
        return None   # recalled for context, older than the article's news
    place = _event_place(sentence, own_places, places, main_place, paragraph_start)
    if place is not None and not place.in_afghanistan:
        return None   # "a car bomber attacks a busy shopping area in Baghdad": not on this map
    verb = rule.pattern.search(sentence.text)
    actor1, actor2 = actor_roles(sentence.text, verb.start() if verb else 0)
    confidence = rule.weight + (0.05 if counts.any() else 0.0) + (0.05 if place and place.adm1_pcode else 0.0)
    if not counts.any() and taxonomy.describes(rule, sentence.text):
        confidence -= 0.2   # someone's record ("he coordinates suicide attacks"), likely no event of its own
    event = Event(
        event_type=rule.event_type, sub_event_type=rule.sub_event_type, evidence=sentence.text,
        evidence_start=sentence.start, evidence_end=sentence.end, event_date=event_date,
        time_precision=precision, actor1=actor1, actor2=actor2, fatalities=counts.killed,
        injured=counts.injured, detained=counts.detained, displaced=counts.displaced,
        displaced_unit=counts.displaced_unit, place=place, confidence=round(min(confidence, 0.99), 2))
    return event, counts.figures


def _context_date(sentences: list[Sentence], dates, index: int, published, news) -> tuple:
    """An undated sentence's date: the nearest dated sentence of its paragraph ("The operation took
    place yesterday" may come after), else the last date given before it (the lead's "yesterday"
    dates the details that follow), else the first exact day after it, else the publication date.
    ``dates(i)`` is sentence i's own date; dates older than the article's news are not inherited, and
    an article without a publication date lends none."""
    def usable(i: int) -> bool:
        return dates(i)[0] is not None and not _is_history(dates(i)[0], news)

    if published is None:
        return None, None   # without a publication date, a sentence is dated only by a full date of its own
    paragraph = sentences[index].paragraph
    for distance in range(1, 4):
        for other in (index - distance, index + distance):
            if 0 <= other < len(sentences) and sentences[other].paragraph == paragraph and usable(other):
                return dates(other)
    earlier = (dates(i) for i in range(index - 1, -1, -1) if usable(i))
    later = (dates(i) for i in range(index + 1, len(sentences)) if dates(i)[1] == 1 and usable(i))
    return next(earlier, None) or next(later, None) or (published, 2)


def _latest_date(n_sentences: int, dates) -> date | None:
    """The latest date the article gives: its news is of that time at the earliest."""
    return max((day for i in range(n_sentences) if (day := dates(i)[0]) is not None), default=None)


def _is_history(event_date: date | None, news: date | None) -> bool:
    """An event dated well before the article's news is background, not news."""
    return bool(event_date and news and (news - event_date).days > _RECENT_DAYS)


def _event_place(sentence: Sentence, inside: list[Place], places: list[Place], main_place: Place | None,
                 paragraph_start: int) -> Place | None:
    """Where the sentence's event happened: its own place, else the place its paragraph last named
    (a foreign one keeps the event abroad), else, for "the province", the last Afghan place named,
    else the article's main place.  ``inside``: the sentence's own event places."""
    afghan = [p for p in inside if p.in_afghanistan and p.adm1_pcode]
    if afghan:
        anchor = afghan[0]
        finer = [p for p in afghan if p.adm1_pcode == anchor.adm1_pcode and p.adm2_pcode]
        return finer[0] if finer else anchor
    if inside:   # only the country, or only foreign places: no Afghan unit
        return next((p for p in inside if p.in_afghanistan), inside[0])
    if any(p.role == "nationality" and sentence.start <= p.start < sentence.end for p in places):
        return None   # "Iranian police killed five": nothing places a foreign force's action in Afghanistan
    before = [p for p in places if paragraph_start <= p.start < sentence.start and p.role == "event"]
    if before and not before[-1].in_afghanistan:
        return before[-1]   # the paragraph is about a place abroad
    earlier = [p for p in places if p.start < sentence.start and p.in_afghanistan and p.adm1_pcode
               and p.role == "event"]
    anaphora = _ANAPHORA.search(sentence.text)
    if earlier and anaphora:
        previous = earlier[-1]
        if "province" in anaphora.group().lower() and previous.adm2_pcode:
            return province_of(previous)
        return previous
    return main_place


def _is_heading(sentence: Sentence) -> bool:
    return len(sentence.text) < 160 and not sentence.text.rstrip().endswith((".", "!", "?", '"', "”", "'"))


def _event_id(article_id: str, event: Event) -> str:
    key = f"{article_id}:{event.evidence_start}:{event.event_type}:{event.sub_event_type}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _merge_key(event: Event):
    place = event.place
    where = (place.adm2_pcode or place.adm1_pcode or place.location) if place else None
    return event.event_type, event.sub_event_type, where, event.event_date


def _drop_restated_figures(events: list[Event], figures: list[list[Figure]]) -> list[Event]:
    """Figures repeated for the same day and province count once.

    A phrase restates an earlier one when its figure equals an earlier phrase's or an earlier
    sentence's total ("detained several suspects ... the force detained several suspects for
    questioning"), unless its sentence says "additional" or the like; a precise figure refines an
    earlier vague one about the same people ("several suspects ... the five suspects were detained").
    """
    seen: dict[tuple, set] = {}
    vague: dict[tuple, tuple[Event, Figure]] = {}
    for event, phrases in zip(events, figures):
        where = event.place.adm1_pcode if event.place else None
        adds = bool(_ADDS_TO_PREVIOUS.search(event.evidence))
        kept: list[Figure] = []
        for figure in phrases:
            field = _FIELD[figure.category]
            head = (figure.category, figure.noun.split()[-1] if figure.noun else "", event.event_date)
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
            places = seen.get((figure.category, figure.value, event.event_date), set())
            if not adds and places and (where is None or where in places or None in places):
                _add_to(event, field, -figure.value)
                continue
            kept.append(figure)
            if figure.vague and head[1]:
                vague[head] = (event, figure)
        totals: dict[str, int] = {}
        for figure in kept:   # what this sentence added, as phrases and as totals
            seen.setdefault((figure.category, figure.value, event.event_date), set()).add(where)
            totals[figure.category] = totals.get(figure.category, 0) + figure.value
        for category, total in totals.items():
            seen.setdefault((category, total, event.event_date), set()).add(where)
    return events


def _add_to(event: Event, field: str, delta: int) -> None:
    """Change a count of ``event``; a count that falls to 0 becomes unknown (None), as never reported."""
    setattr(event, field, (getattr(event, field) or 0) + delta or None)


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
