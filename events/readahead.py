"""Reading the next chunk of input while the current one is extracted elsewhere.

When extraction runs in other processes (local workers, a Dask cluster), this process would otherwise
leave them idle while it reads and parses the next chunk; a thread reads one chunk ahead instead.
At most ``depth`` chunks wait, so memory stays bounded.
"""
from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()
_POLL_SECONDS = 0.5


def read_ahead(items: Iterable[T], depth: int = 1) -> Iterator[T]:
    """``items`` in order, produced by a thread up to ``depth`` ahead of the consumer; an exception
    raised while producing is raised here, and a consumer that stops early stops the thread."""
    waiting: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if not _put(waiting, (item, None), stop):
                    return
            _put(waiting, (_DONE, None), stop)
        except BaseException as exc:   # handed to the consumer, which raises it
            _put(waiting, (_DONE, exc), stop)

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = waiting.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def _put(waiting: queue.Queue, entry: tuple, stop: threading.Event) -> bool:
    """Queue ``entry`` unless the consumer stopped; False when it did."""
    while not stop.is_set():
        try:
            waiting.put(entry, timeout=_POLL_SECONDS)
            return True
        except queue.Full:
            continue
    return False
