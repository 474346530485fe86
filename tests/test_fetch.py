"""`python -m geo fetch` against an HTTP server started on 127.0.0.1, and local imports."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geo import fetch
from geo.__main__ import main
from geo.boundaries import COD_DIR, GB_DIR, GB_FILES
from geo.fetch import (DATA_FILES, DataFile, FetchError, fetch_data_files, fetch_geoboundaries, import_folder,
                       verify_checksums)
from tests.boundaries_fixtures import geoboundaries_frames, write_geoboundaries

TRIANGLE = json.dumps({"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {"shapeName": "Kabul", "shapeID": "X1"},
    "geometry": {"type": "Polygon", "coordinates": [[[69, 34], [70, 34], [69.5, 35], [69, 34]]]},
}]}).encode()


class BoundaryServer:
    """A tiny geoBoundaries look-alike: ``routes`` maps a path to (status, body bytes).

    Status 0 hangs until the test ends; a negative status sends a truncated body."""

    def __init__(self):
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                status, body = server.routes.get(self.path, (404, b"not found"))
                if status == 0:  # hang until the test ends: exercises the client timeout
                    server.release.wait(30)
                    return
                self.send_response(abs(status))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # a negative status sends only half the body, then drops the connection
                self.wfile.write(body if status > 0 else body[: len(body) // 2])

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def publish(self, files: dict[int, bytes]):
        """Serve API records for ADM1/ADM2 whose gjDownloadURL points at this server."""
        for level, body in files.items():
            name = GB_FILES[level]
            self.routes[f"/api/ADM{level}/"] = (200, json.dumps({
                "boundaryISO": "AFG", "boundaryType": f"ADM{level}", "boundaryLicense": "CC BY 4.0",
                "gjDownloadURL": f"{self.url}/files/{name}",
            }).encode())
            self.routes[f"/files/{name}"] = (200, body)


UNREACHABLE = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def _offline_data_files(monkeypatch):
    """The COD-AB and gazetteer files' public sources are never asked in tests: a closed port instead."""
    monkeypatch.setattr(fetch, "DATA_FILES", [dataclasses.replace(f, url=f"{UNREACHABLE}/{f.path}")
                                              for f in DATA_FILES])


@pytest.fixture()
def server():
    srv = BoundaryServer()
    srv.thread.start()
    yield srv
    srv.release.set()
    srv.httpd.shutdown()
    srv.httpd.server_close()


def api(srv) -> str:
    return f"{srv.url}/api/"


def test_download_writes_files_checksums_metadata_and_progress(server, tmp_path, capsys):
    bodies = {1: TRIANGLE, 2: TRIANGLE.replace(b"Kabul", b"Paghman")}
    server.publish(bodies)
    files = fetch_geoboundaries(tmp_path, api=api(server), timeout=5)
    folder = tmp_path / GB_DIR
    assert [f.name for f in files] == [GB_FILES[1], GB_FILES[2]]
    assert [f.read_bytes() for f in files] == [bodies[1], bodies[2]]
    sums = (folder / fetch.CHECKSUM_FILE).read_text().splitlines()
    assert sums == sorted(f"{hashlib.sha256(bodies[lv]).hexdigest()}  {GB_FILES[lv]}" for lv in (1, 2))
    verify_checksums(folder)
    metadata = json.loads((folder / fetch.METADATA_FILE).read_text())
    assert metadata["ADM2"]["gjDownloadURL"].endswith(GB_FILES[2])
    err = capsys.readouterr().err
    assert GB_FILES[1] in err and GB_FILES[2] in err and "100%" in err
    assert not list(folder.glob("*.part"))


def test_checksum_mismatch_is_reported(server, tmp_path):
    server.publish({1: TRIANGLE, 2: TRIANGLE})
    fetch_geoboundaries(tmp_path, api=api(server), progress=False)
    target = tmp_path / GB_DIR / GB_FILES[2]
    target.write_bytes(target.read_bytes() + b"\n")
    with pytest.raises(FetchError, match=r"ADM2\.geojson: checksum does not match"):
        verify_checksums(tmp_path / GB_DIR)


@pytest.mark.parametrize("route, response, message", [
    ("/api/ADM1/", (500, b"boom"), r"/api/ADM1/: HTTP 500"),
    ("/api/ADM2/", (404, b"gone"), r"/api/ADM2/: HTTP 404"),
    ("/api/ADM1/", (200, b"<html>maintenance</html>"), r"/api/ADM1/: response is not JSON"),
    ("/api/ADM1/", (200, b'{"boundaryISO": "AFG"}'), r"/api/ADM1/: JSON has no gjDownloadURL"),
    (f"/files/{GB_FILES[2]}", (404, b"gone"), rf"/files/{GB_FILES[2]}: HTTP 404"),
    (f"/files/{GB_FILES[1]}", (200, b"<html>not geojson</html>"),
     r"ADM1\.geojson: downloaded file is not valid GeoJSON"),
])
def test_server_failures_raise_clear_errors_and_leave_no_files(server, tmp_path, route, response, message):
    server.publish({1: TRIANGLE, 2: TRIANGLE})
    server.routes[route] = response
    with pytest.raises(FetchError, match=message):
        fetch_geoboundaries(tmp_path, api=api(server), timeout=5, progress=False)
    assert list((tmp_path / GB_DIR).iterdir()) == []


def test_a_truncated_download_is_reported(server, tmp_path):
    server.publish({1: TRIANGLE, 2: TRIANGLE})
    server.routes[f"/files/{GB_FILES[2]}"] = (-200, TRIANGLE)
    with pytest.raises(FetchError, match=rf"/files/{GB_FILES[2]}: download interrupted"):
        fetch_geoboundaries(tmp_path, api=api(server), timeout=5, progress=False)
    assert list((tmp_path / GB_DIR).iterdir()) == []


def test_a_hanging_server_times_out(server, tmp_path):
    server.publish({1: TRIANGLE, 2: TRIANGLE})
    server.routes["/api/ADM1/"] = (0, b"")
    with pytest.raises(FetchError, match=r"/api/ADM1/: timed out after 0.2 s"):
        fetch_geoboundaries(tmp_path, api=api(server), timeout=0.2, progress=False)


def test_unreachable_server_is_reported(tmp_path):
    with pytest.raises(FetchError, match=r"127\.0\.0\.1:9/ADM1/: ConnectionError"):
        fetch_geoboundaries(tmp_path, api="http://127.0.0.1:9/", timeout=2, progress=False)


def test_import_geoboundaries_folder_copies_and_writes_checksums(server, tmp_path):
    server.publish({1: TRIANGLE, 2: TRIANGLE})
    fetch_geoboundaries(tmp_path / "downloaded", api=api(server), progress=False)
    copied = import_folder(tmp_path / "downloaded", tmp_path / "data")
    assert [p.name for p in copied] == [GB_FILES[1], GB_FILES[2]]
    verify_checksums(tmp_path / "data" / GB_DIR)


def test_import_refuses_a_corrupted_source_and_an_empty_folder(server, tmp_path):
    server.publish({1: TRIANGLE, 2: TRIANGLE})
    fetch_geoboundaries(tmp_path / "downloaded", api=api(server), progress=False)
    (tmp_path / "downloaded" / GB_DIR / GB_FILES[1]).write_bytes(b"{}")
    with pytest.raises(FetchError, match="checksum does not match"):
        import_folder(tmp_path / "downloaded", tmp_path / "data")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FetchError, match="empty: no boundary files found"):
        import_folder(tmp_path / "empty", tmp_path / "data")
    with pytest.raises(FetchError, match="nowhere: not a folder"):
        import_folder(tmp_path / "nowhere", tmp_path / "data")


def test_cli_imports_cod_zips_and_reports_counts(shared_data, tmp_path, capsys):
    assert main(["fetch", "--from", str(shared_data / COD_DIR), "--data-dir", str(tmp_path)]) == 0
    wanted = sorted(p.name for p in (shared_data / COD_DIR).glob("*adm[12]*.zip"))
    assert sorted(p.name for p in (tmp_path / COD_DIR).iterdir()) == wanted
    assert "34 provinces, 399 districts" in capsys.readouterr().out


def test_cli_downloads_geoboundaries_and_loads_them(shared_data, server, tmp_path, capsys):
    write_geoboundaries(geoboundaries_frames(shared_data), tmp_path / "src")
    server.publish({lv: (tmp_path / "src" / GB_DIR / GB_FILES[lv]).read_bytes() for lv in (1, 2)})
    assert main(["fetch", "--data-dir", str(tmp_path / "data"), "--api", api(server), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'data' / GB_DIR / GB_FILES[1]}" in out
    assert "34 provinces, 399 districts" in out


def test_cli_reports_errors_with_exit_status_1(server, tmp_path, capsys):
    server.routes["/api/ADM1/"] = (500, b"")
    assert main(["fetch", "--data-dir", str(tmp_path), "--api", api(server), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "/api/ADM1/: HTTP 500" in err


def test_cli_if_missing_skips_the_download_when_files_exist(shared_data, capsys):
    # the API URL is unreachable: any download attempt would fail
    assert main(["fetch", "--if-missing", "--data-dir", str(shared_data),
                 "--api", "http://127.0.0.1:9/"]) == 0
    out = capsys.readouterr().out
    assert "already present" in out and "34 provinces, 399 districts" in out


def _data_file(path: str, body: bytes) -> DataFile:
    return DataFile(path, f"{UNREACHABLE}/{path}", hashlib.sha256(body).hexdigest(), f"no {path}")


def test_data_files_are_fetched_checked_and_reported(server, tmp_path):
    good, other = b"district,names\n1,Imam Sahib\n", b"[]"
    files = [_data_file("gazetteer/a.csv", good), _data_file("gazetteer/b.json", other),
             _data_file("gazetteer/c.csv", good), _data_file("gazetteer/kept.csv", good)]
    server.routes["/gazetteer/a.csv"] = (200, good)
    server.routes["/gazetteer/b.json"] = (200, b"[1]")          # not the recorded version
    (tmp_path / "gazetteer").mkdir()
    (tmp_path / "gazetteer" / "kept.csv").write_bytes(b"local version")
    statuses = fetch_data_files(tmp_path, files, mirror=server.url, timeout=5, progress=False)
    assert [s.state for s in statuses] == ["fetched", "missing", "missing", "differs"]
    assert (tmp_path / "gazetteer" / "a.csv").read_bytes() == good
    assert "checksum does not match" in statuses[1].detail and "HTTP 404" in statuses[2].detail
    assert str(statuses[2]).endswith("without it, no gazetteer/c.csv")
    assert (tmp_path / "gazetteer" / "kept.csv").read_bytes() == b"local version"
    assert sorted(p.name for p in (tmp_path / "gazetteer").iterdir()) == ["a.csv", "kept.csv"]
    again = fetch_data_files(tmp_path, files[:1], mirror=UNREACHABLE, progress=False)
    assert again[0].state == "present"


def test_recorded_checksums_match_the_development_copies(shared_data, server, tmp_path):
    for file in DATA_FILES:
        server.routes[f"/{file.path}"] = (200, (shared_data / file.path).read_bytes())
    statuses = fetch_data_files(tmp_path, mirror=server.url, timeout=10, progress=False)
    assert [s.state for s in statuses] == ["fetched"] * len(DATA_FILES)
    assert main(["fetch", "--if-missing", "--data-dir", str(tmp_path), "--mirror", UNREACHABLE]) == 0


def test_without_network_the_cli_names_missing_files_and_their_effect(shared_data, tmp_path, capsys):
    assert main(["fetch", "--from", str(shared_data / COD_DIR), "--data-dir", str(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.count("present  boundaries/cod-ab-afg-2018/") == 2
    missing = [line for line in out.splitlines() if line.startswith("missing")]
    assert len(missing) == len(DATA_FILES) - 2 and all("without it, " in line for line in missing)
    assert any("gazetteer/villages/villages.json" in line and "0.888" in line for line in missing)
    assert "34 provinces, 399 districts (cod)" in out


def test_without_network_and_no_boundaries_the_cli_fails_after_the_report(tmp_path, capsys):
    argv = ["fetch", "--data-dir", str(tmp_path), "--api", UNREACHABLE + "/", "--timeout", "2", "--quiet"]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out.count("missing  ") == len(DATA_FILES)
    assert captured.err.startswith("error: ") and "boundary file not found" in captured.err.splitlines()[-1]
    assert not (tmp_path / COD_DIR).exists()
