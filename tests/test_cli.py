"""The command line and the pipeline end to end, on the seed article and small batches."""
from __future__ import annotations

import csv
import json
import shutil

from events.cli import main
from events.evaluate import evaluate
from events.pipeline import extract_all, ingest_paths
from events.store import EventStore
from geo.geocode import Geocoder


def test_ingest_export_stats(shared_data, tmp_path, db_url, capsys):
    seed = next((shared_data / "articles" / "seed").glob("*.txt"))
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed, folder / "a.txt")
    shutil.copy(seed, folder / "copy.txt")
    (folder / "empty.txt").write_text("")
    assert main(["ingest", str(folder), "--db", db_url, "--data-dir", str(shared_data)]) == 0
    out = capsys.readouterr().out
    assert "articles read 2, new 1, duplicate 1, skipped 1" in out and "empty file" in out
    stored = EventStore(db_url).count()
    assert stored >= 3
    assert main(["ingest", str(folder), "--db", db_url, "--data-dir", str(shared_data)]) == 0
    assert EventStore(db_url).count() == stored
    target = tmp_path / "out.csv"
    assert main(["export", "--db", db_url, "--format", "csv", "--from", "2015-04-01", "--to", "2015-04-30",
                 "--type", "Battles", "--out", str(target)]) == 0
    rows = list(csv.DictReader(target.open()))
    assert rows and all(r["event_type"] == "Battles" and r["event_date"].startswith("2015-04") for r in rows)
    geo = tmp_path / "out.geojson"
    assert main(["export", "--db", db_url, "--format", "geojson", "--admin1", "Kunduz",
                 "--out", str(geo)]) == 0
    assert all(f["properties"]["admin1"] == "Kunduz" for f in json.loads(geo.read_text())["features"])
    district = tmp_path / "district.csv"   # the dashboard's district, actor and undated filters too
    assert main(["export", "--db", db_url, "--admin2", "Imam Sahib", "--actor", "Taliban", "--from",
                 "2015-04-01", "--undated", "--out", str(district)]) == 0
    rows = list(csv.DictReader(district.open()))
    assert rows and all(r["admin2"] == "Imam Sahib" and "Taliban" in (r["actor1"], r["actor2"]) for r in rows)
    capsys.readouterr()
    assert main(["stats", "--db", db_url]) == 0
    assert "Kunduz" in capsys.readouterr().out


def test_workers_give_the_same_events(shared_data):
    corpus = shared_data / "articles" / "tehrantimes-afghanistan" / "articles.jsonl"
    lines = corpus.read_text().splitlines()[:150]
    from events.load import article_from_record
    articles = [article_from_record(json.loads(line)) for line in lines]
    one = extract_all(articles, shared_data, workers=1)
    two = extract_all(articles, shared_data, workers=2)
    assert ([[e.event_id for e in found] for _, found in one]
            == [[e.event_id for e in found] for _, found in two])


def test_evaluate_scores_a_small_gold_file(shared_data):
    lines = [
        {"text": "KABUL, Afghanistan (March 3, 2012)\nAn Afghan and coalition force killed two insurgents in "
                 "Sangin district, Helmand province, yesterday.",
         "gold": {"event_date": "2012-03-02", "adm1_pcode": "AF30", "adm2_pcode": "AF3008", "killed": 2,
                  "captured": 0}},
        {"text": "KABUL, Afghanistan (March 3, 2012)\n"
                 "Police detained three suspects in Herat province today.",
         "gold": {"event_date": "2012-03-03", "adm1_pcode": "AF13", "adm2_pcode": None, "killed": 0,
                  "captured": 3}},
        {"text": "Staff were threatened.",
         "gold": {"event_date": None, "adm1_pcode": "AF01", "adm2_pcode": None, "killed": 0, "captured": 0}},
    ]
    result = evaluate(lines, Geocoder.from_config(shared_data))
    assert result["n"] == 3
    assert result["province"] == {"precision": 0.5, "recall": 0.3333, "n_gold": 3}
    assert result["district"] == {"precision": 1.0, "recall": 1.0, "n_gold": 1}
    assert result["event_date"] == {"accuracy": 1.0, "n_gold": 2}
    assert result["killed"]["accuracy"] == 1.0 and result["captured"]["accuracy"] == 1.0


def test_ingest_paths_reports_missing_input(db_url, shared_data):
    summary = ingest_paths(["/no/such/file.txt"], EventStore(db_url), shared_data)
    assert summary.read == 0 and summary.skipped[0][1] == "no such file or folder"


def test_export_rejects_reversed_dates(tmp_path, db_url, capsys):
    target = tmp_path / "out.csv"
    try:
        main(["export", "--db", db_url, "--from", "2015-05-01", "--to", "2015-04-01", "--out", str(target)])
    except SystemExit as stop:
        assert stop.code == 2
    else:
        raise AssertionError("reversed dates were accepted")
    assert "is after --to" in capsys.readouterr().err and not target.exists()


def test_ingest_and_export_on_postgresql(shared_data, postgres_url, tmp_path):
    seed = next((shared_data / "articles" / "seed").glob("*.txt"))
    assert main(["ingest", str(seed), "--db", postgres_url, "--data-dir", str(shared_data)]) == 0
    assert main(["ingest", str(seed), "--db", postgres_url, "--data-dir", str(shared_data)]) == 0
    stored = EventStore(postgres_url).count()
    target = tmp_path / "out.csv"
    assert main(["export", "--db", postgres_url, "--admin1", "Kunduz", "--out", str(target)]) == 0
    rows = list(csv.DictReader(target.open()))
    assert stored >= 3 and len(rows) >= 3 and all(r["admin1"] == "Kunduz" for r in rows)


def test_missing_boundaries_give_a_clear_error(tmp_path, db_url, capsys):
    from events.evaluate import main as evaluate_main
    empty = tmp_path / "nodata"
    empty.mkdir()
    (tmp_path / "a.txt").write_text("Police detained two suspects in Herat province today.", encoding="utf-8")
    assert main(["ingest", str(tmp_path / "a.txt"), "--db", db_url, "--data-dir", str(empty)]) == 2
    assert evaluate_main([str(tmp_path / "a.txt"), "--data-dir", str(empty)]) == 2
    assert capsys.readouterr().err.count("error: ") == 2 and EventStore(db_url).count() == 0


def _news(id_, text, events):
    return {"id": id_, "title": "", "url": f"https://example.org/{id_}", "text": text,
            "gold": {"incident_article": bool(events), "events": events}}


def _gold(adm1, current=True, unsure=False, in_afghanistan=True):
    return {"evidence": "", "what": "", "in_afghanistan": in_afghanistan, "current": current, "adm1": adm1,
            "adm2": None, "event_type": "Battles", "fatalities": None, "injured": None, "detained": None,
            "unsure": unsure}


def test_evaluate_scores_news_through_a_real_ingest(shared_data):
    lines = [
        _news("a", "Insurgents killed four policemen in Kunduz province on Monday. "
                   "A bomb killed two soldiers in Helmand province on Tuesday.",
              [_gold("Kunduz"), _gold("Hilmand")]),
        _news("b", "Gunmen killed three guards in Herat province on Monday.", [_gold("Hirat", unsure=True)]),
        _news("c", "The minister said talks would go on.", []),
        _news("d", "A rocket attack killed five people in Kabul on Sunday.", [_gold("Kabul", current=False)]),
        _news("e", "Officials met in Tehran to discuss trade.", [_gold(None, in_afghanistan=False)]),
    ]
    result = evaluate(lines, Geocoder.from_config(shared_data), shared_data)
    # stored pairs: a/AF19, a/AF30, b/AF32 (unsure: right, not required), d/AF01 (history: wrong)
    assert result["news"] == {"pair_precision": 0.75, "pair_recall": 1.0, "row_precision": 0.75,
                              "false_alarm_rate": round(1 / 3, 4), "unplaced_share": 0.0}
