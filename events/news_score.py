"""Score what an ingest stores for news articles labelled event by event (eval/NEWS_GUIDE.md).

The articles are ingested exactly as ``python -m events ingest`` would ingest a JSONL batch (same
loading, extraction and cross-article deduplication) into a throwaway SQLite store, and the stored
rows are compared with the labels:

* labelled pairs: (article, province) of events in Afghanistan that are news of the article's time;
  pairs of events marked unsure count as right when stored but are not required;
* ``pair_precision`` / ``pair_recall``: over distinct (article, province) pairs, an event counting for
  every article the store lists as reporting it;
* ``row_precision``: stored events with a province whose pair is labelled, over all stored events with
  a province (what the map shows);
* ``false_alarm_rate``: articles without a current Afghan event that still get an event with a
  province, over all such articles;
* ``unplaced_share``: stored events without a province, over all stored events.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from sqlalchemy import select

from events.pipeline import ingest_paths
from events.store import EventStore, articles, event_sources, events
from geo.boundaries import province_pcode

Pair = tuple[str, str]


def labelled_pairs(lines: list[dict]) -> tuple[set[Pair], set[Pair], set[str]]:
    """(required pairs, accepted pairs, ids of articles with no current Afghan event)."""
    required, accepted, quiet = set(), set(), set()
    for line in lines:
        current = False
        for event in line["gold"]["events"]:
            if not event.get("in_afghanistan"):
                continue
            current = current or bool(event.get("current"))
            pcode = province_pcode(event["adm1"]) if event.get("adm1") else None
            if pcode is None:
                continue
            if event.get("unsure"):
                accepted.add((line["id"], pcode))
            elif event.get("current"):
                required.add((line["id"], pcode))
        if not current:
            quiet.add(line["id"])
    return required, accepted | required, quiet


def stored_rows(lines: list[dict], data_dir=None) -> tuple[list[tuple[str, str | None]], set[Pair]]:
    """Ingest the articles; (gold id, province pcode) of every stored event, and the stored pairs of
    every article reporting an event."""
    with tempfile.TemporaryDirectory() as folder:
        batch = Path(folder) / "news.jsonl"
        with batch.open("w", encoding="utf-8") as handle:
            for line in lines:
                record = {"title": line.get("title", ""), "url": _url(line), "text": line["text"]}
                handle.write(json.dumps(record) + "\n")
        store = EventStore(f"sqlite:///{Path(folder) / 'news.db'}")
        ingest_paths([batch], store, data_dir)
        by_url = {_url(line): line["id"] for line in lines}
        with store.engine.connect() as conn:
            ids: dict[str, str] = {row.id: by_url.get(row.url, row.url)
                                   for row in conn.execute(select(articles.c.id, articles.c.url))}
            rows = [(ids[row.article_id], row.adm1_pcode)
                    for row in conn.execute(select(events.c.article_id, events.c.adm1_pcode))]
            pairs = {(ids[row.article_id], row.adm1_pcode) for row in conn.execute(
                select(event_sources.c.article_id, events.c.adm1_pcode)
                .join(events, events.c.event_id == event_sources.c.event_id)
                .where(events.c.adm1_pcode.is_not(None)))}
        store.engine.dispose()
    return rows, pairs


def score_news(lines: list[dict], data_dir=None) -> dict[str, float | None]:
    """The five news measures (see module docstring)."""
    required, accepted, quiet = labelled_pairs(lines)
    rows, pairs = stored_rows(lines, data_dir)
    placed = [row for row in rows if row[1]]
    flagged = {article for article, _ in pairs}
    return {
        "pair_precision": ratio(len(pairs & accepted), len(pairs)),
        "pair_recall": ratio(len(pairs & required), len(required)),
        "row_precision": ratio(sum(row in accepted for row in placed), len(placed)),
        "false_alarm_rate": ratio(len(quiet & flagged), len(quiet)),
        "unplaced_share": ratio(len(rows) - len(placed), len(rows)),
    }


def _url(line: dict) -> str:
    return line.get("url") or f"urn:eval:{line['id']}"


def ratio(a: int, b: int) -> float | None:
    """``a / b`` rounded to four places, or None when there is nothing to divide by."""
    return round(a / b, 4) if b else None
