"""End to end: the real page in Debian's chromium, driven by Playwright."""
from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.dashboard_fixtures import ROWS, fill_store

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
VENDOR = ROOT / "tests" / "vendor" / "node_modules"   # `npm ci --prefix tests/vendor` (make test does it)
# The map's CDN files, served from local npm copies: this machine has no internet.
CDN_COPIES = {
    "leaflet.js": "leaflet/dist/leaflet.js", "leaflet.css": "leaflet/dist/leaflet.css",
    "jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "leaflet_heat.min.js": "leaflet.heat/dist/leaflet-heat.js",
    "d3.min.js": "d3-v3/d3.min.js", "d3.v4.min.js": "d3/build/d3.min.js",   # the colour legend
}


def _serve_cdn(route):
    """Answer a request for a CDN file from the local copy; other outside requests get an empty reply."""
    name = route.request.url.split("?")[0].rsplit("/", 1)[-1]
    local = VENDOR / CDN_COPIES[name] if name in CDN_COPIES else None
    kind = "text/css" if name.endswith(".css") else "application/javascript"
    if local and local.exists():
        route.fulfill(status=200, body=local.read_bytes(), content_type=kind)
    else:
        route.fulfill(status=200, body=b"", content_type=kind)


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


@pytest.fixture()
def server(shared_data, tmp_path):
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    fill_store(url)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, EVENTMAP_DB=url, EVENTMAP_DATA_DIR=str(shared_data))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
                             "--server.headless", "true", "--server.address", "127.0.0.1",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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
    yield base, url
    proc.terminate()
    proc.wait(timeout=20)


def test_map_filter_download(browser, server, tmp_path):
    base, url = server
    if not (VENDOR / "leaflet").is_dir():
        pytest.fail(f"Leaflet copies missing under {VENDOR}: run `npm ci --prefix tests/vendor`")
    page = browser.new_page(viewport={"width": 1500, "height": 1700}, accept_downloads=True)
    page.route(lambda url: not url.startswith(base), _serve_cdn)
    page.goto(base)
    page.wait_for_selector("text=5 of 5 events match", timeout=90_000)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    map_frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    map_frame.wait_for_function("() => window.map !== undefined", timeout=60_000)
    drawn = map_frame.evaluate("""() => { const seen = new Set();
        window.map.eachLayer(l => { if (l.feature && l.feature.properties.adm2_pcode) seen.add(l.feature.properties.adm2_pcode); });
        return seen.size; }""")
    assert drawn == 399   # every district is drawn
    popups = map_frame.evaluate("""() => { const texts = [];
        window.map.eachLayer(l => { if (l instanceof L.MarkerClusterGroup)
            l.getLayers().forEach(m => texts.push(m.getPopup().getContent())); });
        return texts; }""")
    assert len(popups) == len(ROWS)   # one point per event, each with its popup
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in text for text in popups)
    # change the date range: type a new start date, 2021-07-01, into the date input's fields
    for part, value in (("month", "07"), ("day", "01")):
        page.get_by_role("spinbutton", name=f"{part}, Date range start date").click()
        page.keyboard.type(value)
    page.get_by_text("Search evidence and titles").click()   # leave the field: the new range applies
    page.wait_for_selector("text=3 of 5 events match", timeout=60_000)
    page.wait_for_selector("text=Events (3)", timeout=60_000)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    expected = sorted(f"ev{i}" for i, row in enumerate(ROWS) if "2021-07-01" <= row[0].isoformat() <= "2021-08-26")
    assert sorted(r["event_id"] for r in rows) == expected
    from events.store import EventStore
    stored = EventStore(url).events_frame().set_index("event_id")
    for row in rows:
        assert row["admin2"] == stored.loc[row["event_id"], "admin2"]
        assert not row["evidence"].startswith("=")
    # article text never becomes live HTML
    assert frame.locator("script:has-text('alert(1)')").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.get_by_role("heading", name="Afghanistan event map").scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=False)
    # clicking a district on the map selects it in the filters (Imam Sahib holds one of the 3 shown events)
    map_frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    clicked = map_frame.evaluate("""() => { let hit = null;
        window.map.eachLayer(l => { if (l.feature && l.feature.properties.adm2_pcode === "AF1905") hit = l; });
        hit.fire("click", {latlng: hit.getBounds().getCenter()}, true);
        return hit.feature.properties.adm2_name; }""")
    assert clicked == "Imam Sahib"
    page.wait_for_selector("text=1 of 5 events match", timeout=60_000)
    page.wait_for_selector("text=Events (1)", timeout=60_000)
    page.close()
