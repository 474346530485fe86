"""Load -> extract -> store, for paths, URLs and uploaded files; processes for large batches.

Inputs are loaded in chunks of about ``events.load.CHUNK_CHARS`` of text; each chunk is extracted
and stored (one transaction) before the next is read, so memory does not grow with the input.
An article whose extraction fails is reported and not stored; the rest of its chunk is.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from events.extract import extract_events
from events.load import CHUNK_CHARS, LoadError, LoadResult, check_size, iter_path, load_bytes, load_url
from events.model import Article, Event
from events.store import EventStore
from events.where import stored
from geo.geocode import Geocoder

log = logging.getLogger(__name__)
_CHUNK = 64
_worker_geocoder: Geocoder | None = None


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


def ingest_paths(paths, store: EventStore, data_dir=None, workers: int = 1, progress: bool = False) -> IngestSummary:
    """Ingest files, folders and http(s) URLs into ``store``."""
    return ingest_chunks(_load_inputs(paths), store, data_dir, workers, progress)


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
    return ingest_loaded(loaded, store, data_dir)


def ingest_chunks(chunks: Iterable[LoadResult], store: EventStore, data_dir=None, workers: int = 1,
                  progress: bool = False) -> IngestSummary:
    """Ingest loaded chunks, gathered up to ``CHUNK_CHARS`` of text per extraction and transaction."""
    summary, pending = IngestSummary(), LoadResult()
    for chunk in chunks:
        pending.extend(chunk)
        if pending.chars >= CHUNK_CHARS:
            summary.add(ingest_loaded(pending, store, data_dir, workers, progress))
            pending = LoadResult()
    summary.add(ingest_loaded(pending, store, data_dir, workers, progress))
    return summary


def ingest_loaded(loaded: LoadResult, store: EventStore, data_dir=None, workers: int = 1,
                  progress: bool = False) -> IngestSummary:
    """Extract events from loaded articles and store them in one transaction."""
    unique = list({a.id: a for a in loaded.articles}.values())
    summary = IngestSummary(read=len(loaded.articles), skipped=list(loaded.errors))
    if not unique:
        return summary
    batch = []
    for article, found in extract_all(unique, data_dir, workers, progress):
        if isinstance(found, str):
            summary.skipped.append((article.origin or article.id, found))
            summary.read -= sum(a.id == article.id for a in loaded.articles)
        else:
            batch.append((article, [event for event in found if stored(event.place)]))
    stats = store.ingest(batch)
    summary.new, summary.duplicate = stats.articles_new, summary.read - stats.articles_new
    summary.events_stored, summary.events_merged = stats.events_new, stats.events_merged
    return summary


def extract_all(articles: list[Article], data_dir=None, workers: int = 1,
                progress: bool = False) -> list[tuple[Article, list[Event] | str]]:
    """(article, events) for every article -- (article, reason) when its extraction failed;
    ``workers`` > 1 uses that many processes."""
    bar = tqdm(total=len(articles), unit="article", disable=not progress)
    results = []
    if workers <= 1 or len(articles) < 2 * _CHUNK:
        geocoder = Geocoder.from_config(data_dir)
        for article in articles:
            results.append((article, _extract_one(article, geocoder)))
            bar.update()
    else:
        Geocoder.from_config(data_dir)   # build the cached gazetteer once, before the workers load it
        chunks = [articles[i:i + _CHUNK] for i in range(0, len(articles), _CHUNK)]
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(data_dir,)) as pool:
            for chunk, found in zip(chunks, pool.map(_extract_chunk, chunks)):
                results.extend(zip(chunk, found))
                bar.update(len(chunk))
    bar.close()
    return results


def _load_inputs(paths) -> Iterator[LoadResult]:
    for item in paths:
        item = str(item)
        if item.startswith(("http://", "https://")):
            yield load_url(item)
        else:
            yield from iter_path(Path(item))


def _extract_one(article: Article, geocoder: Geocoder) -> list[Event] | str:
    """The article's events, or why extraction failed (logged with its traceback)."""
    try:
        return extract_events(article, geocoder)
    except Exception as exc:
        log.warning("extracting events from %s failed", article.origin or article.id, exc_info=True)
        return f"event extraction failed ({exc.__class__.__name__}: {exc})"


def _init_worker(data_dir) -> None:
    global _worker_geocoder
    _worker_geocoder = Geocoder.from_config(data_dir)


def _extract_chunk(chunk: list[Article]) -> list[list[Event] | str]:
    return [_extract_one(article, _worker_geocoder) for article in chunk]
