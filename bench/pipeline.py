"""Full pipeline throughput: ``python -m bench pipeline [--data-dir DIR] [--workers 1 2]``.

Load, extract, geocode and store the Tehran Times articles into a fresh SQLite file, once per
worker count; prints articles per second and peak memory (this process plus its workers).
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import config

ARTICLES = "articles/tehrantimes-afghanistan/articles.jsonl"


def run_once(path: Path, workers: int, data_dir: Path) -> None:
    """One ingest in this process (called in a child so memory is measured per run)."""
    from events.pipeline import ingest_paths
    from events.store import EventStore
    with tempfile.TemporaryDirectory() as tmp:
        store = EventStore(f"sqlite:///{tmp}/bench.db")
        start = time.perf_counter()
        summary = ingest_paths([path], store, data_dir, workers=workers)
        elapsed = time.perf_counter() - start
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    print(f"workers={workers}: {summary.read} articles, {summary.events_stored} events in {elapsed:.2f} s: "
          f"{summary.read / elapsed:.0f} articles/s; peak memory {peak:.0f} MB (main + largest worker)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench pipeline")
    parser.add_argument("--data-dir")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--once", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = config.data_dir(args.data_dir)
    path = root / ARTICLES
    if args.once:
        run_once(path, args.once, root)
        return 0
    from geo.geocode import Geocoder
    Geocoder.from_config(root)   # warm the gazetteer cache so every run measures the same work
    for workers in args.workers:
        subprocess.run([sys.executable, "-m", "bench.pipeline", "--data-dir", str(root),
                        "--once", str(workers)], check=True)
    return 0


if __name__ == "__main__":   # the per-run child process
    sys.exit(main())
