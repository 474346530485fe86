"""The event filter shared by the dashboard and the command line."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from events.model import EXPORT_COLUMNS
from events.query import EventFilter, apply_filter

# event_id, date, type, sub-type, actor1, actor2, admin1, adm1, admin2, adm2, precision, evidence, title
ROWS = [
    ("a", "2021-01-05", "Battles", "Armed clash", "Taliban", "Afghan Army", "Kabul", "AF01", "Paghman",
     "AF0102", 1, "Clashes in Paghman overnight.", "Paghman fighting"),
    ("b", "2021-02-10", "Protests", "Peaceful protest", "Protesters", None, "Hirat", "AF32", "Hirat",
     "AF3201", 3, "Students marched.", "Herat march"),
    ("c", "2021-03-15", "Battles", "Armed clash", "Afghan Army", "ISKP", "Kunduz", "AF19", "Kunduz", "AF1901",
     2, "Heavy fighting near the airport.", "Kunduz"),
    ("d", None, "Explosions/Remote violence", "Suicide bomb", "ISKP", None, "Kabul", "AF01", None, None,
     4, "A bomber struck.", "Kabul blast"),
]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    table = pd.DataFrame({c: None for c in EXPORT_COLUMNS + ["title"]}, index=range(len(ROWS)))
    names = ["event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "admin1",
             "adm1_pcode", "admin2", "adm2_pcode", "geo_precision", "evidence", "title"]
    for column, values in zip(names, zip(*ROWS, strict=True), strict=True):
        table[column] = list(values)
    table["event_date"] = pd.to_datetime(table["event_date"])
    return table


def ids(frame, **spec):
    return sorted(apply_filter(frame, EventFilter(**spec))["event_id"])


def test_empty_filter_keeps_everything(frame):
    assert ids(frame) == ["a", "b", "c", "d"]


def test_date_range_is_inclusive_and_drops_undated(frame):
    assert ids(frame, start=date(2021, 2, 10), end=date(2021, 3, 15)) == ["b", "c"]
    assert ids(frame, start=date(2021, 3, 1)) == ["c"]
    assert ids(frame, end=date(2021, 1, 5)) == ["a"]


def test_reversed_range_is_refused(frame):
    with pytest.raises(ValueError, match="after the end date"):
        ids(frame, start=date(2021, 3, 1), end=date(2021, 1, 1))


def test_types_and_sub_types(frame):
    assert ids(frame, event_types=["Battles"]) == ["a", "c"]
    assert ids(frame, event_types=["Battles", "Protests"], sub_event_types=["Peaceful protest"]) == ["b"]


def test_actor_matches_either_side(frame):
    assert ids(frame, actors=["ISKP"]) == ["c", "d"]
    assert ids(frame, actors=["Afghan Army"]) == ["a", "c"]


def test_units_by_name_or_pcode_any_case(frame):
    assert ids(frame, admin1=["kabul"]) == ["a", "d"]
    assert ids(frame, admin1=["AF19"]) == ["c"]
    assert ids(frame, admin2=["af0102"]) == ["a"]
    assert ids(frame, admin1=["Kabul"], admin2=["Paghman"]) == ["a"]


def test_max_precision(frame):
    assert ids(frame, max_precision=2) == ["a", "c"]


def test_free_text_searches_evidence_and_title_literally(frame):
    assert ids(frame, text="  AIRPORT ") == ["c"]
    assert ids(frame, text="herat") == ["b"]
    assert ids(frame, text="(") == []


def test_conditions_combine(frame):
    assert ids(frame, event_types=["Battles"], admin1=["Kabul"], start=date(2021, 1, 1)) == ["a"]
