"""The dashboard as a user waits for it: ``python -m bench browser [--data-dir DIR] [--sizes N ...]``.

For each size a fresh SQLite store is filled with SYNTHETIC events (``bench.dashboard.synthetic_events``:
random districts and dates, not real events), the real page is started (``streamlit run dashboard.py``
on a free port of 127.0.0.1) and driven in Debian's chromium, with every request that leaves
127.0.0.1 aborted and counted.  Times run from the navigation (or from leaving the edited date field)
to: the count line shown, the map drawn (a Leaflet map in the component's frame with its unit layers
and a new view applied to it), and the page idle (no run in progress and nothing stale for
QUIET seconds; the time is when that quiet began).  Bytes are what the browser received: HTTP
(transferred sizes) and the app's WebSocket messages.  RSS is the Streamlit process's resident memory.

One session: a cold first load (new server, new browser context), a warm one (new page in the same
context, server caches filled) and CHANGES filter changes.  Then SESSIONS contexts at once: each loads
the page and makes CHANGES filter changes concurrently; median and worst time to the map drawn, peak
RSS while they run and RSS after they closed.  Every wait is bounded (--timeout); a wait that runs
out is printed as such and the run goes on.
"""
from __future__ import annotations

import argparse
import asyncio
import glob
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import create_engine, text

import config
from bench.__main__ import reference_seconds
from bench.dashboard import synthetic_store

CHROMIUM = "/usr/bin/chromium"
# Every request that is not for 127.0.0.1 goes to a proxy where nothing listens, and fails: no internet.
NO_INTERNET = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1440, "height": 1600}
SESSIONS = 5
CHANGES = 3
START_MONTHS = ["07", "03", "10", "05"]   # start months typed in turn into the date range: each a new view
QUIET = 2.0            # seconds without a run in progress or stale elements: the page is idle
POLL = 0.05
AFTER_CLOSE = 10.0     # seconds after the sessions closed before the RSS is read again

COUNT_LINE = r"""() => { const m = document.body.innerText.match(/\d+ of \d+ events match/);
    return m ? m[0] : null; }"""
# A view applied that was not seen before (geo.maps.ViewUpdate counts them): its unit layers, or 0.
UNIT_LAYERS = """() => { if (!window.map || !window.map.eventmapViews
        || window.map.eventmapViews === window.benchSeenViews) return 0;
    let n = 0; window.map.eachLayer(l => { if (l.feature) n += 1; }); return n; }"""
MARK_MAP = "() => { if (window.map) window.benchSeenViews = window.map.eventmapViews; }"
BUSY = """() => !!(document.querySelector("[data-testid='stStatusWidget']")
    || document.querySelector('[data-stale="true"]'))"""


class Timeout(Exception):
    """A wait ran out."""


# ---- the store and the server --------------------------------------------------------------------

@contextmanager
def streamlit_app(env: dict, log: Path) -> Iterator[tuple[str, psutil.Process]]:
    """``streamlit run dashboard.py`` on a free port of 127.0.0.1: its base URL and process."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with log.open("wb") as errors:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py",
                                 "--server.headless", "true", "--server.address", "127.0.0.1",
                                 "--server.port", str(port)],
                                cwd=config.REPO_ROOT, env=dict(os.environ, **env), stdout=subprocess.DEVNULL,
                                stderr=errors)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not start: " + log.read_text()[-2000:]) from None
                time.sleep(0.3)
        yield base, psutil.Process(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_mb(process: psutil.Process) -> float:
    """Resident memory of the process and its children, MB."""
    procs = [process, *process.children(recursive=True)]
    return sum(p.memory_info().rss for p in procs) / 1e6


# ---- one browser session ---------------------------------------------------------------------------

@dataclass
class Session:
    """A browser context with one page on the app; counts what it received."""
    context: Any   # playwright's BrowserContext and Page
    page: Any
    base: str
    http_bytes: int = 0   # encoded bytes chromium took off the network (cache hits add nothing)
    ws_bytes: int = 0

    def loaded(self, event: dict) -> None:
        self.http_bytes += int(event.get("encodedDataLength", 0))

    def received(self, payload) -> None:
        self.ws_bytes += len(payload)


async def open_session(browser, base: str, outside: list[str]) -> Session:
    """A new browser context; its requests outside ``base`` (which fail at the browser's dead proxy,
    ``NO_INTERNET``) are listed in ``outside``.  Not blocked by routing requests: Playwright turns the
    HTTP cache off for a context that routes, and a user's browser keeps the page's scripts."""
    context = await browser.new_context(viewport=VIEWPORT)
    context.on("requestfailed", lambda request: outside.append(request.url)
               if not request.url.startswith(base) else None)
    return await new_page(context, base)


async def new_page(context, base: str) -> Session:
    page = await context.new_page()
    session = Session(context, page, base)
    devtools = await context.new_cdp_session(page)   # chromium's own count of bytes transferred
    devtools.on("Network.loadingFinished", session.loaded)
    await devtools.send("Network.enable")
    page.on("websocket", lambda ws: ws.on("framereceived", session.received))
    return session


async def poll(check, timeout: float, what: str):
    """Call the coroutine ``check`` until it returns something true; that value."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            value = await check()
        except Exception:   # a frame detached or navigating while we looked: look again
            value = None
        if value:
            return value
        await asyncio.sleep(POLL)
    raise Timeout(what)


async def count_line(page) -> str | None:
    return await page.evaluate(COUNT_LINE)


async def map_drawn(page) -> int:
    """Unit layers on a map not seen before (0 while there is none)."""
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            layers = await frame.evaluate(UNIT_LAYERS)
            if layers:
                return layers
    return 0


async def mark_maps(page) -> None:
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            await frame.evaluate(MARK_MAP)


async def idle_since(page, timeout: float) -> float:
    """perf_counter() time at which the page became idle (and stayed so for QUIET seconds)."""
    deadline = time.perf_counter() + timeout
    quiet_from = None
    while time.perf_counter() < deadline:
        now = time.perf_counter()
        if await page.evaluate(BUSY):
            quiet_from = None
        elif quiet_from is None:
            quiet_from = now
        elif now - quiet_from >= QUIET:
            return quiet_from
        await asyncio.sleep(POLL * 2)
    raise Timeout("page idle")


async def milestones(page, start: float, before: str | None, timeout: float) -> dict[str, float]:
    """Seconds from ``start`` to the count line (a new one when ``before`` is given), map, idle."""
    times = {}
    await poll(lambda: _new_count(page, before), timeout, "count line")
    times["count line"] = time.perf_counter() - start
    await poll(lambda: map_drawn(page), timeout, "map drawn")
    times["map drawn"] = time.perf_counter() - start
    times["page idle"] = await idle_since(page, timeout) - start
    return times


async def _new_count(page, before: str | None) -> str | None:
    line = await count_line(page)
    return line if line and line != before else None


async def load(session: Session, timeout: float) -> dict[str, float]:
    start = time.perf_counter()
    await session.page.goto(session.base, wait_until="commit", timeout=timeout * 1000)
    return await milestones(session.page, start, None, timeout)


async def change_dates(session: Session, month: str, timeout: float) -> dict[str, float]:
    """Type a new start month into the date range (as the e2e test does); times from leaving the field."""
    page = session.page
    before = await count_line(page)
    await mark_maps(page)
    for part, value in (("month", month), ("day", "01")):
        await page.get_by_role("spinbutton", name=f"{part}, Date range start date").click()
        await page.keyboard.type(value)
    start = time.perf_counter()
    await page.get_by_text("Search evidence and titles").click()   # leaving the field applies the range
    return await milestones(page, start, before, timeout)


# ---- the runs ------------------------------------------------------------------------------------

class Report:
    """Prints one line per figure: size, store, run, part, what, value."""

    def __init__(self, n: int, store: str):
        self.n, self.store, self.run = n, store, 0

    def line(self, part: str, what: str, value: str) -> None:
        print(f"{self.n:>8} events {self.store:<10} run {self.run} | {part:<26} | {what:<34} | {value}",
              flush=True)

    def times(self, part: str, label: str, times: dict[str, float]) -> None:
        for what, seconds in times.items():
            self.line(part, f"{label}: to {what}", f"{seconds:.2f} s")


async def one_session(browser, base: str, process: psutil.Process, outside: list, report: Report,
                      args) -> None:
    part = "1 session"
    session = await open_session(browser, base, outside)
    report.times(part, "first load cold", await load(session, args.timeout))
    report.line(part, "cold load HTTP received", f"{session.http_bytes / 1e6:.2f} MB")
    report.line(part, "cold load WebSocket received", f"{session.ws_bytes / 1e6:.2f} MB")
    await session.page.close()
    warm = await new_page(session.context, base)
    report.times(part, "first load warm", await load(warm, args.timeout))
    report.line(part, "warm load HTTP received", f"{warm.http_bytes / 1e6:.2f} MB")
    report.line(part, "warm load WebSocket received", f"{warm.ws_bytes / 1e6:.2f} MB")
    for number, month in enumerate(START_MONTHS[:args.changes], 1):
        before = warm.ws_bytes
        try:
            report.times(part, f"filter change {number}", await change_dates(warm, month, args.timeout))
        except Timeout as late:
            report.line(part, f"filter change {number}", f"no {late} within {args.timeout:.0f} s")
            break
        report.line(part, f"filter change {number} WebSocket", f"{(warm.ws_bytes - before) / 1e6:.2f} MB")
    report.line(part, "Streamlit RSS", f"{rss_mb(process):.0f} MB")
    await session.context.close()


async def many_sessions(browser, base: str, process: psutil.Process, outside: list, report: Report,
                        args) -> None:
    part = f"{args.sessions} sessions at once"
    peak = [rss_mb(process)]
    running = True

    async def sample() -> None:
        while running:
            peak[0] = max(peak[0], rss_mb(process))
            await asyncio.sleep(0.5)

    async def user() -> dict[str, list]:
        found: dict[str, list] = {"load": [], "drawn": [], "idle": [], "failed": []}
        session = await open_session(browser, base, outside)
        try:
            found["load"].append((await load(session, args.timeout))["map drawn"])
            for month in START_MONTHS[:args.changes]:
                times = await change_dates(session, month, args.timeout)
                found["drawn"].append(times["map drawn"])
                found["idle"].append(times["page idle"])
        except Timeout as late:
            found["failed"].append(f"no {late} within {args.timeout:.0f} s")
        finally:
            await session.context.close()
        return found

    sampler = asyncio.create_task(sample())
    results = await asyncio.gather(*(user() for _ in range(args.sessions)))
    running = False
    await sampler
    loads, drawn, idle = ([t for r in results for t in r[key]] for key in ("load", "drawn", "idle"))
    for message in (m for r in results for m in r["failed"]):
        report.line(part, "timed out", message)
    if loads:
        report.line(part, "first load to map drawn, worst", f"{max(loads):.2f} s")
    if drawn:
        report.line(part, "filter change to map drawn, median", f"{statistics.median(drawn):.2f} s")
        report.line(part, "filter change to map drawn, worst", f"{max(drawn):.2f} s")
        report.line(part, "filter change to page idle, median", f"{statistics.median(idle):.2f} s")
        report.line(part, "filter change to page idle, worst", f"{max(idle):.2f} s")
        report.line(part, "filter changes measured", str(len(drawn)))
    report.line(part, "Streamlit RSS, peak while running", f"{peak[0]:.0f} MB")
    await asyncio.sleep(AFTER_CLOSE)
    report.line(part, f"Streamlit RSS {AFTER_CLOSE:.0f} s after closing", f"{rss_mb(process):.0f} MB")


@contextmanager
def postgres_server(folder: Path) -> Iterator[str]:
    """A throwaway PostgreSQL server (Debian's initdb/pg_ctl, trust auth) on a free port of 127.0.0.1;
    yields its URL without a database name.  Stopped and removed afterwards."""
    programs = {name: shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))),
                                                 None) for name in ("initdb", "pg_ctl")}
    if not all(programs.values()):
        raise RuntimeError("PostgreSQL server programs (initdb, pg_ctl) not found: make postgres")
    root = folder / "postgres"
    root.mkdir()
    as_postgres = []
    if os.geteuid() == 0:   # the server refuses to run as root
        shutil.chown(root, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = root / "data"
    subprocess.run(as_postgres + [programs["initdb"], "-D", str(data), "-U", "eventmap", "--auth=trust",
                                  "-E", "UTF8"], check=True, capture_output=True)
    subprocess.run(as_postgres + [programs["pg_ctl"], "-D", str(data), "-l", str(root / "server.log"), "-w",
                                  "-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://eventmap@127.0.0.1:{port}"
    finally:
        subprocess.run(as_postgres + [programs["pg_ctl"], "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)


@contextmanager
def event_store(kind: str, n: int, folder: Path) -> Iterator[str]:
    """The URL of a new, empty store of ``kind`` (sqlite or postgresql) for ``n`` events."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'events-{n}.db'}"
        return
    with postgres_server(folder) as server:
        engine = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"CREATE DATABASE events_{n}"))
        engine.dispose()
        yield f"{server}/events_{n}"


def analyse(url: str) -> None:
    """Planner statistics (and PostgreSQL's visibility map, for index-only scans) after the bulk load,
    as autovacuum or ``ANALYZE`` would leave them on a store that has been in use."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()


async def run_size(browser, n: int, root: Path, folder: Path, args) -> None:
    report = Report(n, args.store)
    with event_store(args.store, n, folder) as url:
        start = time.perf_counter()
        synthetic_store(url, n, root)
        analyse(url)
        report.line("store", "synthetic store written", f"{time.perf_counter() - start:.1f} s")
        for run in range(1, args.repeat + 1):
            outside: list[str] = []
            env = {"EVENTMAP_DB": url, "EVENTMAP_DATA_DIR": str(root)}
            report.run = run
            report.line("machine", "reference: 10M additions", f"{reference_seconds():.2f} s")
            with streamlit_app(env, folder / f"streamlit-{n}-{run}.log") as (base, process):
                report.line("server", "Streamlit RSS before any page", f"{rss_mb(process):.0f} MB")
                await one_session(browser, base, process, outside, report, args)
                if args.sessions:
                    await many_sessions(browser, base, process, outside, report, args)
            report.line("all", "requests outside 127.0.0.1 blocked", str(len(outside)))


async def run(args) -> int:
    from playwright.async_api import async_playwright
    root = config.data_dir(args.data_dir)
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        os.chmod(tmp, 0o755)   # the PostgreSQL server's own user works below it
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                                              proxy=NO_INTERNET)
            try:
                for n in args.sizes:
                    folder = Path(tmp) / str(n)
                    folder.mkdir()
                    await run_size(browser, n, root, folder, args)
            finally:
                await browser.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench browser")
    parser.add_argument("--data-dir")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--changes", type=int, default=CHANGES, choices=range(1, len(START_MONTHS) + 1))
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed for each wait")
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite",
                        help="postgresql: a throwaway server on 127.0.0.1 (Debian's PostgreSQL programs)")
    parser.add_argument("--repeat", type=int, default=1, help="measurements per store (a new server each)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1
    print(f"SYNTHETIC events (random districts and dates); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    return asyncio.run(run(args))
