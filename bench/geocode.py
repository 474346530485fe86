"""Geocoding throughput: ``python -m bench geocode [--data-dir DIR] [--limit N]``.

Prints gazetteer build time (cold, then cached) and articles per second for mention finding
plus resolution on one core over the Tehran Times articles.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

import config
from geo.gazetteer import Gazetteer
from geo.geocode import Geocoder

ARTICLES = "articles/tehrantimes-afghanistan/articles.jsonl"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench geocode")
    parser.add_argument("--data-dir")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    root = config.data_dir(args.data_dir)
    os.environ[config.CACHE_ENV] = tempfile.mkdtemp(prefix="bench-geocode-")
    start = time.perf_counter()
    Gazetteer.from_config(root)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    gazetteer = Gazetteer.from_config(root)
    cached = time.perf_counter() - start
    lines = (root / ARTICLES).read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    texts = texts[:args.limit] if args.limit else texts
    geocoder = Geocoder(gazetteer)
    start = time.perf_counter()
    mentions = sum(len(geocoder.find(text)) for text in texts)
    elapsed = time.perf_counter() - start
    chars = sum(map(len, texts))
    print(f"gazetteer build: cold {cold:.2f} s, cached {cached:.3f} s")
    print(f"geocoded {len(texts)} articles ({chars / 1e6:.1f} M chars, {mentions} place mentions) "
          f"in {elapsed:.2f} s: {len(texts) / elapsed:.0f} articles/s on one core")
    return 0
