"""Streaming ingest at scale: stored articles skipped before extraction, a killed ingest resumed,
progress, and local worker processes kept for the whole ingest."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

import config
import events.extractors as extractors
from events import load, pipeline
from events.extractors import InProcessExtractor, ProcessPoolExtractor
from events.pipeline import ingest_chunks, ingest_paths
from events.progress import estimate_articles
from events.readahead import read_ahead
from events.store import EventStore, articles, event_sources, events

CORPUS = "articles/tehrantimes-afghanistan/articles.jsonl"
SMALL_CHUNK = 20_000   # characters: a few articles per chunk, so a small batch spans many chunks


def write_batch(shared_data: Path, out: Path, lines: int, copies: int = 1) -> int:
    """A JSONL of the corpus's first ``lines`` articles, ``copies`` times with a changed text each time."""
    source = (shared_data / CORPUS).read_text(encoding="utf-8").splitlines()[:lines]
    with out.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            for line in source:
                record = json.loads(line)
                record["id"] = f"{record.get('id')}-{copy}"
                record["text"] = f"{record['text']}\n\n(copy {copy})"
                handle.write(json.dumps(record) + "\n")
    return lines * copies


def stored_rows(store: EventStore) -> tuple[list, list, list]:
    """Every stored event (all fields), event source and article id, sorted."""
    with store.engine.connect() as conn:
        return (sorted(map(tuple, conn.execute(select(events)).all()), key=str),
                sorted(map(tuple, conn.execute(select(event_sources)).all())),
                sorted(conn.scalars(select(articles.c.id))))


class Recording(InProcessExtractor):
    """Extraction in this process that remembers which articles it was given."""

    def __init__(self, data_dir):
        super().__init__(data_dir)
        self.seen: list[str] = []

    def map(self, batch):
        self.seen.extend(article.id for article in batch)
        return super().map(batch)


@pytest.fixture()
def small_chunks(monkeypatch):
    monkeypatch.setattr(load, "CHUNK_CHARS", SMALL_CHUNK)
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", SMALL_CHUNK)


def test_stored_articles_are_not_extracted_again(shared_data, tmp_path, db_url, small_chunks):
    batch = tmp_path / "batch.jsonl"
    write_batch(shared_data, batch, 40)
    head = tmp_path / "head.jsonl"
    lines = batch.read_text(encoding="utf-8").splitlines(keepends=True)
    head.write_text("".join(lines[:15]), encoding="utf-8")
    store = EventStore(db_url)
    with Recording(shared_data) as first:
        ingest_chunks(pipeline._load_inputs([head]), store, first)
    with Recording(shared_data) as second:
        summary = ingest_chunks(pipeline._load_inputs([batch]), store, second)
    assert len(first.seen) == 15 and len(second.seen) == 25
    assert not set(first.seen) & set(second.seen)
    assert (summary.read, summary.new, summary.duplicate) == (40, 25, 15)
    with Recording(shared_data) as third:
        ingest_chunks(pipeline._load_inputs([batch]), store, third)
    assert third.seen == []
    whole = EventStore(f"sqlite:///{tmp_path / 'whole.db'}")
    ingest_paths([batch], whole, shared_data)
    assert stored_rows(store)[:2] == stored_rows(whole)[:2]


def test_a_killed_ingest_run_again_stores_each_article_once(shared_data, tmp_path):
    batch = tmp_path / "batch.jsonl"
    total = write_batch(shared_data, batch, 300, copies=2)
    db = tmp_path / "killed.db"
    run = "from events.cli import main\nsys.exit(main(sys.argv[1:]))"
    small = f"import sys, events.load, events.pipeline\n" \
            f"events.load.CHUNK_CHARS = events.pipeline.CHUNK_CHARS = {SMALL_CHUNK}\n"
    arguments = ["ingest", str(batch), "--db", f"sqlite:///{db}", "--data-dir", str(shared_data)]
    command = [sys.executable, "-c", small + run] + arguments
    child = subprocess.Popen(command, cwd=config.REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and child.poll() is None and _count(db, "articles") < 20:
            time.sleep(0.05)
        assert child.poll() is None, f"the ingest ended before it could be killed: {child.stderr.read()!r}"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    partial = _count(db, "articles")
    assert 20 <= partial < total
    done = subprocess.run([sys.executable, "-c", "import sys\n" + run] + arguments, cwd=config.REPO_ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    whole = EventStore(f"sqlite:///{tmp_path / 'whole.db'}")
    once = ingest_paths([batch], whole, shared_data)   # the corpus repeats a few articles itself
    unique = once.new
    again = f"articles read {once.read}, new {unique - partial}, duplicate {once.duplicate + partial}"
    assert again in done.stdout
    resumed, expected = stored_rows(EventStore(f"sqlite:///{db}")), stored_rows(whole)
    assert resumed[2] == expected[2] and len(resumed[2]) == unique
    assert [row[0] for row in resumed[0]] == [row[0] for row in expected[0]]


def _count(db: Path, table: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError:   # the tables are not created yet, or a write holds the lock
        return 0


def test_worker_processes_start_once_for_all_chunks(shared_data, tmp_path, db_url, small_chunks, monkeypatch):
    batch = tmp_path / "batch.jsonl"
    write_batch(shared_data, batch, 60)
    starts = tmp_path / "starts.txt"
    original = extractors._init_worker

    def counted(data_dir):   # the workers are forked: they run this replacement
        with starts.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        original(data_dir)

    monkeypatch.setattr(extractors, "_init_worker", counted)
    store = EventStore(db_url)
    with ProcessPoolExtractor(shared_data, workers=2) as pool:
        summary = ingest_chunks(pipeline._load_inputs([batch]), store, pool)
    assert summary.new == 60
    assert len(starts.read_text().split()) == 2   # not two per chunk
    local = EventStore(f"sqlite:///{tmp_path / 'local.db'}")
    ingest_paths([batch], local, shared_data)
    assert stored_rows(store)[:2] == stored_rows(local)[:2]


def test_progress_counts_articles_and_events(shared_data, tmp_path, db_url, capsys):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    batch = inputs / "batch.jsonl"
    write_batch(shared_data, batch, 30)
    with batch.open("a") as handle:
        handle.write("not JSON\n")
    (inputs / "note.txt").write_text("Police detained three suspects in Herat province on Monday.")
    (inputs / ".hidden.txt").write_text("not read")
    assert estimate_articles([inputs, "https://example.org/a"]) == 33
    summary = ingest_paths([inputs], EventStore(db_url), shared_data, progress=True)
    shown = capsys.readouterr().err
    assert (summary.read, len(summary.skipped)) == (31, 1)
    assert "32/32 articles" in shown   # the line that could not be read is done too
    assert f"{summary.events_stored} events stored" in shown and "article/s" in shown


def test_read_ahead_keeps_order_bounds_memory_and_passes_errors_on():
    produced = []

    def numbers(fail_at=None):
        for n in range(6):
            if n == fail_at:
                raise ValueError("broken input")
            produced.append(n)
            yield n

    got = []
    for n in read_ahead(numbers(), depth=1):
        time.sleep(0.05)
        assert len(produced) <= n + 3   # the one handed out, one waiting, one being put
        got.append(n)
    assert got == list(range(6))
    with pytest.raises(ValueError, match="broken input"):
        list(read_ahead(numbers(fail_at=3)))
    produced.clear()
    for _ in read_ahead(numbers()):
        break
    time.sleep(0.1)
    assert len(produced) <= 3   # a consumer that stops early stops the producer


def test_the_next_chunk_is_sent_to_extraction_before_the_previous_one_is_stored(shared_data, tmp_path,
                                                                                 db_url, small_chunks):
    batch = tmp_path / "batch.jsonl"
    write_batch(shared_data, batch, 30)
    calls: list[str] = []

    class Logged(InProcessExtractor):
        def map(self, batch):
            calls.append("extract")
            return super().map(batch)

    class LoggedStore(EventStore):
        def ingest(self, batch):
            calls.append("store")
            return super().ingest(batch)

    with Logged(shared_data) as extractor:
        summary = ingest_chunks(pipeline._load_inputs([batch]), LoggedStore(db_url), extractor)
    chunks = calls.count("store")
    assert summary.new == 30 and chunks > 2
    # every chunk but the first is sent to extraction before the one before it is stored
    assert calls == ["extract"] + ["extract", "store"] * (chunks - 1) + ["store"]
