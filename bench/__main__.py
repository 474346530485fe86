"""Dispatch ``python -m bench NAME [ARGS...]`` to ``bench.NAME.main(ARGS)``."""
from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench


def available() -> list[str]:
    """Names of the benchmark modules in this package."""
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    """Run one benchmark by name; returns its exit status."""
    argv = sys.argv[1:] if argv is None else argv
    names = available()
    if not argv or argv[0] not in names:
        print(f"usage: python -m bench NAME [ARGS...]; NAME is one of: {', '.join(names)}", file=sys.stderr)
        return 2
    print(f"machine reference: a pure-Python loop of 10M additions takes {reference_seconds():.2f} s here")
    module = importlib.import_module(f"bench.{argv[0]}")
    return module.main(argv[1:]) or 0


def reference_seconds(n: int = 10_000_000) -> float:
    """Seconds for a fixed pure-Python loop: to compare figures measured on different machines."""
    start = time.perf_counter()
    total = 0
    for i in range(n):
        total += i
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main())
