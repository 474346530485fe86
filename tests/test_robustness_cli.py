"""The command line's errors: one line, a non-zero status, no traceback unless --debug; safe CSV."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

import events.cli
from events.cli import main
from events.export import csv_bytes
from events.store import EventStore
from events.taxonomy import EVENT_TYPES
from tests.test_store import make

DOWN = "postgresql+psycopg://eventmap@127.0.0.1:9/events"


def _usage_error(argv, capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    return capsys.readouterr().err


def test_ingest_exits_non_zero_when_nothing_could_be_read(tmp_path, db_url, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.json").write_text("[{", encoding="utf-8")
    assert main(["ingest", str(folder), str(folder / "missing.txt"), "--db", db_url]) == 1
    captured = capsys.readouterr()
    assert "skipped 3" in captured.out and "error: no article could be read" in captured.err
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("command", [["ingest", "samples"], ["stats"], ["export", "--out", "x.csv"]])
def test_a_database_that_is_down_is_one_line(command, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(command + ["--db", DOWN]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("error: cannot open the event store at ") and captured.err.count("\n") == 1


def test_stats_on_a_missing_sqlite_file_does_not_create_it(tmp_path, capsys):
    path = tmp_path / "nothing.db"
    assert main(["stats", "--db", f"sqlite:///{path}"]) == 1
    assert "no event store at" in capsys.readouterr().err and not path.exists()


def test_export_into_a_missing_folder_and_an_unknown_type_are_usage_errors(tmp_path, db_url, capsys):
    EventStore(db_url)
    err = _usage_error(["export", "--db", db_url, "--out", str(tmp_path / "no" / "out.csv")], capsys)
    assert "does not exist" in err and "Traceback" not in err
    argv = ["export", "--db", db_url, "--type", "Battle", "--out", str(tmp_path / "o.csv")]
    err = _usage_error(argv, capsys)
    assert "unknown --type 'Battle'" in err and all(name in err for name in EVENT_TYPES)
    assert not (tmp_path / "o.csv").exists()


def test_an_unexpected_failure_is_one_line_unless_debug(db_url, capsys, monkeypatch):
    EventStore(db_url)

    def broken(store):
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(events.cli, "_stats", broken)
    assert main(["stats", "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error: RuntimeError: something\\nbroke (run with --debug" in err
    assert main(["stats", "--db", db_url, "--debug"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_csv_cells_with_line_breaks_cannot_start_rows(tmp_path, db_url, capsys):
    store = EventStore(db_url)
    batch = []
    for i in range(13):
        article, found = make(f"Report {i} of fighting in Imam Sahib.", date(2015, 5, 1 + 2 * i), f"e{i}")
        article.source = "Agency\r=HYPERLINK(0)" if i % 2 else "Wire\n+1\r\n@SUM(A1)"
        found[0].notes = "-2\r=cmd|' /C calc'!A0"
        batch.append((article, found))
    store.ingest(batch)
    target = tmp_path / "out.csv"
    assert main(["export", "--db", db_url, "--out", str(target)]) == 0
    with open(target, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 14 and all(len(row) == len(rows[0]) for row in rows)
    assert not any(row[0].startswith(("=", "+", "-", "@")) for row in rows)
    body = csv.DictReader(io.StringIO(csv_bytes(store.events_frame()).decode(), newline=""))
    assert {row["source"] for row in body} == {"Agency\r=HYPERLINK(0)", "Wire\n+1\r\n@SUM(A1)"}
    assert '"Agency\r=HYPERLINK(0)"' in target.read_bytes().decode("utf-8")
