"""Score the pipeline against gold-labelled JSONL: ``python -m events.evaluate FILE... [--json] [--part P]``.

Two kinds of line:

* one event per document (ISAF, AWSD): ``gold`` holds adm1_pcode, adm2_pcode, event_date, killed,
  captured.  The document's answer is its primary event: the highest-confidence event, ties broken by
  text order.  Its counts are those of the operation it belongs to: all events of the article on the
  same day in the same province.  A null gold value is skipped; an event with no Afghan unit is no
  answer (it lowers recall, not precision).
* every event of a news article (``gold.events``, see eval/NEWS_GUIDE.md): the articles go through a
  real ingest into a throwaway store, and what the store holds is scored (``news.score_news``).

``--part study|score`` keeps the documents whose id hashes into that half (``split_part``): tune on the
study half, and keep a change only when the score half agrees.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys

from events.extract import extract_events
from events.load import article_from_record
from events.news_score import ratio, score_news
from geo.boundaries import BoundaryError
from geo.geocode import Geocoder

PARTS = ("study", "score")


def split_part(document_id: str) -> str:
    """The half a document belongs to, fixed by a hash of its id: "study" or "score"."""
    return PARTS[hashlib.sha256(str(document_id).encode("utf-8")).digest()[0] % 2]


def primary_event(events):
    """The highest-confidence event; the earliest in the text on ties."""
    return max(events, key=lambda e: (e.confidence, -e.evidence_start)) if events else None


def operation_counts(events, primary) -> dict[str, int]:
    """killed / captured summed over the events of the primary event's day and province."""
    province = primary.place.adm1_pcode if primary.place else None
    same = [e for e in events if e.event_date == primary.event_date
            and (e.place.adm1_pcode if e.place else None) == province]
    return {"killed": sum(e.fatalities or 0 for e in same), "captured": sum(e.detained or 0 for e in same)}


def evaluate(lines: list[dict], geocoder, data_dir=None) -> dict:
    """Scores as one dict (see module docstring); news lines are scored under the key "news"."""
    news = [line for line in lines if "events" in line.get("gold", {})]
    result = _evaluate_primary([line for line in lines if "events" not in line.get("gold", {})], geocoder)
    if news:
        result["news"] = score_news(news, data_dir)
    return result


def _evaluate_primary(lines: list[dict], geocoder) -> dict:
    tallies = {k: {"right": 0, "answered": 0, "n_gold": 0} for k in ("province", "district")}
    exact = {k: {"right": 0, "n_gold": 0} for k in ("event_date", "killed", "captured")}
    for line in lines:
        record = {"text": line["text"], "title": line.get("title", "")}
        article = article_from_record(record, origin=line.get("id", ""))
        events = extract_events(article, geocoder)
        primary = primary_event(events)
        place = primary.place if primary else None
        gold = line.get("gold", {})
        for key, field in (("province", "adm1_pcode"), ("district", "adm2_pcode")):
            if gold.get(field) is None:
                continue
            tally = tallies[key]
            tally["n_gold"] += 1
            answer = getattr(place, field) if place else None
            if answer:
                tally["answered"] += 1
                tally["right"] += answer == gold[field]
        if gold.get("event_date") is not None:
            exact["event_date"]["n_gold"] += 1
            answer = primary.event_date.isoformat() if primary and primary.event_date else None
            exact["event_date"]["right"] += answer == gold["event_date"]
        counts = operation_counts(events, primary) if primary else {"killed": 0, "captured": 0}
        for key in ("killed", "captured"):
            if gold.get(key) is not None:
                exact[key]["n_gold"] += 1
                exact[key]["right"] += counts[key] == gold[key]
    result: dict = {"n": len(lines)}
    for key, t in tallies.items():
        result[key] = {"precision": ratio(t["right"], t["answered"]),
                       "recall": ratio(t["right"], t["n_gold"]), "n_gold": t["n_gold"]}
    for key, t in exact.items():
        result[key] = {"accuracy": ratio(t["right"], t["n_gold"]), "n_gold": t["n_gold"]}
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m events.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="JSONL files with text and gold")
    parser.add_argument("--json", action="store_true", help="print one JSON object (all files together)")
    parser.add_argument("--data-dir", help="data folder with boundaries and gazetteers")
    parser.add_argument("--part", choices=PARTS,
                        help="score only this half of each file (by a hash of the id)")
    args = parser.parse_args(argv)
    try:
        geocoder = Geocoder.from_config(args.data_dir)
    except BoundaryError as exc:   # no boundaries to geocode against: say what to do
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines = []
    for path in args.files:
        with open(path, encoding="utf-8") as handle:
            for number, raw in enumerate(handle, 1):
                if raw.strip():
                    try:
                        lines.append(json.loads(raw))
                    except json.JSONDecodeError as exc:
                        print(f"{path}:{number}: skipped, not JSON ({exc})", file=sys.stderr)
    if args.part:
        lines = [line for line in lines if split_part(line.get("id", "")) == args.part]
    result = evaluate(lines, geocoder, args.data_dir)
    if args.json:
        print(json.dumps(result))
        return 0
    if result["n"]:
        print(f"documents: {result['n']}")
        print(f"{'measure':<12}{'precision':>10}{'recall':>8}{'accuracy':>10}{'n_gold':>8}")
        for key in ("province", "district", "event_date", "killed", "captured"):
            r = result[key]
            print(f"{key:<12}{_fmt(r.get('precision')):>10}{_fmt(r.get('recall')):>8}"
                  f"{_fmt(r.get('accuracy')):>10}{r['n_gold']:>8}")
    for key, value in result.get("news", {}).items():
        print(f"news {key:<20}{_fmt(value) if isinstance(value, float) else value:>8}")
    return 0


def _fmt(value) -> str:
    return "" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    sys.exit(main())
