"""Reading the event store for a view (an ``EventFilter``): everything is asked of the database, so the
page and the exports cost what the answer costs, not what the store holds.

Exact answers: per-unit totals (events, fatalities; the summary line, the choropleth and the top
districts come from them), per-day-and-type counts (timeline and charts), the sidebar's choices, and
the rows themselves -- a bounded page, a bounded random sample for the map, or every row in chunks for
the downloads (CSV written chunk by chunk, never one frame of every row).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, Select, func, select, union

from events.export import csv_bytes
from events.model import EXPORT_COLUMNS
from events.query import EventFilter, StoredUnits, condition, is_pcode
from events.store import EventStore, event_rows, events, typed_rows

CHUNK_ROWS = 20_000


@dataclass(frozen=True)
class Choices:
    """What the sidebar offers: stored types, sub-types by type, actors, the dated span, the total."""

    types: list[str]
    sub_types: dict[str, list[str]]
    actors: list[str]
    first: date | None
    last: date | None
    total: int
    undated: int   # events with no date: a date range leaves them out unless asked (EventFilter.undated)


@dataclass(frozen=True)
class Summary:
    events: int
    fatalities: int
    provinces: int
    districts: int
    province_only: int   # events placed in a province but no district
    country_only: int    # events placed only in Afghanistan: on no map


def summary(totals: pd.DataFrame) -> Summary:
    """The summary line's figures from ``EventView.unit_totals``."""
    no_district = totals["adm2_pcode"].isna()
    no_province = totals["adm1_pcode"].isna()
    return Summary(int(totals["events"].sum()), int(totals["fatalities"].sum()),
                   totals["adm1_pcode"].nunique(), totals["adm2_pcode"].nunique(),
                   int(totals.loc[no_district & ~no_province, "events"].sum()),
                   int(totals.loc[no_province, "events"].sum()))


class EventView:
    """Answers about the events matching a filter, from one store."""

    def __init__(self, store: EventStore):
        """A view of ``store`` as it is now: the place names it resolves are read once (make a new view
        when the store has grown; ``EventStore.version`` tells)."""
        self.store = store
        self._units: StoredUnits | None = None

    # ---- what is stored ---------------------------------------------------------------------------

    def units(self) -> StoredUnits:
        """The stored (name, pcode) pairs of provinces and districts."""
        if self._units is None:
            c = events.c
            with self.store.engine.connect() as conn:
                pairs = [tuple(conn.execute(select(name, code).where(code.is_not(None)).distinct()).all())
                         for name, code in ((c.admin1, c.adm1_pcode), (c.admin2, c.adm2_pcode))]
            self._units = StoredUnits(*pairs)
        return self._units

    def where(self, spec: EventFilter) -> ColumnElement[bool]:
        """``spec`` as SQL; the stored place names are read only when a place is given by name."""
        named = any(not is_pcode(v) for v in spec.admin1 + spec.admin2)
        return condition(spec, self.units() if named else StoredUnits())

    def choices(self) -> Choices:
        c = events.c
        with self.store.engine.connect() as conn:
            pairs = conn.execute(select(c.event_type, c.sub_event_type).distinct()).all()
            actors = conn.scalars(union(select(c.actor1.label("actor")), select(c.actor2))).all()
            first, last, total, dated = conn.execute(select(
                func.min(c.event_date), func.max(c.event_date), func.count(), func.count(c.event_date))).one()
        sub_types: dict[str, list[str]] = {}
        for kind, sub in sorted(pairs):
            sub_types.setdefault(kind, []).append(sub)
        return Choices(sorted(sub_types), sub_types, sorted(a for a in actors if a), first, last, total,
                       total - dated)

    # ---- exact aggregates ------------------------------------------------------------------------

    def unit_totals(self, spec: EventFilter) -> pd.DataFrame:
        """One row per unit with events -- a district, or a province for events placed in no district --
        with ``adm1_pcode``, ``adm2_pcode``, ``events``, ``fatalities``."""
        c = events.c
        # grouped by an expression: the database reads the narrow index instead of walking a pcode index
        query = (select(func.min(c.adm1_pcode), func.min(c.adm2_pcode), func.count(),
                        func.coalesce(func.sum(c.fatalities), 0))
                 .where(self.where(spec)).group_by(func.coalesce(c.adm2_pcode, c.adm1_pcode)))
        return self._frame(query, ["adm1_pcode", "adm2_pcode", "events", "fatalities"],
                           counts=("events", "fatalities"))

    def daily(self, spec: EventFilter) -> pd.DataFrame:
        """Dated events per (day, type): ``event_date`` (Timestamp), ``event_type``, ``events``."""
        c = events.c
        query = (select(c.event_date, c.event_type, func.count().label("events"))
                 .where(self.where(spec), c.event_date.is_not(None)).group_by(c.event_date, c.event_type))
        frame = self._frame(query, ["event_date", "event_type", "events"], counts=("events",))
        frame["event_date"] = pd.to_datetime(frame["event_date"])
        return frame

    def probable_repeats(self, spec: EventFilter) -> tuple[int, int]:
        """How many matching events, and how many fatalities, repeat an earlier stored one of the view: the
        same type, province, district, date (or both undated) and killed figure -- most likely one attack
        reported by several articles (undated reports cannot be told apart otherwise).  Events with no
        killed figure or no province are never counted as repeats."""
        c = events.c
        same = [c.event_type, c.adm1_pcode, c.adm2_pcode, c.event_date, c.fatalities]   # NULLs group together
        ranked = (select(c.fatalities, func.row_number().over(partition_by=same, order_by=c.event_id)
                         .label("nth"))
                  .where(self.where(spec), c.fatalities > 0, c.adm1_pcode.is_not(None)).subquery())
        with self.store.engine.connect() as conn:
            repeats, fatalities = conn.execute(
                select(func.count(), func.coalesce(func.sum(ranked.c.fatalities), 0)).where(ranked.c.nth > 1)
            ).one()
        return int(repeats), int(fatalities)

    def count(self, spec: EventFilter) -> int:
        return self._count(self.where(spec))

    def undated_left_out(self, spec: EventFilter) -> int:
        """How many undated events match ``spec``'s other filters but not its date range (0 when it has
        none, or keeps undated events)."""
        if spec.undated or not (spec.start or spec.end):
            return 0
        return self._count(self.where(spec.without_dates()) & events.c.event_date.is_(None))

    def _count(self, where: ColumnElement[bool]) -> int:
        with self.store.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(events).where(where)).scalar_one()

    def counts_without_each(self, spec: EventFilter) -> dict[str, int]:
        """For each field of ``spec`` that filters, how many events match without it, most first: what to
        tell an analyst looking at an empty view (which filter to drop to see events again)."""
        counts = {name: self.count(wider) for name, wider in spec.without_each()}
        return dict(sorted(counts.items(), key=lambda item: -item[1]))

    # ---- rows -------------------------------------------------------------------------------------

    def rows(self, spec: EventFilter, limit: int | None = None) -> pd.DataFrame:
        """The matching rows, oldest first (undated first); with ``limit``, the latest ``limit`` of them."""
        query = self._rows_query(spec)
        if limit is None:
            return self._rows(query.order_by(*_OLDEST_FIRST))
        latest = self._rows(query.order_by(*(o.desc().nulls_last() for o in _ORDER)).limit(limit))
        return latest.iloc[::-1].reset_index(drop=True)

    def sample(self, spec: EventFilter, n: int, whole_rows: int = 0) -> tuple[pd.DataFrame, int]:
        """At most ``n`` matching events with coordinates, at random when there are more, and how many
        match.  Points (latitude, longitude, event_type, geo_precision: read from the narrow index) -- or
        whole rows when
        every matching event fits in ``whole_rows`` (for the map's popups)."""
        c = events.c
        located = self.where(spec) & c.latitude.is_not(None) & c.longitude.is_not(None)
        points = self._frame(select(c.latitude, c.longitude, c.event_type, c.geo_precision).where(located)
                             .order_by(func.random()).limit(n),
                             ["latitude", "longitude", "event_type", "geo_precision"])
        total = len(points) if len(points) < n else self._count(located)
        if total <= whole_rows:
            points = self._rows(self._rows_query(None).where(located))
        return points, total

    def chunks(self, spec: EventFilter, size: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
        """Every matching row, oldest first, ``size`` rows at a time (the database streams them)."""
        query = self._rows_query(spec).order_by(*_OLDEST_FIRST)
        with self.store.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=size).execute(query)
            for part in result.mappings().partitions():
                yield typed_rows(pd.DataFrame(part, columns=list(result.keys())))

    def csv_chunks(self, spec: EventFilter, size: int = CHUNK_ROWS) -> Iterator[bytes]:
        """The CSV export (``events.export.csv_bytes``: formula-safe) of every matching row, in pieces:
        the header once, then each chunk's rows."""
        header = True
        for frame in self.chunks(spec, size):
            data = csv_bytes(frame)
            yield data if header else data[data.index(b"\n") + 1:]
            header = False
        if header:   # no row: the header alone
            yield csv_bytes(pd.DataFrame(columns=EXPORT_COLUMNS))

    # ---- helpers ------------------------------------------------------------------------------------

    def _rows_query(self, spec: EventFilter | None) -> Select:
        return event_rows() if spec is None else event_rows().where(self.where(spec))

    def _rows(self, query: Select) -> pd.DataFrame:
        with self.store.engine.connect() as conn:
            result = conn.execute(query)
            return typed_rows(pd.DataFrame(result.mappings().all(), columns=list(result.keys())))

    def _frame(self, query: Select, columns: list[str], counts: tuple[str, ...] = ()) -> pd.DataFrame:
        """The query's rows; ``counts`` columns as integers, also when no row matches (an empty frame's
        columns would be objects, which sorting and ranking refuse)."""
        with self.store.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).all(), columns=columns)
        return frame.astype({column: "int64" for column in counts})


_ORDER = (events.c.event_date, events.c.event_id)
_OLDEST_FIRST = (events.c.event_date.asc().nulls_first(), events.c.event_id)

