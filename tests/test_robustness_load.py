"""Bad inputs next to good ones: each bad item is reported with its reason, the good ones are stored.

Every bad input is generated here (nothing large is committed)."""
from __future__ import annotations

import csv
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from events.load import CHUNK_CHARS, MAX_BYTES, RECORD_FACTOR, check_size, load_path
from events.pipeline import ingest_paths, ingest_uploads
from events.store import EventStore

PROVINCES = ["Herat", "Kunduz", "Balkh", "Kandahar", "Helmand", "Ghazni", "Paktia", "Khost", "Nangarhar",
             "Laghman", "Kapisa", "Parwan", "Baghlan", "Takhar", "Badakhshan", "Faryab", "Jawzjan",
             "Samangan"]


def good_text(i: int) -> str:
    """A distinct short news article (number ``i``)."""
    province = PROVINCES[i % len(PROVINCES)]
    return (f"Police detained {i + 2} suspects in {province} province on Monday, officials said in "
            f"report {i}.\n\n"
            f"The suspects were taken to the provincial headquarters for questioning, the spokesman said.\n")


def good_folder(folder: Path, n: int) -> list[str]:
    """``n`` good articles as text files; returns their texts."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [good_text(i) for i in range(n)]
    for i, text in enumerate(texts):
        (folder / f"good-{i:02d}.txt").write_text(text, encoding="utf-8")
    return texts


def stored_articles(db_url: str) -> int:
    return EventStore(db_url).version()[1]


def reasons(summary_or_result) -> dict[str, str]:
    errors = getattr(summary_or_result, "skipped", None) or summary_or_result.errors
    return {origin.rsplit("/", 1)[-1]: reason for origin, reason in errors}


BAD_FILES = {
    "truncated.json": (lambda: json.dumps([{"text": good_text(100)}])[:-7].encode(), "malformed JSON"),
    "deep.json": (lambda: b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "huge-int.json": (lambda: b'{"text": "x", "n": ' + b"7" * 5000 + b"}", "unreadable JSON"),
    "random.txt": (lambda: random.Random(1).randbytes(20_000).replace(b"\0", b"\1"), "binary|undecodable"),
    "ascii-noise.txt": (lambda: bytes(b % 127 + 1 for b in random.Random(2).randbytes(20_000)), "binary"),
    "symbols.txt": (lambda: b"# " * 10_000, "no letters"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_in_a_folder_costs_only_itself(name, shared_data, tmp_path, db_url):
    folder = tmp_path / "in"
    good_folder(folder, 18)
    make, reason = BAD_FILES[name]
    (folder / name).write_bytes(make())
    summary = ingest_paths([folder], EventStore(db_url), shared_data)
    assert (summary.read, summary.new, stored_articles(db_url)) == (18, 18, 18)
    assert list(reasons(summary)) == [name] and re.search(reason, reasons(summary)[name])


def test_bad_lines_of_a_jsonl_batch_cost_only_themselves(shared_data, tmp_path, db_url):
    lines = [json.dumps({"text": good_text(0)}),
             '{"text": "big number", "n": ' + "9" * 5000 + "}",
             "[" * 100_000 + "]" * 100_000,
             '{"text": "cut off',
             json.dumps({"text": good_text(1)}),
             "[1, 2]",
             json.dumps({"text": good_text(2)})]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = ingest_paths([path], EventStore(db_url), shared_data)
    assert (summary.read, stored_articles(db_url)) == (3, 3)
    found = reasons(summary)
    assert "Exceeds the limit" in found["batch.jsonl:2"] and "nested too deeply" in found["batch.jsonl:3"]
    assert found["batch.jsonl:4"].startswith("malformed JSON")
    assert found["batch.jsonl:6"] == "not a JSON object"


def test_a_jsonl_line_over_the_record_limit_is_skipped_without_reading_it_whole(tmp_path):
    path = tmp_path / "batch.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": good_text(0)}) + "\n")
        handle.write(json.dumps({"text": "y " * 3000}) + "\n")
        handle.write(json.dumps({"text": good_text(1)}) + "\n")
    result = load_path(path, max_bytes=1000)
    assert len(result.articles) == 2
    assert reasons(result) == {"batch.jsonl:2": f"line too large (limit {1000 * RECORD_FACTOR} bytes)"}


def test_a_csv_cell_of_170_kb_is_an_article(shared_data, tmp_path, db_url):
    long_text = " ".join(f"Sentence {i} says that the market in Herat city was open." for i in range(2800))
    assert 131_072 < len(long_text) < MAX_BYTES
    path = tmp_path / "batch.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "text"])
        writer.writerows([["one", good_text(0)], ["long", long_text], ["two", good_text(1)]])
    summary = ingest_paths([path], EventStore(db_url), shared_data)
    assert summary.skipped == [] and (summary.read, stored_articles(db_url)) == (3, 3)


def test_a_csv_cell_over_the_field_limit_ends_the_file_keeping_the_rows_before(tmp_path):
    path = tmp_path / "batch.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text"])
        writer.writerows([[good_text(0)], [good_text(1)], ["z" * (MAX_BYTES * RECORD_FACTOR + 10)]])
    result = load_path(path)
    assert len(result.articles) == 2
    assert list(reasons(result)) == ["batch.csv:4"]
    assert "field larger than field limit" in reasons(result)["batch.csv:4"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_bom_are_text(codec, tmp_path):
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}.get(codec, b"")
    (tmp_path / "wide.txt").write_bytes(bom + good_text(3).encode(codec))
    result = load_path(tmp_path / "wide.txt")
    assert result.errors == []
    assert result.articles[0].text.startswith("Police detained 5 suspects in Kandahar")


def test_a_symlink_out_of_the_folder_is_not_followed(shared_data, tmp_path, db_url):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(good_text(50), encoding="utf-8")
    folder = tmp_path / "in"
    good_folder(folder, 3)
    (folder / "passwd.txt").symlink_to(outside / "secret.txt")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    (folder / "inside.txt").symlink_to(folder / "good-00.txt")   # inside the folder: the same article again
    summary = ingest_paths([folder], EventStore(db_url), shared_data)
    found = reasons(summary)
    assert "not followed" in found["passwd.txt"] and "not followed" in found["elsewhere"]
    assert stored_articles(db_url) == 3
    assert not any("report 50" in a.text for a in load_path(folder).articles)


def test_a_file_name_cannot_forge_report_lines(shared_data, tmp_path, db_url, capsys):
    from events.cli import main
    folder = tmp_path / "in"
    good_folder(folder, 2)
    (folder / "x.txt\n  skipped forged.txt: fake\u202e").write_bytes(b"")
    assert main(["ingest", str(folder), "--db", db_url, "--data-dir", str(shared_data)]) == 0
    out = capsys.readouterr().out
    skipped = [line for line in out.splitlines() if "skipped" in line and not line.startswith("articles")]
    assert len(skipped) == 1 and "x.txt\\n  skipped forged.txt: fake\\u202e: empty file" in skipped[0]


def test_uploads_share_the_limit_and_keep_the_good_files(shared_data, db_url):
    files = [("good.txt", good_text(0).encode()), ("huge.txt", b"word " * (MAX_BYTES // 5 + 1)),
             ("deep.json", b"[" * 100_000), ("wide.txt", good_text(1).encode("utf-16")),
             ("batch.jsonl", (json.dumps({"text": good_text(2)}) + "\n{oops\n").encode())]
    summary = ingest_uploads(files, EventStore(db_url), shared_data)
    assert stored_articles(db_url) == 3
    found = reasons(summary)
    assert found["huge.txt"] == f"too large: {MAX_BYTES + 5} bytes (limit {MAX_BYTES})"
    assert "JSON" in found["deep.json"] and found["batch.jsonl:2"].startswith("malformed JSON")
    with pytest.raises(ValueError, match="too large"):
        check_size("x.html", MAX_BYTES + 1)


def test_the_same_files_one_by_one_add_nothing_after_the_folder(shared_data, tmp_path, db_url):
    samples = Path(__file__).resolve().parent.parent / "samples"
    store = EventStore(db_url)
    first = ingest_paths([samples], store, shared_data)
    assert first.new >= 12 and first.skipped == []
    before = store.version()
    for path in sorted(samples.iterdir()):
        assert ingest_paths([path], store, shared_data).new == 0, path.name
    assert store.version() == before


# The peak is the process's own VmHWM: ru_maxrss would include the parent's size, recorded at exec.
_MEASURE = """
import re, sys
from pathlib import Path
from events.load import iter_path
chunks = [(len(c.articles), c.chars, len(c.errors)) for c in iter_path(sys.argv[1])]
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))
print(sum(n for n, _, _ in chunks), max(chars for _, chars, _ in chunks), sum(e for _, _, e in chunks),
      peak_kb // 1024)
"""


def test_a_200_mb_jsonl_is_read_in_bounded_chunks(tmp_path):
    """50 records of 4 MB: read one line at a time and handed on in chunks, so the loader's memory
    stays far below the file's size (the whole-file reader went over 1 GB)."""
    paragraph = "Officials said that fighting continued near the district centre in Kunduz province. " * 8
    path = tmp_path / "big.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(50):
            lines = (f"Record {i} paragraph {j}: {paragraph}" for j in range(5800))
            handle.write(json.dumps({"text": "\n".join(lines)}) + "\n")
    assert path.stat().st_size > 200_000_000
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent,
                         env={**os.environ, "PYTHONPATH": "."})
    articles, largest_chunk, errors, peak_mb = map(int, out.stdout.split())
    assert (articles, errors) == (50, 0)
    assert largest_chunk < CHUNK_CHARS + 5_000_000
    assert peak_mb < 400, f"peak memory {peak_mb} MB"
