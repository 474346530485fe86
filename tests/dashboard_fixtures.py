"""Small known event stores for the dashboard and query tests, written straight into the store's tables
(no extraction, no merging of similar events)."""
from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert

from events.store import EventStore, articles, event_sources, events

ROOT = Path(__file__).resolve().parent.parent


def app_without_static(folder: Path) -> Path:
    """A copy of the program in ``folder`` with an empty static/ (the rest linked): dashboard.py is copied,
    as the page finds static/ next to its own file.  Returns ``folder``."""
    (folder / "static").mkdir(parents=True)
    shutil.copy(ROOT / "dashboard.py", folder / "dashboard.py")
    for item in ROOT.iterdir():
        if item.name not in ("dashboard.py", "static", ".git", ".venv"):
            (folder / item.name).symlink_to(item)
    return folder


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
# NOT NULL columns a test row may leave out
DEFAULTS = {"sub_event_type": "", "actor1": "", "actor2": "", "country_iso3": "AFG", "displaced_unit": "",
            "evidence": "", "evidence_start": 0, "evidence_end": 0, "confidence": 0.8,
            "extractor_version": "test", "notes": ""}


def store_rows(url: str, rows: list[dict], titles: dict[str, str] | None = None) -> EventStore:
    """Store ``rows`` (event columns by name; ``event_id`` required) at ``url``, one article each, titled
    by ``titles`` (event id -> title) or "Report N"."""
    store = EventStore(url)
    titles = titles or {}
    now = datetime(2026, 1, 1)
    full = [{c.name: row.get(c.name, DEFAULTS.get(c.name)) for c in events.columns}
            | {"article_id": f"article-{row['event_id']}"} for row in rows]
    with store.engine.begin() as conn:
        conn.execute(insert(articles), [dict(
            id=row["article_id"], title=titles.get(row["event_id"], f"Report {i}"), source="Test Wire",
            url=f"https://example.org/{i}", published=None, origin="test", text="test", ingested_at=now)
            for i, row in enumerate(full)])
        conn.execute(insert(events), full)
        conn.execute(insert(event_sources), [dict(event_id=r["event_id"], article_id=r["article_id"],
                                                  evidence=r["evidence"]) for r in full])
    return store


def fill_store(url: str) -> EventStore:
    """Store ROWS (ids ev0..ev4, fatalities 0..4, actor1 Taliban, precision 3) at ``url``."""
    return store_rows(url, [dict(
        event_id=f"ev{i}", event_date=day, time_precision=1, event_type=kind, sub_event_type=sub,
        actor1="Taliban", adm1_pcode=p1, admin1=n1, adm2_pcode=p2, admin2=n2, location=n2, latitude=lat,
        longitude=lon, geo_precision=3, fatalities=i, evidence=evidence, evidence_end=len(evidence))
        for i, (day, kind, sub, p1, n1, p2, n2, lat, lon, evidence) in enumerate(ROWS)])
