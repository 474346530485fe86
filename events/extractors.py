"""Where extraction runs: in this process, in a pool of local processes, or on a Dask cluster.

An extractor is opened once per ingest (``open_extractor``) and used for every chunk, so the
gazetteer is loaded once per process for the whole run, not once per chunk.  ``map`` gives
(article, events) -- or (article, reason) when that article's extraction failed -- in the order
of the articles given, so every backend stores the same events.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol

from events.extract import extract_events
from events.model import Article, Event
from geo.geocode import Geocoder

log = logging.getLogger(__name__)
BATCH = 64                    # articles per task sent to another process
SCHEDULER_ENV = "EVENTMAP_SCHEDULER"   # a Dask scheduler's address (tcp://HOST:PORT) for ingest
Found = list[Event] | str     # an article's events, or why its extraction failed
_worker_geocoder: Geocoder | None = None


class Extractor(Protocol):
    """Extraction backend; a context manager that releases its processes or connection."""

    def map(self, articles: list[Article]) -> Iterator[tuple[Article, Found]]:
        """(article, events or reason) in the order given; a backend that extracts elsewhere starts
        the work when called, before its results are read."""
        ...

    def __enter__(self) -> "Extractor": ...

    def __exit__(self, *exc) -> None: ...


def open_extractor(data_dir=None, workers: int = 1, scheduler: str | None = None) -> Extractor:
    """The extractor for an ingest: the Dask cluster at ``scheduler`` when given, else ``workers``
    local processes (this process alone for 1)."""
    if scheduler:
        from events.cluster import DaskExtractor  # dask is imported only when a cluster is used
        return DaskExtractor(scheduler, data_dir)
    if workers > 1:
        return ProcessPoolExtractor(data_dir, workers)
    return InProcessExtractor(data_dir)


def extract_one(article: Article, geocoder: Geocoder) -> Found:
    """The article's events, or why extraction failed (logged with its traceback)."""
    try:
        return extract_events(article, geocoder)
    except Exception as exc:
        log.warning("extracting events from %s failed", article.origin or article.id, exc_info=True)
        return f"event extraction failed ({exc.__class__.__name__}: {exc})"


def extract_batch(articles: list[Article], geocoder: Geocoder) -> list[Found]:
    """``extract_one`` for each article."""
    return [extract_one(article, geocoder) for article in articles]


def batches(articles: list[Article], size: int = BATCH) -> list[list[Article]]:
    """The articles in consecutive tasks of ``size``."""
    return [articles[i:i + size] for i in range(0, len(articles), size)]


class InProcessExtractor:
    """Extraction in this process, with one geocoder for the whole ingest (loaded when first needed)."""

    def __init__(self, data_dir=None):
        self.data_dir = data_dir
        self.geocoder: Geocoder | None = None

    def map(self, articles: list[Article]) -> Iterator[tuple[Article, Found]]:
        if not articles:
            return
        if self.geocoder is None:
            self.geocoder = Geocoder.from_config(self.data_dir)
        for article in articles:
            yield article, extract_one(article, self.geocoder)

    def __enter__(self) -> "InProcessExtractor":
        return self

    def __exit__(self, *exc) -> None:
        pass


class ProcessPoolExtractor:
    """``workers`` local processes, started when first needed and kept for the whole ingest; each loads
    the gazetteer once."""

    def __init__(self, data_dir=None, workers: int = 2):
        self.data_dir, self.workers = data_dir, workers
        self.pool: ProcessPoolExecutor | None = None

    def map(self, articles: list[Article]) -> Iterator[tuple[Article, Found]]:
        if not articles:
            return iter(())
        if self.pool is None:
            Geocoder.from_config(self.data_dir)   # build the cached gazetteer before the workers load it
            self.pool = ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=(self.data_dir,))
        tasks = batches(articles)
        return _in_order(tasks, self.pool.map(_extract_in_worker, tasks))   # submitted here

    def __enter__(self) -> "ProcessPoolExtractor":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _in_order(tasks: list[list[Article]], results: Iterable[list[Found]]) -> Iterator[tuple[Article, Found]]:
    """(article, found) of each task's articles as the task results arrive."""
    for batch, found in zip(tasks, results, strict=True):
        yield from zip(batch, found, strict=True)


def _init_worker(data_dir) -> None:
    global _worker_geocoder
    _worker_geocoder = Geocoder.from_config(data_dir)


def _extract_in_worker(articles: list[Article]) -> list[Found]:
    assert _worker_geocoder is not None, "the pool's initializer sets the geocoder"
    return extract_batch(articles, _worker_geocoder)
