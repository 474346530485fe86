"""Load -> extract -> store, for paths, URLs and uploaded files; processes for large batches."""
from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from events.extract import extract_events
from events.load import LoadError, LoadResult, load_bytes, load_path, load_url
from events.model import Article, Event
from events.store import EventStore
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


def ingest_paths(paths, store: EventStore, data_dir=None, workers: int = 1, progress: bool = False) -> IngestSummary:
    """Ingest files, folders and http(s) URLs into ``store``."""
    loaded = LoadResult()
    for item in paths:
        item = str(item)
        loaded.extend(load_url(item) if item.startswith(("http://", "https://")) else load_path(Path(item)))
    return ingest_loaded(loaded, store, data_dir, workers, progress)


def ingest_uploads(files: list[tuple[str, bytes]], store: EventStore, data_dir=None) -> IngestSummary:
    """Ingest uploaded files given as (file name, content)."""
    loaded = LoadResult()
    for name, data in files:
        try:
            loaded.extend(load_bytes(name, data))
        except (LoadError, ValueError) as exc:
            loaded.errors.append((name, str(exc)))
    return ingest_loaded(loaded, store, data_dir)


def ingest_loaded(loaded: LoadResult, store: EventStore, data_dir=None, workers: int = 1,
                  progress: bool = False) -> IngestSummary:
    """Extract events from loaded articles and store them in one transaction."""
    unique = list({a.id: a for a in loaded.articles}.values())
    batch = extract_all(unique, data_dir, workers, progress)
    stats = store.ingest(batch)
    return IngestSummary(read=len(loaded.articles), new=stats.articles_new,
                         duplicate=len(loaded.articles) - stats.articles_new, skipped=loaded.errors,
                         events_stored=stats.events_new, events_merged=stats.events_merged)


def extract_all(articles: list[Article], data_dir=None, workers: int = 1,
                progress: bool = False) -> list[tuple[Article, list[Event]]]:
    """(article, events) for every article; ``workers`` > 1 uses that many processes."""
    bar = tqdm(total=len(articles), unit="article", disable=not progress)
    results = []
    if workers <= 1 or len(articles) < 2 * _CHUNK:
        geocoder = Geocoder.from_config(data_dir)
        for article in articles:
            results.append((article, extract_events(article, geocoder)))
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


def _init_worker(data_dir) -> None:
    global _worker_geocoder
    _worker_geocoder = Geocoder.from_config(data_dir)


def _extract_chunk(chunk: list[Article]) -> list[list[Event]]:
    return [extract_events(article, _worker_geocoder) for article in chunk]
