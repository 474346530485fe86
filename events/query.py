"""Filtering event rows (a DataFrame from ``EventStore.events_frame``): one function for the CLI and the dashboard."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd


@dataclass
class EventFilter:
    """What the analyst asked for; empty fields do not filter."""

    start: date | None = None
    end: date | None = None
    event_types: list[str] = field(default_factory=list)
    sub_event_types: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)      # province names or pcodes
    admin2: list[str] = field(default_factory=list)      # district names or pcodes
    max_precision: int | None = None
    text: str = ""

    def __post_init__(self):
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the start date {self.start} is after the end date {self.end}")


def apply_filter(frame: pd.DataFrame, spec: EventFilter) -> pd.DataFrame:
    """The rows matching every condition of ``spec``."""
    keep = pd.Series(True, index=frame.index)
    dates = pd.to_datetime(frame["event_date"])
    if spec.start:
        keep &= dates >= pd.Timestamp(spec.start)
    if spec.end:
        keep &= dates <= pd.Timestamp(spec.end)
    if spec.event_types:
        keep &= frame["event_type"].isin(spec.event_types)
    if spec.sub_event_types:
        keep &= frame["sub_event_type"].isin(spec.sub_event_types)
    if spec.actors:
        keep &= frame["actor1"].isin(spec.actors) | frame["actor2"].isin(spec.actors)
    if spec.admin1:
        wanted = {v.lower() for v in spec.admin1}
        keep &= frame["admin1"].str.lower().isin(wanted) | frame["adm1_pcode"].str.lower().isin(wanted)
    if spec.admin2:
        wanted = {v.lower() for v in spec.admin2}
        keep &= frame["admin2"].str.lower().isin(wanted) | frame["adm2_pcode"].str.lower().isin(wanted)
    if spec.max_precision:
        keep &= frame["geo_precision"].fillna(99) <= spec.max_precision
    if spec.text.strip():
        needle = spec.text.strip()
        keep &= (frame["evidence"].str.contains(needle, case=False, regex=False, na=False)
                 | frame["title"].str.contains(needle, case=False, regex=False, na=False))
    return frame[keep.fillna(False).astype(bool)]
