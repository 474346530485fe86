"""URLs against servers on 127.0.0.1 that stall or trickle: one deadline bounds connecting, headers and
body together, the URL is reported, and the rest of the batch is stored."""
from __future__ import annotations

import socketserver
import threading
import time

import pytest

import events.load
from events.load import fetch_url, load_url
from events.pipeline import ingest_paths
from events.store import EventStore
from tests.test_robustness_load import good_folder, good_text, reasons

DEADLINE = 1.0


class _Handler(socketserver.BaseRequestHandler):
    """Answers by path: /good, /stall (half a body, then silence), /headers (one header line at a time,
    forever), /bytes (a body one byte at a time), /redirect-loop."""

    def handle(self):
        request = self.request.recv(65536).decode("latin-1")
        path = request.split(" ", 2)[1] if request.count(" ") >= 2 else "/"
        stop = self.server.stop
        try:
            if path == "/good":
                body = good_text(30).encode()
                self._send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                           b"Content-Length: %d\r\n\r\n" % len(body) + body)
            elif path == "/stall":
                self._send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"
                           + good_text(8).encode())
                stop.wait(30)
            elif path == "/headers":
                self._send(b"HTTP/1.1 200 OK\r\n")
                number = 0
                while not stop.wait(0.2):
                    number += 1
                    self._send(b"X-Slow-%d: yes\r\n" % number)
            elif path == "/bytes":
                self._send(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
                for byte in good_text(9).encode() * 100:
                    if stop.wait(0.1):
                        break
                    self._send(bytes([byte]))
            elif path == "/redirect-loop":
                self._send(b"HTTP/1.1 302 Found\r\nLocation: /redirect-loop\r\nContent-Length: 0\r\n\r\n")
        except OSError:   # the client gave up and closed the connection
            pass

    def _send(self, data: bytes) -> None:
        self.request.sendall(data)


@pytest.fixture()
def slow_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.stop = threading.Event()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.stop.set()
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", ["/stall", "/headers", "/bytes"])
def test_a_slow_server_is_cut_at_the_deadline(slow_server, path):
    started = time.monotonic()
    result = load_url(slow_server + path, deadline=DEADLINE)
    elapsed = time.monotonic() - started
    assert result.articles == [] and "timed out after 1 s" in result.errors[0][1]
    assert elapsed < 20   # the old per-read timeout let these run for minutes; no finer timing claim


def test_good_url_and_redirect_limit(slow_server):
    article = load_url(slow_server + "/good", deadline=5).articles[0]
    assert article.text.startswith("Police detained 32 suspects")
    with pytest.raises(ValueError, match="redirects"):
        fetch_url(slow_server + "/redirect-loop", deadline=5)


def test_unreachable_and_not_http_urls_are_reported():
    assert "ConnectionRefusedError" in load_url("http://127.0.0.1:9/x", deadline=2).errors[0][1]
    assert "not an http(s) URL" in load_url("http://", deadline=2).errors[0][1]


def test_slow_urls_cost_only_themselves_in_a_batch(slow_server, shared_data, tmp_path, db_url, monkeypatch):
    monkeypatch.setattr(events.load, "URL_DEADLINE", DEADLINE)
    folder = tmp_path / "in"
    good_folder(folder, 18)
    inputs = [folder] + [slow_server + path for path in ("/stall", "/headers", "/bytes", "/good")]
    summary = ingest_paths(inputs, EventStore(db_url), shared_data)
    assert (summary.read, summary.new, EventStore(db_url).version()[1]) == (19, 19, 19)
    found = reasons(summary)
    assert all("timed out" in found[name] for name in ("stall", "headers", "bytes"))
