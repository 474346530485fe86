"""Ingest at scale: ``python -m bench ingest [--sizes 10000 100000] [--compare 10000] [--kill 100000]``.

The Tehran Times corpus is repeated (each copy's id and text changed, so every line is a new article)
into a folder of JSONL files up to each size, and ingested into a fresh SQLite file in a child
process: articles/s and peak memory (the ingest process's own high-water mark and its largest
worker's).  While it runs, the resident memory of the ingest process and of its largest worker is
sampled against the articles stored so far: flat after warm-up means memory does not grow with the
archive.  ``--compare`` ingests one size in this process alone, with 2 local worker processes and
on a LocalCluster of 2 worker processes (started in a process of its own, as a cluster runs apart
from the client that sends it work).
``--kill`` starts ``python -m events ingest``, kills it (and its workers) with SIGKILL when about half
the articles are stored, runs it again and counts what is stored against an uninterrupted run.
The defaults finish in a few minutes (``make bench``; the kill needs an archive of more than one
chunk, ``events.load.CHUNK_CHARS``); the scaling figures need the larger sizes above.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import config

ARTICLES = "articles/tehrantimes-afghanistan/articles.jsonl"
WORKERS = 2
PER_FILE = 10_000   # articles per JSONL file of a generated archive (a file stays under the batch size limit)
SAMPLE_SECONDS = 2


def write_corpus(source: Path, size: int, out: Path) -> None:
    """A folder of ``size`` articles in JSONL files of ``PER_FILE``: the corpus's lines repeated, each
    copy with its own id and last line."""
    lines = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    out.mkdir()
    for first in range(0, size, PER_FILE):
        with (out / f"part-{first // PER_FILE:05d}.jsonl").open("w", encoding="utf-8") as handle:
            for number in range(first, min(size, first + PER_FILE)):
                record = dict(lines[number % len(lines)])
                copy = number // len(lines)
                if copy:
                    record["id"] = f"{record.get('id')}-copy{copy}"
                    record["text"] = f"{record['text']}\n\nArchive copy {copy} of item {number % len(lines)}."
                handle.write(json.dumps(record) + "\n")


def run_once(mode: str, corpus: Path, db: Path, data_dir: Path) -> dict:
    """One ingest in this (child) process: 'single', 'pool' or 'cluster'; figures as a dict."""
    from events.pipeline import ingest_paths
    from events.store import EventStore
    store = EventStore(f"sqlite:///{db}")
    worker_peak = 0.0
    with local_cluster() if mode == "cluster" else nullcontext() as scheduler:
        start = time.perf_counter()
        summary = ingest_paths([corpus], store, data_dir, workers=WORKERS if mode == "pool" else 1,
                               scheduler=scheduler)
        elapsed = time.perf_counter() - start
        if scheduler:
            from distributed import Client
            with Client(scheduler) as client:
                worker_peak = max(client.run(_high_water_mb).values())
    if mode == "pool":
        worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"mode": mode, "articles": summary.read, "new": summary.new, "events": summary.events_stored,
            "seconds": round(elapsed, 1), "rate": round(summary.read / elapsed, 1),
            "peak_mb": round(_high_water_mb()), "worker_peak_mb": round(worker_peak)}


@contextmanager
def local_cluster() -> Iterator[str]:
    """A LocalCluster of ``WORKERS`` worker processes started in a process of its own, as a cluster
    runs apart from the client that sends it work: yields its scheduler's address."""
    code = ("import sys\nfrom distributed import LocalCluster\n"
            f"cluster = LocalCluster(n_workers={WORKERS}, threads_per_worker=1, processes=True, "
            "host='127.0.0.1', dashboard_address=None)\n"
            "print(cluster.scheduler_address, flush=True)\nsys.stdin.read()\ncluster.close()\n")
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, cwd=config.REPO_ROOT)
    assert process.stdout is not None and process.stdin is not None
    try:
        address = process.stdout.readline().strip()
        if not address:
            raise RuntimeError("the LocalCluster did not start")
        yield address
    finally:
        process.stdin.close()   # the cluster closes when its input ends
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def _high_water_mb() -> float:
    """This process's peak resident memory (VmHWM: its own, unlike ru_maxrss across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(mode: str, corpus: Path, root: Path, tmp: Path) -> dict:
    """``run_once`` in a fresh child process, so that each figure is that run's own; its memory is
    sampled while it runs."""
    db = tmp / f"{mode}-{corpus.name}.db"
    child = subprocess.Popen([sys.executable, "-m", "bench.ingest", "--once", mode, str(corpus), str(db),
                              "--data-dir", str(root)], stdout=subprocess.PIPE, text=True,
                             cwd=config.REPO_ROOT)
    # (articles stored, RSS of the ingest process, RSS of its largest worker) in MB
    samples: list[tuple[int, float, float]] = []
    while child.poll() is None:
        stored = max(_stored(db)[0], samples[-1][0] if samples else 0)   # 0 while the file is locked
        main, worker = _tree_rss_mb(child.pid)
        if main:   # 0: it has just ended
            samples.append((stored, main, worker))
        time.sleep(SAMPLE_SECONDS)
    out, _ = child.communicate()
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, child.args)
    result = json.loads(out.strip().splitlines()[-1])
    db.unlink()
    workers = f", largest worker {result['worker_peak_mb']} MB" if mode != "single" else ""
    print(f"{result['articles']:>7} articles, {mode:>7}: {result['events']} events in {result['seconds']} s: "
          f"{result['rate']} articles/s; peak memory {result['peak_mb']} MB{workers}", flush=True)
    print(memory_profile(samples, result["articles"]), flush=True)
    return result


def memory_profile(samples: list[tuple[int, float, float]], total: int, steps: int = 10) -> str:
    """Resident memory when each tenth of the articles had been stored (the first sample there), and
    its range after warm-up (the first tenth): 'articles: main/largest worker MB' per step."""
    marks: list[tuple[int, float, float]] = []
    for step in range(1, steps + 1):
        reached = [s for s in samples if s[0] >= total * step // steps]
        if reached and reached[0] not in marks:
            marks.append(reached[0])
    if not marks:
        return "  memory: too few samples (a short run)"
    steps_text = ", ".join(f"{stored}: {main:.0f}/{worker:.0f}" for stored, main, worker in marks)
    warm = [s for s in samples if s[0] >= total // steps]
    working = [s[2] for s in warm if s[2]]   # while workers run (none in one process, nor after the end)
    growth = ""
    if warm:
        growth = f"; after warm-up main {min(s[1] for s in warm):.0f}-{max(s[1] for s in warm):.0f} MB"
    if working:
        growth += f", largest worker {min(working):.0f}-{max(working):.0f} MB"
    return (f"  memory (articles stored: main/largest worker MB, sampled every {SAMPLE_SECONDS} s): "
            f"{steps_text}{growth}")


def _tree_rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory of process ``pid`` and of its largest descendant (0 when it has none), in MB."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # the field after the command (which may hold spaces or parentheses) is the state, then the parent
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    family, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in family} - family
        family |= more
        grew = bool(more)
    rss = {member: _rss_mb(member) for member in family}
    main = rss.pop(pid)
    return main, max(rss.values(), default=0.0)


def _rss_mb(pid: int) -> float:
    """Current resident memory of ``pid`` in MB (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def kill_and_resume(corpus: Path, size: int, root: Path, tmp: Path, expected: dict | None) -> None:
    """SIGKILL an ingest (and its workers) at about half, run it again, count what is stored."""
    db = tmp / "killed.db"
    command = [sys.executable, "-m", "events", "ingest", str(corpus), "--db", f"sqlite:///{db}",
               "--data-dir", str(root), "--workers", str(WORKERS)]
    child = subprocess.Popen(command, cwd=config.REPO_ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    start = time.perf_counter()
    while child.poll() is None and _stored(db)[0] < size // 2:
        time.sleep(0.5)
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    killed_after, (partial, _, _) = time.perf_counter() - start, _stored(db)
    start = time.perf_counter()
    again = subprocess.run(command, cwd=config.REPO_ROOT, capture_output=True, text=True)
    rerun_seconds, articles, distinct, events = time.perf_counter() - start, *_stored(db)
    summary = again.stdout.strip().splitlines()[0]
    print(f"kill -9 after {killed_after:.0f} s with {partial} of {size} articles stored "
          f"(status {child.returncode}); re-run in {rerun_seconds:.0f} s: {summary}")
    line = f"stored after the re-run: {articles} articles ({distinct} distinct ids), {events} events"
    if expected:
        line += f"; an uninterrupted run stored {expected['new']} articles, {expected['events']} events"
    print(line, flush=True)


def _stored(db: Path) -> tuple[int, int, int]:
    """(articles, distinct article ids, events) in a SQLite store, 0s while it cannot be read."""
    if not db.exists():
        return 0, 0, 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return (conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
                    + conn.execute("SELECT count(*) FROM events").fetchone())
    except sqlite3.OperationalError:
        return 0, 0, 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ingest")
    parser.add_argument("--data-dir")
    parser.add_argument("--sizes", type=int, nargs="*", default=[2_000],
                        help="archive sizes to ingest (the scaling figures: 10000 100000)")
    parser.add_argument("--mode", choices=["single", "pool", "cluster"], default="pool",
                        help="how the --sizes runs extract (default: 2 local worker processes)")
    parser.add_argument("--compare", type=int, default=1_000,
                        help="size for single vs pool vs cluster (0: none; the scaling figure: 10000)")
    parser.add_argument("--kill", type=int, default=10_000,
                        help="size for kill -9 and resume (0: none; the scaling figure: 100000)")
    parser.add_argument("--once", nargs=3, metavar=("MODE", "CORPUS", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = config.data_dir(args.data_dir)
    if args.once:
        mode, corpus, db = args.once
        print(json.dumps(run_once(mode, Path(corpus), Path(db), root)))
        return 0
    from geo.geocode import Geocoder
    Geocoder.from_config(root)   # warm the gazetteer cache so every run measures the same work
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as name:
        tmp = Path(name)
        corpora: dict[int, Path] = {}

        def corpus(size: int) -> Path:
            if size not in corpora:
                corpora[size] = tmp / f"articles-{size}"
                write_corpus(root / ARTICLES, size, corpora[size])
            return corpora[size]

        results = {size: measure(args.mode, corpus(size), root, tmp) for size in args.sizes}
        if args.compare:
            single, pool, cluster = (measure(mode, corpus(args.compare), root, tmp)
                                     for mode in ("single", "pool", "cluster"))
            print(f"speed-up over one process at {args.compare}: {pool['rate'] / single['rate']:.2f}x with "
                  f"{WORKERS} local workers, {cluster['rate'] / single['rate']:.2f}x on a LocalCluster of "
                  f"{WORKERS} workers")
        if args.kill:
            known = results.get(args.kill) if args.mode == "pool" else None
            kill_and_resume(corpus(args.kill), args.kill, root, tmp, known)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":   # the per-run child process
    sys.exit(main())
