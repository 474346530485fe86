"""What an ingest keeps: events placed in Afghanistan, at any level."""
from __future__ import annotations

from sqlalchemy import select

from events.pipeline import ingest_paths
from events.store import EventStore, events


def test_only_events_placed_in_afghanistan_are_stored(shared_data, tmp_path, db_url):
    (tmp_path / "a.txt").write_text(
        "Insurgents killed four policemen in Kunduz province on Monday, officials said on Tuesday.\n\n"
        "In Baghdad, gunmen killed eleven people at a market on Monday.\n\n"
        "Separately, a bomb killed two soldiers in Afghanistan on Monday.\n\n"
        "Elsewhere, unknown attackers killed three people on Monday.\n", encoding="utf-8")
    store = EventStore(db_url)
    ingest_paths([tmp_path / "a.txt"], store, shared_data)
    with store.engine.connect() as conn:
        rows = conn.execute(select(events.c.fatalities, events.c.country_iso3, events.c.adm1_pcode)).all()
    assert sorted(map(tuple, rows), key=str) == sorted([(4, "AFG", "AF19"), (2, "AFG", None)], key=str)
