"""The opt-in Nominatim fallback, against a small Nominatim-like server on 127.0.0.1."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from geo.geocode import Geocoder
from geo.gazetteer import Gazetteer
from geo.nominatim import OnlineFallback

PLACES = {"Qala Zyzzyx": (36.72, 68.87)}   # a made-up village inside Kunduz district


class _Nominatim(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_GET(self):
        query = parse_qs(urlparse(self.path).query)
        type(self).requests.append(query)
        name = query.get("q", [""])[0]
        if name == "Broken Place":
            self.send_response(500)
            self.end_headers()
            return
        if name == "Slow Place":
            time.sleep(2)
        hits = [{"lat": str(PLACES[name][0]), "lon": str(PLACES[name][1]), "display_name": name,
                 "place_id": 1}] if name in PLACES else []
        body = json.dumps(hits).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass   # the client gave up (the timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    _Nominatim.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Nominatim)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _fallback(domain, tmp_path, timeout=5.0):
    return OnlineFallback(domain=domain, scheme="http", user_agent="eventmap-test", timeout=timeout,
                          cache_path=tmp_path / "cache.json", min_delay=0.01)


def test_lookup_is_restricted_to_afghanistan_and_cached(server, tmp_path):
    fallback = _fallback(server, tmp_path)
    assert fallback.lookup("Qala Zyzzyx") == PLACES["Qala Zyzzyx"]
    assert fallback.lookup("Qala Zyzzyx") == PLACES["Qala Zyzzyx"]
    assert fallback.lookup("Nowhere Atall") is None
    assert len(_Nominatim.requests) == 2 and _Nominatim.requests[0]["countrycodes"] == ["af"]
    again = _fallback(server, tmp_path)       # the disk cache survives a restart
    assert again.lookup("Qala Zyzzyx") == PLACES["Qala Zyzzyx"] and len(_Nominatim.requests) == 2


def test_errors_and_timeouts_give_no_answer(server, tmp_path):
    fallback = _fallback(server, tmp_path, timeout=0.5)
    assert fallback.lookup("Broken Place") is None
    assert fallback.lookup("Slow Place") is None


def test_geocoder_uses_fallback_and_keeps_other_places(server, tmp_path, shared_data):
    geocoder = Geocoder(Gazetteer.from_config(shared_data), _fallback(server, tmp_path), shared_data)
    text = ("Gunmen attacked Qala Zyzzyx village in the north. "
            "Another clash hit Broken Place village, and fighting went on in Herat province.")
    places = geocoder.find(text)
    found = {p.text: (p.adm1_pcode, p.adm2_pcode, p.geo_precision) for p in places}
    assert found["Qala Zyzzyx"] == ("AF19", "AF1901", 1)
    assert found["Herat"][0] == "AF32" and "Broken Place" not in found
