"""Extraction on a running Dask cluster (``python -m events ingest ... --scheduler tcp://HOST:PORT``).

The gazetteer travels to each worker once, inside a worker plugin (also to workers that join
later), keyed by a digest of its content; each worker thread builds its own geocoder on it.  Tasks
carry only articles, scattered to the workers as data.  Results come back to this process in the
order the articles were given and are stored here, chunk by chunk, like a local run's -- so the
store gets the same events.  The scheduler and workers need this project's code on their
PYTHONPATH (and its packages), not its data folder.
"""
from __future__ import annotations

import hashlib
import pickle
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from distributed import Client
from distributed.diagnostics.plugin import WorkerPlugin

from events.extractors import Found, batches, extract_batch
from events.model import Article
from geo.gazetteer import Gazetteer
from geo.geocode import Geocoder

CONNECT_SECONDS = 20
_gazetteers: dict[str, Gazetteer] = {}   # on a worker: the gazetteers its plugins brought, by digest
_local = threading.local()               # on a worker thread: its geocoder per gazetteer digest


class ClusterError(ConnectionError):
    """The Dask cluster cannot be reached or cannot run extraction; the one-line message says why."""


class GazetteerPlugin(WorkerPlugin):
    """Puts one gazetteer on every worker of the cluster when registered (and on each new worker)."""

    idempotent = True   # registered again under the same digest: nothing is sent

    def __init__(self, gazetteer: Gazetteer, digest: str):
        self.gazetteer, self.digest = gazetteer, digest

    def setup(self, worker) -> None:
        _gazetteers[self.digest] = self.gazetteer


class DaskExtractor:
    """Sends articles in tasks of ``events.extractors.BATCH`` to the cluster at ``address``."""

    def __init__(self, address: str, data_dir=None):
        try:
            self.client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except OSError as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        gazetteer = Gazetteer.from_config(data_dir)
        content = pickle.dumps(gazetteer, protocol=pickle.HIGHEST_PROTOCOL)
        self.digest = hashlib.sha256(content).hexdigest()[:16]
        with self._failures(address):
            self.client.register_plugin(GazetteerPlugin(gazetteer, self.digest),
                                        name=f"eventmap-{self.digest}")
        self.address = address

    def map(self, articles: list[Article]) -> Iterator[tuple[Article, Found]]:
        if not articles:
            return iter(())
        tasks = batches(articles)
        # the articles go to the workers as data, not inside the task graph: the scheduler keeps recent
        # graphs in its logs, so graphs of article text would grow its memory with every chunk
        try:
            data = self.client.scatter(tasks, hash=False)
        except TimeoutError as exc:   # data needs a worker to go to; a task would have waited for one
            raise ClusterError(f"the Dask cluster at {self.address} has no workers: none joined within "
                               f"{CONNECT_SECONDS} s") from exc
        # submitted here, before the results are read
        futures = self.client.map(_extract_on_worker, data, digest=self.digest, pure=False)
        return self._results(tasks, futures, data)

    def _results(self, tasks: list[list[Article]], futures: list,
                 data: list) -> Iterator[tuple[Article, Found]]:
        try:
            for batch, future in zip(tasks, futures, strict=True):
                with self._failures(self.address):
                    found = future.result()
                yield from zip(batch, found, strict=True)
        finally:
            self.client.cancel(futures + data)

    @staticmethod
    @contextmanager
    def _failures(address: str):
        """The cluster failing the plugin or a task (extraction itself reports its own failures, so
        this is the cluster's: most often workers or a scheduler without this project's code)."""
        try:
            yield
        except Exception as exc:
            raise ClusterError(f"the Dask cluster at {address} failed: {exc.__class__.__name__}: "
                               f"{' '.join(str(exc).split())} -- its scheduler and workers need this project "
                               "on their PYTHONPATH") from exc

    def __enter__(self) -> "DaskExtractor":
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()


def _extract_on_worker(articles: list[Article], digest: str) -> list[Found]:
    """A task: extract a batch with this thread's geocoder over the plugin's gazetteer."""
    geocoders = _local.__dict__.setdefault("geocoders", {})
    if digest not in geocoders:
        geocoders[digest] = Geocoder(_gazetteers[digest])
    return extract_batch(articles, geocoders[digest])
