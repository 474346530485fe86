"""Extraction time against article length: ``python -m bench length [--sizes MB ...] [--data-dir DIR]``.

Builds one article of each size by repeating the project's samples/ texts (event-dense reports), then
times ``extract_events`` on it once. Time per megabyte should stay about flat: extraction is linear in
the article's length.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import config
from events.extract import extract_events
from events.model import Article
from geo.geocode import Geocoder

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def article_of(size: int) -> Article:
    """An article of ``size`` characters made of the sample reports, repeated."""
    text = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(SAMPLES.glob("*.txt")))
    body = (text * (size // len(text) + 1))[:size]
    return Article(id=f"length-{size}", text=body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench length")
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 0.5, 1, 5],
                        help="article sizes in MB")
    parser.add_argument("--data-dir")
    args = parser.parse_args(argv)
    geocoder = Geocoder.from_config(config.data_dir(args.data_dir))
    for megabytes in args.sizes:
        article = article_of(int(megabytes * 1_000_000))
        start = time.perf_counter()
        events = extract_events(article, geocoder)
        elapsed = time.perf_counter() - start
        print(f"{megabytes:>5} MB: {elapsed:7.2f} s, {elapsed / megabytes:6.2f} s per MB, "
              f"{len(events)} events")
    return 0
