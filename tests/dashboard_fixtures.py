"""A small known event store for the dashboard tests."""
from __future__ import annotations

from datetime import date, datetime

from events.model import Article, Event, article_id
from events.store import EventStore
from geo.place import Place
from geo.units import AdminUnit

# (day, type, sub-type, province pcode/name, district pcode/name, lat, lon, evidence)
ROWS = [
    (date(2021, 8, 26), "Explosions/Remote violence", "Suicide bomb", "AF01", "Kabul", "AF0101", "Kabul",
     34.52, 69.18, "A suicide bomber struck crowds at the airport gate <script>alert(1)</script>."),
    (date(2021, 8, 10), "Battles", "Armed clash", "AF19", "Kunduz", "AF1901", "Kunduz", 36.73, 68.86,
     "Taliban fighters clashed with Afghan forces in Kunduz city."),
    (date(2021, 7, 5), "Battles", "Armed clash", "AF19", "Kunduz", "AF1905", "Imam Sahib", 37.15, 68.92,
     "Fighting was reported in Imam Sahib district <img src=x onerror=alert(2)>."),
    (date(2021, 6, 1), "Strategic developments", "Arrests", "AF32", "Hirat", "AF3201", "Hirat", 34.35, 62.2,
     "=HYPERLINK(\"http://evil\") Police arrested three suspects in Herat city."),
    (date(2021, 3, 15), "Protests", "Peaceful protest", "AF30", "Hilmand", "AF3001", "Lashkargah",
     31.59, 64.37, "Residents protested in Lashkar Gah."),
]


def fill_store(url: str) -> EventStore:
    """Store ROWS (one article and one event each) at ``url``."""
    store = EventStore(url)
    batch = []
    for i, (day, kind, sub, p1, n1, p2, n2, lat, lon, evidence) in enumerate(ROWS):
        text = f"{evidence} Report number {i}."
        article = Article(id=article_id(text), text=text, title=f"Report {i}", source="Test Wire",
                          url=f"https://example.org/{i}",
                          published=datetime.combine(day, datetime.min.time()))
        place = Place(text=n2, start=0, end=1, location=n2, unit=AdminUnit("AFG", p1, n1, p2, n2),
                      geo_precision=3, latitude=lat, longitude=lon)
        event = Event(event_type=kind, sub_event_type=sub, evidence=evidence, evidence_start=0,
                      evidence_end=len(evidence), event_date=day, time_precision=1, actor1="Taliban",
                      place=place, confidence=0.8, article_id=article.id, extractor_version="test",
                      event_id=f"ev{i}", fatalities=i)
        batch.append((article, [event]))
    store.ingest(batch)
    return store
