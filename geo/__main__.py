"""Command line for data files: ``python -m geo fetch [--from PATH] [--data-dir DIR] [--api URL]
[--mirror URL]``.

Boundaries first (download geoBoundaries, or import a folder), then the COD-AB zips and gazetteer
files from their public sources (``geo.fetch.DATA_FILES``); a file that cannot be fetched is named
with what the program does without it.  Exit status 1 only when no boundaries are usable.
"""
from __future__ import annotations

import argparse
import logging
import sys

import config
from geo.boundaries import BoundaryError, find_source, load_districts, load_provinces
from geo.fetch import API_URL, TIMEOUT, FetchError, fetch_data_files, fetch_geoboundaries, import_folder


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failure)."""
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    fetch = commands.add_parser("fetch", help="download geoBoundaries AFG ADM1/ADM2 (or import a local "
                                              "folder), then the COD-AB zips and gazetteer files")
    fetch.add_argument("--from", dest="source", metavar="PATH",
                       help="import boundary files from this folder instead of downloading")
    fetch.add_argument("--data-dir", help=f"data folder (default: ${config.DATA_DIR_ENV} or shapefiles/)")
    fetch.add_argument("--api", default=API_URL,
                       help="geoBoundaries API folder for AFG (default: %(default)s)")
    fetch.add_argument("--mirror", metavar="URL",
                       help="fetch the COD-AB and gazetteer files from URL/<path in the data folder>")
    fetch.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per connection/read")
    fetch.add_argument("--quiet", action="store_true", help="no progress bar")
    fetch.add_argument("--if-missing", action="store_true",
                       help="do not download boundaries when the data folder already holds boundary files")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.if_missing and _present(args.data_dir):
            print(f"boundary files already present in {config.data_dir(args.data_dir) / 'boundaries'}")
        elif args.source:
            _report_written(import_folder(args.source, args.data_dir))
        else:
            _report_written(fetch_geoboundaries(args.data_dir, api=args.api, timeout=args.timeout,
                                                progress=not args.quiet))
    except FetchError as exc:   # the files below may still give usable boundaries
        print(f"error: {exc}", file=sys.stderr)
    for status in fetch_data_files(args.data_dir, mirror=args.mirror, timeout=args.timeout,
                                   progress=not args.quiet):
        print(status)
    try:
        provinces, districts = load_provinces(args.data_dir), load_districts(args.data_dir)
        source = find_source(args.data_dir).kind
    except BoundaryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"boundaries ready: {len(provinces)} provinces, {len(districts)} districts ({source}) "
          f"in {config.data_dir(args.data_dir) / 'boundaries'}")
    return 0


def _report_written(files) -> None:
    for path in files:
        print(f"wrote {path}")


def _present(data_dir) -> bool:
    try:
        find_source(data_dir)
    except BoundaryError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
