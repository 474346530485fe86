"""Command line: ``python -m events ingest|export|stats``.

Errors are one line on stderr with a non-zero status (1 failed, 2 bad usage or no boundaries);
tracebacks only with ``--debug``."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path

import config
from events.export import geojson_bytes, write_parquet
from events.extractors import SCHEDULER_ENV
from events.load import printable
from events.pipeline import ingest_paths
from events.query import EventFilter
from events.store import EventStore, StoreError
from events.taxonomy import EVENT_TYPES
from events.view_query import EventView
from geo.boundaries import BoundaryError

log = logging.getLogger("events")


class _OneLineFormatter(logging.Formatter):
    """Log records without their tracebacks (those are shown with --debug)."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None}))


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help=f"SQLAlchemy URL (default: ${config.DB_ENV} or data/events.db)")
    common.add_argument("--debug", action="store_true", help="show tracebacks and debug messages")
    parser = argparse.ArgumentParser(prog="python -m events",
                                     description="Afghanistan event map: ingest and export")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", parents=[common], help="read articles, extract events, store them")
    ingest.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    ingest.add_argument("--data-dir", help=f"data folder (default: ${config.DATA_DIR_ENV} or shapefiles/)")
    ingest.add_argument("--workers", type=int, default=1, help="local processes for extraction")
    ingest.add_argument("--scheduler", default=os.environ.get(SCHEDULER_ENV) or None,
                        metavar="tcp://HOST:PORT",
                        help=f"extract on this Dask cluster (default: ${SCHEDULER_ENV}; none: local)")
    export = commands.add_parser("export", parents=[common], help="write the stored events to a file")
    export.add_argument("--format", choices=["csv", "geojson", "parquet"], default="csv")
    export.add_argument("--from", dest="start", type=date.fromisoformat, help="first event date (YYYY-MM-DD)")
    export.add_argument("--to", dest="end", type=date.fromisoformat, help="last event date (YYYY-MM-DD)")
    export.add_argument("--type", dest="types", action="append", default=[],
                        help=f"event type (repeatable): {', '.join(EVENT_TYPES)}")
    export.add_argument("--admin1", action="append", default=[], help="province name or pcode (repeatable)")
    export.add_argument("--admin2", action="append", default=[], help="district name or pcode (repeatable)")
    export.add_argument("--actor", dest="actors", action="append", default=[],
                        help="actor, as either side (repeatable)")
    export.add_argument("--undated", action="store_true",
                        help="keep events with no date when --from/--to is given (the dashboard's tick box)")
    export.add_argument("--out", required=True, help="output file")
    commands.add_parser("stats", parents=[common], help="counts by type, province and month")
    args = parser.parse_args(argv)
    _set_up_logging(args.debug)
    if args.command == "export":
        unknown = [t for t in args.types if t not in EVENT_TYPES]
        if unknown:
            parser.error(f"unknown --type {unknown[0]!r}; the types are: {', '.join(EVENT_TYPES)}")
        if not Path(args.out).parent.is_dir():
            parser.error(f"--out {args.out}: folder {Path(args.out).parent} does not exist")
        try:
            spec = EventFilter(start=args.start, end=args.end, event_types=args.types, admin1=args.admin1,
                               admin2=args.admin2, actors=args.actors, undated=args.undated)
        except ValueError:
            parser.error(f"--from {args.start} is after --to {args.end}")
    try:
        store = EventStore(args.db, create=args.command == "ingest")
        if args.command == "ingest":
            return _ingest(args, store)
        if args.command == "export":
            return _export(args, store, spec)
        return _stats(store)
    except BoundaryError as exc:   # no boundaries to geocode against: say what to do
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (StoreError, OSError) as exc:
        print(f"error: {printable(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:   # a bug: one line here, the traceback with --debug
        log.error("failed", exc_info=True)
        print(f"error: {exc.__class__.__name__}: {printable(exc)} (run with --debug for the traceback)",
              file=sys.stderr)
        return 1


def _set_up_logging(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    formatter = logging.Formatter if debug else _OneLineFormatter
    handler.setFormatter(formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, handlers=[handler], force=True)


def _ingest(args, store: EventStore) -> int:
    summary = ingest_paths(args.inputs, store, args.data_dir, args.workers, progress=sys.stderr.isatty(),
                           scheduler=args.scheduler)
    print(summary)
    for origin, reason in summary.skipped:
        print(f"  skipped {printable(origin)}: {printable(reason)}")
    if not summary.read:
        print("error: no article could be read from the inputs", file=sys.stderr)
        return 1
    return 0


def _export(args, store: EventStore, spec: EventFilter) -> int:
    view = EventView(store)
    out = Path(args.out)
    if args.format == "csv":   # streamed from the database, chunk by chunk
        with out.open("wb") as file:
            for piece in view.csv_chunks(spec):
                file.write(piece)
        print(f"wrote {view.count(spec)} events to {out}")
        return 0
    chosen = view.rows(spec)
    if args.format == "parquet":
        write_parquet(chosen, out)
    else:
        out.write_bytes(geojson_bytes(chosen))
    print(f"wrote {len(chosen)} events to {out}")
    return 0


def _stats(store: EventStore) -> int:
    frame = store.events_frame()
    print(f"{len(frame)} events")
    if not frame.empty:
        for title, column in (("by type", frame["event_type"]),
                              ("by province", frame["admin1"].fillna("(none)")),
                              ("by month", frame["event_date"].dt.strftime("%Y-%m").fillna("(no date)"))):
            print(f"\n{title}:")
            print(column.value_counts().sort_index().to_string())
    return 0
