"""Load -> extract -> store, for paths, URLs and uploaded files.

Inputs are loaded in chunks of about ``events.load.CHUNK_CHARS`` of text; each chunk is extracted
and stored (one transaction), with at most the next chunk in extraction and one more being read
meanwhile, so memory does not grow with the input.
Articles already stored are skipped before extraction, so an ingest that was killed and is run
again stores each article once and finishes the rest.  Extraction runs where ``events.extractors``
puts it (this process, local worker processes kept for the whole ingest, or a Dask cluster).
An article whose extraction fails is reported and not stored; the rest of its chunk is.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from events.extractors import Extractor, Found, open_extractor
from events.load import CHUNK_CHARS, LoadError, LoadResult, check_size, iter_path, load_bytes, load_url
from events.model import Article
from events.progress import IngestProgress, estimate_articles
from events.readahead import read_ahead
from events.store import EventStore
from events.where import stored

log = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    """What an ingest did: articles read/new/duplicate, inputs skipped with reasons, events stored."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    events_stored: int = 0
    events_merged: int = 0

    def __str__(self) -> str:
        return (f"articles read {self.read}, new {self.new}, duplicate {self.duplicate}, "
                f"skipped {len(self.skipped)}; events stored {self.events_stored}"
                f" (+{self.events_merged} already known from other reports)")

    def add(self, other: "IngestSummary") -> None:
        """Count another chunk's ingest in this one."""
        self.read += other.read
        self.new += other.new
        self.duplicate += other.duplicate
        self.skipped.extend(other.skipped)
        self.events_stored += other.events_stored
        self.events_merged += other.events_merged


def ingest_paths(paths, store: EventStore, data_dir=None, workers: int = 1, progress: bool = False,
                 scheduler: str | None = None) -> IngestSummary:
    """Ingest files, folders and http(s) URLs into ``store``; extraction on the Dask cluster at
    ``scheduler`` when given, else in ``workers`` local processes."""
    paths = [str(item) for item in paths]
    bar = IngestProgress(estimate_articles(paths) if progress else None, enabled=progress)
    try:
        with open_extractor(data_dir, workers, scheduler) as extractor:
            chunks = _load_inputs(paths)
            if workers > 1 or scheduler:   # extraction elsewhere: read the next chunk meanwhile
                chunks = read_ahead(chunks)
            return ingest_chunks(chunks, store, extractor, bar)
    finally:
        bar.close()


def ingest_uploads(files: list[tuple[str, bytes]], store: EventStore, data_dir=None) -> IngestSummary:
    """Ingest uploaded files given as (file name, content); the size limits are the command line's."""
    loaded = LoadResult()
    for name, data in files:
        try:
            check_size(name, len(data))
            loaded.extend(load_bytes(name, data))
        except LoadError as exc:
            loaded.skip(name, str(exc))
        except Exception as exc:   # a parser's own failure on a strange file: this file only, logged
            log.warning("reading an upload failed", exc_info=True)
            loaded.skip(name, f"unreadable ({exc.__class__.__name__}: {exc})")
    with open_extractor(data_dir) as extractor:
        return ingest_loaded(loaded, store, extractor)


def ingest_chunks(chunks: Iterable[LoadResult], store: EventStore, extractor: Extractor,
                  progress: IngestProgress | None = None) -> IngestSummary:
    """Ingest loaded chunks, gathered up to ``CHUNK_CHARS`` of text per extraction and transaction.
    Each chunk's extraction is started before the previous chunk is stored, so workers elsewhere
    (a pool, a cluster) extract while this process writes."""
    summary = IngestSummary()
    running: _Started | None = None
    for loaded in _gathered(chunks):
        started = _start(loaded, store, extractor, progress)
        if running is not None:
            summary.add(_finish(running, store, progress))
        running = started
    if running is not None:
        summary.add(_finish(running, store, progress))
    return summary


def ingest_loaded(loaded: LoadResult, store: EventStore, extractor: Extractor,
                  progress: IngestProgress | None = None) -> IngestSummary:
    """Extract events from loaded articles not stored yet and store them in one transaction."""
    return _finish(_start(loaded, store, extractor, progress), store, progress)


@dataclass
class _Started:
    """A chunk whose extraction is under way: what it read, and its results as they come."""

    loaded: LoadResult
    summary: IngestSummary
    results: Iterator[tuple[Article, Found]]


def _gathered(chunks: Iterable[LoadResult]) -> Iterator[LoadResult]:
    """The chunks joined up to ``CHUNK_CHARS`` of text each; the last one even when empty."""
    pending = LoadResult()
    for chunk in chunks:
        pending.extend(chunk)
        if pending.chars >= CHUNK_CHARS:
            yield pending
            pending = LoadResult()
    yield pending


def _start(loaded: LoadResult, store: EventStore, extractor: Extractor,
           progress: IngestProgress | None) -> _Started:
    """Skip the articles already stored and send the rest to extraction."""
    unique = list({a.id: a for a in loaded.articles}.values())
    summary = IngestSummary(read=len(loaded.articles), skipped=list(loaded.errors))
    stored_before = store.stored_articles([a.id for a in unique]) if unique else set()
    todo = [a for a in unique if a.id not in stored_before]
    if progress:
        progress.articles_done(len(loaded.articles) - len(todo) + len(loaded.errors))   # stored or unreadable
    return _Started(loaded, summary, extractor.map(todo))


def _finish(started: _Started, store: EventStore, progress: IngestProgress | None) -> IngestSummary:
    """Collect a chunk's extraction results and store them in one transaction."""
    summary, batch = started.summary, []
    for article, found in started.results:
        if isinstance(found, str):
            summary.skipped.append((article.origin or article.id, found))
            summary.read -= sum(a.id == article.id for a in started.loaded.articles)
        else:
            batch.append((article, [event for event in found if stored(event.place)]))
        if progress:
            progress.articles_done()
    stats = store.ingest(batch)
    summary.new, summary.duplicate = stats.articles_new, summary.read - stats.articles_new
    summary.events_stored, summary.events_merged = stats.events_new, stats.events_merged
    if progress:
        progress.events_stored(stats.events_new)
    return summary


def extract_all(articles: list[Article], data_dir=None, workers: int = 1) -> list[tuple[Article, Found]]:
    """(article, events) for every article -- (article, reason) when its extraction failed;
    ``workers`` > 1 uses that many processes."""
    with open_extractor(data_dir, workers) as extractor:
        return list(extractor.map(articles))


def _load_inputs(paths) -> Iterator[LoadResult]:
    for item in paths:
        item = str(item)
        if item.startswith(("http://", "https://")):
            yield load_url(item)
        else:
            yield from iter_path(Path(item))
