"""End to end: the real page in Debian's chromium, driven by Playwright, with the internet cut off.

Every request that does not go to the app on 127.0.0.1 is aborted and recorded, so the map must draw
from the files the app serves itself (static/vendor, installed by `make setup`).
"""
from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.dashboard_fixtures import ROWS, app_without_static, fill_store

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
ASSETS = ROOT / "static" / "vendor" / "node_modules"
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("EVENTMAP_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


@contextmanager
def running_app(app_dir: Path, env: dict):
    """``streamlit run app_dir/dashboard.py`` on a free port of 127.0.0.1; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app_dir / "dashboard.py"),
                             "--server.address", "127.0.0.1", "--server.port", str(port)],
                            cwd=app_dir, env=dict(os.environ, **env), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stderr.read().decode()[-2000:])
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def offline_page(browser, base: str, outside: list, width: int = 1440, height: int = 1600):
    """A page whose requests outside ``base`` are aborted (and listed in ``outside``)."""
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)

    def block(route):
        outside.append(route.request.url)
        route.abort()
    page.route(lambda url: not url.startswith(base), block)
    return page


def map_frame(page):
    """The Leaflet map's frame, once its districts are drawn and coloured.

    During a rerun Streamlit briefly keeps the previous map's frame beside the new one: wait until one is
    left, then take that one."""
    page.wait_for_function(f"() => document.querySelectorAll({MAP_FRAME!r}).length === 1", timeout=90_000)
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=90_000)
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    # the view is applied once the unit shapes are loaded (geo.maps.ViewUpdate counts the views)
    frame.wait_for_function("() => window.map !== undefined && window.map.eventmapViews > 0", timeout=60_000)
    return frame


def settle(page) -> None:
    """Wait until the page has stopped rerunning."""
    page.wait_for_timeout(1500)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    page.wait_for_timeout(1000)


DISTRICTS_DRAWN = """() => { const seen = new Set();
    window.map.eachLayer(l => {
        if (l.feature && l.feature.properties.adm2_pcode) seen.add(l.feature.properties.adm2_pcode); });
    return seen.size; }"""
POPUPS = """() => { const texts = [];
    window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup)
        l.getLayers().forEach(m => texts.push(m.getPopup().getContent())); });
    return texts; }"""
HEAT_SHOWN = """() => { let n = 0;
    window.map.eachLayer(l => { if (l instanceof L.HeatLayer) n += 1; }); return n === 1; }"""
VIEW = "() => ({zoom: window.map.getZoom(), ...window.map.getCenter()})"
OUTLINED = """() => { let n = 0;
    window.map.eachLayer(l => { if (l.options && l.options.color === "#00bcd4" && l.feature) n += 1; });
    return n; }"""


@pytest.fixture()
def store_url(shared_data, tmp_path):
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    fill_store(url)
    return url


def test_offline_map_filters_url_and_download(browser, store_url, shared_data):
    if not (ASSETS / "leaflet").is_dir():
        pytest.fail(f"the map's files are missing under {ASSETS}: run `make setup`")
    outside: list[str] = []
    with running_app(ROOT, {"EVENTMAP_DB": store_url, "EVENTMAP_DATA_DIR": str(shared_data)}) as base:
        page = offline_page(browser, base, outside)
        page.goto(base)
        page.wait_for_selector("text=5 of 5 events match", timeout=90_000)
        frame = map_frame(page)
        assert frame.evaluate(DISTRICTS_DRAWN) == 399   # every district is drawn
        popups = frame.evaluate(POPUPS)
        assert len(popups) == len(ROWS)   # one point per event, each with its popup
        assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in text for text in popups)
        assert all("Report " in text and "Test Wire" in text for text in popups)   # title and source
        legend = page.frame_locator(MAP_FRAME).locator(".eventmap-legend")
        assert "Events per district" in legend.inner_text() and "Battles" in legend.inner_text()
        assert page.get_by_text("fatalities", exact=False).first.is_visible()
        page.get_by_role("button", name="Week ▶").wait_for(timeout=30_000)   # the rest, on the map's report
        assert page.locator("[data-testid='stSlider']").count() >= 1           # the timeline
        ARTIFACTS.mkdir(exist_ok=True)
        settle(page)
        page.screenshot(path=str(ARTIFACTS / "dashboard-1440.png"))
        # a place box takes the geocoder's spellings: "Helmand" is COD's Hilmand
        box = page.get_by_role("combobox", name="Province (any spelling or pcode)")
        box.click()
        page.keyboard.type("Helmand")
        page.keyboard.press("Enter")
        page.wait_for_selector("text=1 of 5 events match", timeout=60_000)
        settle(page)
        page.get_by_role("button", name="Reset filters").click()
        page.wait_for_selector("text=5 of 5 events match", timeout=60_000)
        settle(page)
        # the heat map replaces the points in the same map (its script came with the map)
        page.get_by_text("Heat map", exact=True).click()
        settle(page)
        frame = map_frame(page)
        frame.wait_for_function(HEAT_SHOWN, timeout=30_000)
        assert frame.evaluate(POPUPS) == []
        page.get_by_text("Points", exact=True).click()
        settle(page)
        # the user pans and zooms; a filter change must not lose that
        map_frame(page).evaluate("() => { window.map.setView([35.1, 69.2], 9, {animate: false}); }")
        # change the date range: type a new start date, 2021-07-01, into the date input's fields
        for part, value in (("month", "07"), ("day", "01")):
            page.get_by_role("spinbutton", name=f"{part}, Date range start date").click()
            page.keyboard.type(value)
        page.get_by_text("Search evidence and titles").click()   # leave the field: the new range applies
        page.wait_for_selector("text=3 of 5 events match", timeout=60_000)
        page.wait_for_selector("text=Events (3)", timeout=60_000)
        settle(page)
        view = map_frame(page).evaluate(VIEW)   # a new map with the new rows, where the user left it
        assert view["zoom"] == 9 and abs(view["lat"] - 35.1) < 0.01 and abs(view["lng"] - 69.2) < 0.01
        with page.expect_download(timeout=60_000) as info:   # made from the store when clicked
            page.get_by_role("button", name="Download CSV (3 rows)").click()
        rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
        expected = sorted(f"ev{i}" for i, row in enumerate(ROWS)
                          if "2021-07-01" <= row[0].isoformat() <= "2021-08-26")
        assert sorted(r["event_id"] for r in rows) == expected
        from events.store import EventStore
        stored = EventStore(store_url).events_frame().set_index("event_id")
        for row in rows:
            assert row["admin2"] == stored.loc[row["event_id"], "admin2"]
            assert not row["evidence"].startswith("=")
        assert page.frame_locator(MAP_FRAME).locator("script:has-text('alert(1)')").count() == 0
        # clicking a district on the map selects and outlines it (Imam Sahib holds one of the 3 shown events)
        frame = map_frame(page)
        clicked = frame.evaluate("""() => { let hit = null;
            window.map.eachLayer(l => {
                if (l.feature && l.feature.properties.adm2_pcode === "AF1905") hit = l; });
            hit.fire("click", {latlng: hit.getBounds().getCenter()}, true);
            return hit.feature.properties.adm2_name; }""")
        assert clicked == "Imam Sahib"
        page.wait_for_selector("text=1 of 5 events match", timeout=60_000)
        page.wait_for_selector("text=Events (1)", timeout=60_000)
        page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
        page.wait_for_function("() => location.search.includes('district=')", timeout=30_000)
        frame = map_frame(page)
        frame.wait_for_function(OUTLINED.replace("return n;", "return n > 0;"), timeout=30_000)
        assert abs(frame.evaluate(VIEW)["lat"] - 37.1) < 0.3   # a new selection: the map shows Imam Sahib
        shared = page.url
        page.close()
        # the URL alone reproduces the view in a new page, at 390 px wide
        narrow = offline_page(browser, base, outside, width=390, height=1400)
        narrow.goto(shared)
        narrow.wait_for_selector("text=1 of 5 events match", timeout=90_000)
        assert map_frame(narrow).evaluate(OUTLINED) > 0
        settle(narrow)
        narrow.screenshot(path=str(ARTIFACTS / "dashboard-390.png"))
        narrow.close()
    assert outside == []   # no request left the machine


def test_missing_map_files_are_reported(browser, store_url, shared_data, tmp_path):
    """An install without static/vendor: the page says in words that the map cannot be drawn."""
    app = app_without_static(tmp_path / "app")
    outside: list[str] = []
    with running_app(app, {"EVENTMAP_DB": store_url, "EVENTMAP_DATA_DIR": str(shared_data)}) as base:
        page = offline_page(browser, base, outside)
        page.goto(base)
        page.wait_for_selector("text=5 of 5 events match", timeout=90_000)
        page.wait_for_selector("text=The map cannot be drawn", timeout=30_000)
        assert page.locator(MAP_FRAME).count() == 0
        page.wait_for_selector("text=Events (5)", timeout=30_000)   # no map to wait for: the rest at once
        page.close()
    assert outside == []


def test_a_map_that_never_reports_still_gets_the_rest(browser, store_url, shared_data):
    """Leaflet cannot load, so the map never reports its first view: the page draws the rest after its
    wait (dashboard.MAP_WAIT)."""
    outside: list[str] = []
    with running_app(ROOT, {"EVENTMAP_DB": store_url, "EVENTMAP_DATA_DIR": str(shared_data)}) as base:
        page = offline_page(browser, base, outside)
        page.route("**/leaflet/dist/leaflet.js", lambda route: route.abort())
        page.goto(base)
        page.wait_for_selector("text=5 of 5 events match", timeout=90_000)
        page.wait_for_selector("text=Events (5)", timeout=60_000)
        assert page.get_by_role("button", name="Week ▶").is_visible()
        page.close()
    assert outside == []


def test_samples_screenshots(browser, shared_data, tmp_path):
    """The page on the rewritten sample reports (ingested by the command line), at 1440 and 390 px:
    the README's picture is the first one."""
    url = f"sqlite:///{tmp_path / 'samples.db'}"
    env = {"EVENTMAP_DB": url, "EVENTMAP_DATA_DIR": str(shared_data)}
    subprocess.run([sys.executable, "-m", "events", "ingest", str(ROOT / "samples")], cwd=ROOT, check=True,
                   env=dict(os.environ, **env), stdout=subprocess.DEVNULL)
    outside: list[str] = []
    with running_app(ROOT, env) as base:
        for width, height in ((1440, 1100), (390, 1500)):
            page = offline_page(browser, base, outside, width=width, height=height)
            page.goto(base)
            page.wait_for_selector("text=events match", timeout=90_000)
            assert map_frame(page).evaluate(DISTRICTS_DRAWN) == 399
            settle(page)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"samples-{width}.png"))
            page.close()
    assert outside == []
