"""Command line: ``python -m events ingest|export|stats``."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import config
from events.export import csv_bytes, geojson_bytes, write_parquet
from events.pipeline import ingest_paths
from events.query import EventFilter, apply_filter
from events.store import EventStore
from geo.boundaries import BoundaryError


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help=f"SQLAlchemy URL (default: ${config.DB_ENV} or data/events.db)")
    parser = argparse.ArgumentParser(prog="python -m events", description="Afghanistan event map: ingest and export")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", parents=[common], help="read articles, extract events, store them")
    ingest.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    ingest.add_argument("--data-dir", help=f"data folder (default: ${config.DATA_DIR_ENV} or shapefiles/)")
    ingest.add_argument("--workers", type=int, default=1, help="processes for large batches")
    export = commands.add_parser("export", parents=[common], help="write the stored events to a file")
    export.add_argument("--format", choices=["csv", "geojson", "parquet"], default="csv")
    export.add_argument("--from", dest="start", type=date.fromisoformat, help="first event date (YYYY-MM-DD)")
    export.add_argument("--to", dest="end", type=date.fromisoformat, help="last event date (YYYY-MM-DD)")
    export.add_argument("--type", dest="types", action="append", default=[], help="event type (repeatable)")
    export.add_argument("--admin1", action="append", default=[], help="province name or pcode (repeatable)")
    export.add_argument("--out", required=True, help="output file")
    commands.add_parser("stats", parents=[common], help="counts by type, province and month")
    args = parser.parse_args(argv)
    if args.command == "export":
        try:
            spec = EventFilter(start=args.start, end=args.end, event_types=args.types, admin1=args.admin1)
        except ValueError:
            parser.error(f"--from {args.start} is after --to {args.end}")
    store = EventStore(args.db)
    if args.command == "ingest":
        try:
            summary = ingest_paths(args.inputs, store, args.data_dir, args.workers, progress=sys.stderr.isatty())
        except BoundaryError as exc:   # no boundaries to geocode against: say what to do
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(summary)
        for origin, reason in summary.skipped:
            print(f"  skipped {origin}: {reason}")
        return 0
    frame = store.events_frame()
    if args.command == "export":
        chosen = apply_filter(frame, spec)
        out = Path(args.out)
        if args.format == "parquet":
            write_parquet(chosen, out)
        else:
            out.write_bytes(csv_bytes(chosen) if args.format == "csv" else geojson_bytes(chosen))
        print(f"wrote {len(chosen)} events to {out}")
        return 0
    print(f"{len(frame)} events")
    if not frame.empty:
        for title, column in (("by type", frame["event_type"]), ("by province", frame["admin1"].fillna("(none)")),
                              ("by month", frame["event_date"].dt.strftime("%Y-%m").fillna("(no date)"))):
            print(f"\n{title}:")
            print(column.value_counts().sort_index().to_string())
    return 0
