"""Progress of an ingest on a terminal: articles done of an estimated total, events stored, rate, ETA.

The total is estimated before reading: one article per file or URL, one per line of a JSONL/CSV
batch (counted without parsing), so the bar's ETA holds for archives of any size.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from events.load import STREAMED_SUFFIXES

_READ_BYTES = 1 << 20


def estimate_articles(inputs: Iterable) -> int:
    """About how many articles ``inputs`` (files, folders, URLs) hold."""
    total = 0
    for item in inputs:
        item = str(item)
        path = Path(item)
        if item.startswith(("http://", "https://")) or not path.exists():
            total += 1
            continue
        files = [path] if path.is_file() else [p for p in sorted(path.rglob("*")) if p.is_file()
                                                and not any(part.startswith(".") for part in p.parts)]
        total += sum(_count_lines(f) if f.suffix.lower() in STREAMED_SUFFIXES else 1 for f in files)
    return total


def _count_lines(path: Path) -> int:
    """Lines of a file, read in blocks (a CSV's header line is counted too: an estimate)."""
    count = 0
    try:
        with path.open("rb") as handle:
            while block := handle.read(_READ_BYTES):
                count += block.count(b"\n")
    except OSError:
        return 1
    return max(count, 1)


class IngestProgress:
    """A tqdm bar counting articles, with the events stored so far; silent when disabled."""

    def __init__(self, total: int | None = None, enabled: bool = True):
        self.events = 0
        self.bar = tqdm(total=total, unit="article", disable=not enabled, dynamic_ncols=True,
                        bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} articles [{elapsed}<{remaining}, "
                                   "{rate_fmt}{postfix}]")

    def articles_done(self, count: int = 1) -> None:
        """``count`` more articles extracted, skipped or found already stored."""
        self.bar.update(count)

    def events_stored(self, count: int) -> None:
        """``count`` more events stored."""
        self.events += count
        self.bar.set_postfix_str(f"{self.events} events stored", refresh=False)

    def close(self) -> None:
        self.bar.close()
