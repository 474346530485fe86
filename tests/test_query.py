"""The event filter shared by the dashboard and the command line: SQL in SQLite and PostgreSQL, checked
on known rows and against a plain Python reading of the same rules on random filters."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from events.query import EventFilter, place_codes
from events.view_query import EventView, Summary, summary
from tests.dashboard_fixtures import store_rows

# event_id, date, type, sub-type, actor1, actor2, admin1, adm1, admin2, adm2, precision, evidence, title
ROWS = [
    ("a", date(2021, 1, 5), "Battles", "Armed clash", "Taliban", "Afghan Army", "Kabul", "AF01", "Paghman",
     "AF0102", 1, "Clashes in Paghman overnight.", "Paghman fighting"),
    ("b", date(2021, 2, 10), "Protests", "Peaceful protest", "Protesters", "", "Hirat", "AF32", "Hirat",
     "AF3201", 3, "Students marched.", "Herat march"),
    ("c", date(2021, 3, 15), "Battles", "Armed clash", "Afghan Army", "ISKP", "Kunduz", "AF19", "Kunduz",
     "AF1901", 2, "Heavy fighting near the airport.", "Kunduz"),
    ("d", None, "Explosions/Remote violence", "Suicide bomb", "ISKP", "", "Kabul", "AF01", None, None,
     4, "A bomber struck 100% of_the gate.", "Kabul blast"),
]
NAMES = ["event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "admin1",
         "adm1_pcode", "admin2", "adm2_pcode", "geo_precision", "evidence"]


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request, db_url):
    return request.getfixturevalue("postgres_url") if request.param == "postgresql" else db_url


@pytest.fixture()
def view(any_url) -> EventView:
    rows = [dict(zip(NAMES, row[:-1], strict=True)) | {"fatalities": i} for i, row in enumerate(ROWS)]
    return EventView(store_rows(any_url, rows, titles={row[0]: row[-1] for row in ROWS}))


def ids(view, **spec):
    return sorted(view.rows(EventFilter(**spec))["event_id"])


def test_empty_filter_keeps_everything(view):
    assert ids(view) == ["a", "b", "c", "d"]


def test_date_range_is_inclusive_and_drops_undated_unless_asked(view):
    assert ids(view, start=date(2021, 2, 10), end=date(2021, 3, 15)) == ["b", "c"]
    assert ids(view, start=date(2021, 3, 1)) == ["c"]
    assert ids(view, end=date(2021, 1, 5)) == ["a"]
    assert ids(view, start=date(2021, 2, 10), end=date(2021, 3, 15), undated=True) == ["b", "c", "d"]
    assert ids(view, event_types=["Battles"], undated=True) == ["a", "c"]   # no range: nothing to widen


def test_reversed_range_is_refused():
    with pytest.raises(ValueError, match="after the end date"):
        EventFilter(start=date(2021, 3, 1), end=date(2021, 1, 1))


def test_types_and_sub_types(view):
    assert ids(view, event_types=["Battles"]) == ["a", "c"]
    assert ids(view, event_types=["Battles", "Protests"], sub_event_types=["Peaceful protest"]) == ["b"]


def test_actor_matches_either_side(view):
    assert ids(view, actors=["ISKP"]) == ["c", "d"]
    assert ids(view, actors=["Afghan Army"]) == ["a", "c"]


def test_units_by_name_or_pcode_any_case(view):
    assert ids(view, admin1=["kabul"]) == ["a", "d"]
    assert ids(view, admin1=["AF19"]) == ["c"]
    assert ids(view, admin2=["af0102"]) == ["a"]
    assert ids(view, admin1=["Kabul"], admin2=["Paghman"]) == ["a"]
    assert ids(view, admin1=["Herat"]) == ["b"]            # COD's Hirat, by the sound key


def test_max_precision(view):
    assert ids(view, max_precision=2) == ["a", "c"]


def test_free_text_searches_evidence_and_title_literally(view):
    assert ids(view, text="  AIRPORT ") == ["c"]
    assert ids(view, text="herat") == ["b"]                 # in the article's title only
    assert ids(view, text="(") == []
    assert ids(view, text="100%") == ["d"] and ids(view, text="f_t") == ["d"]   # % and _ are literal
    assert ids(view, text="0%") == ["d"] and ids(view, text="1%0") == []


def test_conditions_combine(view):
    assert ids(view, event_types=["Battles"], admin1=["Kabul"], start=date(2021, 1, 1)) == ["a"]


def test_aggregates_and_rows(view):
    totals = view.unit_totals(EventFilter(admin1=["Kabul"]))
    assert summary(totals) == Summary(events=2, fatalities=3, provinces=1, districts=1, province_only=1,
                                      country_only=0)
    days = view.daily(EventFilter())
    assert days["events"].sum() == 3                        # the undated event is not on a day
    assert list(view.rows(EventFilter(), limit=2)["event_id"]) == ["b", "c"]   # the latest two, in order
    sample, located = view.sample(EventFilter(), 2)
    assert located == 0 and sample.empty                    # the rows have no coordinates
    assert view.counts_without_each(EventFilter(event_types=["Protests"], admin1=["Kabul"])) == {
        "event_types": 2, "admin1": 1}


def test_place_codes_resolve_names_through_the_normaliser():
    units = [("Hilmand", "AF30"), ("Hirat", "AF32"), ("Paktya", "AF13"), ("Lashkargah", "AF3001")]
    assert place_codes(["Helmand"], units) == {"HELMAND", "AF30"}
    assert place_codes(["Lashkar Gah"], units) >= {"AF3001"}
    assert place_codes(["Paktia"], units) >= {"AF13"}
    assert place_codes(["Kandahar"], units) == {"KANDAHAR"}


# ---- random filters against a plain reading of the rules ---------------------------------------------

TYPES = ["Battles", "Protests", "Riots"]
ACTORS = ["Taliban", "ISKP", "Army", ""]
UNITS = [("AF01", "Kabul", "AF0101", "Kabul"), ("AF01", "Kabul", "AF0102", "Paghman"),
         ("AF30", "Hilmand", "AF3001", "Lashkargah"), ("AF32", "Hirat", "AF3201", "Hirat"), (None,) * 4]
WORDS = ["clash", "Airport", "march", "blast"]


def random_rows(rng: random.Random, n: int) -> list[dict]:
    rows = []
    for i in range(n):
        p1, n1, p2, n2 = rng.choice(UNITS)
        rows.append(dict(
            event_id=f"r{i}",
            event_date=rng.choice([None, date(2021, 1, 1) + timedelta(days=rng.randrange(60))]),
            event_type=rng.choice(TYPES), sub_event_type=rng.choice(["x", "y"]), actor1=rng.choice(ACTORS),
            actor2=rng.choice(ACTORS), adm1_pcode=p1, admin1=n1, adm2_pcode=p2, admin2=n2,
            geo_precision=rng.choice([None, 1, 3, 5]), evidence=" ".join(rng.sample(WORDS, 2)),
            fatalities=rng.choice([None, 0, 2])))
    return rows


def random_filter(rng: random.Random) -> EventFilter:
    start = date(2021, 1, 1) + timedelta(days=rng.randrange(60))
    pick = rng.random
    return EventFilter(
        start=start if pick() < 0.3 else None,
        end=start + timedelta(days=rng.randrange(30)) if pick() < 0.3 else None,
        event_types=rng.sample(TYPES, rng.randint(1, 2)) if pick() < 0.3 else [],
        sub_event_types=["x"] if pick() < 0.2 else [],
        actors=rng.sample(ACTORS[:3], 1) if pick() < 0.3 else [],
        admin1=[rng.choice(["Kabul", "helmand", "AF32", "Nowhere"])] if pick() < 0.3 else [],
        admin2=[rng.choice(["Paghman", "Lashkar Gah", "af3201"])] if pick() < 0.2 else [],
        max_precision=rng.choice([1, 3]) if pick() < 0.3 else None,
        text=rng.choice(["airport", "MARCH", "q"]) if pick() < 0.2 else "", undated=pick() < 0.3)


# the place names each value stands for (by hand, not through the normaliser)
SPELLINGS = {"kabul": {"AF01"}, "helmand": {"AF30"}, "af32": {"AF32"}, "nowhere": set(),
             "paghman": {"AF0102"}, "lashkar gah": {"AF3001"}, "af3201": {"AF3201"}}


def reference(row: dict, spec: EventFilter) -> bool:
    """The filter's rules read plainly, one row at a time."""
    day = row["event_date"]
    in_range = ((not spec.start or (day is not None and day >= spec.start))
                and (not spec.end or (day is not None and day <= spec.end)))
    return all((
        in_range or (day is None and spec.undated),
        not spec.event_types or row["event_type"] in spec.event_types,
        not spec.sub_event_types or row["sub_event_type"] in spec.sub_event_types,
        not spec.actors or row["actor1"] in spec.actors or row["actor2"] in spec.actors,
        not spec.admin1 or row["adm1_pcode"] in set().union(*(SPELLINGS[v.lower()] for v in spec.admin1)),
        not spec.admin2 or row["adm2_pcode"] in set().union(*(SPELLINGS[v.lower()] for v in spec.admin2)),
        not spec.max_precision or (row["geo_precision"] is not None
                                   and row["geo_precision"] <= spec.max_precision),
        not spec.text or spec.text.lower() in row["evidence"].lower() or spec.text.lower() in "synthetic",
    ))


def test_random_filters_match_the_plain_reading(any_url):
    rng = random.Random(20261125)
    rows = random_rows(rng, 300)
    view = EventView(store_rows(any_url, rows, titles={r["event_id"]: "synthetic" for r in rows}))
    checked = 0
    for _ in range(120):
        spec = random_filter(rng)
        expected = sorted(r["event_id"] for r in rows if reference(r, spec))
        assert ids(view, **spec.__dict__) == expected, spec
        totals = view.unit_totals(spec)
        assert totals["events"].sum() == len(expected), spec
        kept = set(expected)
        assert totals["fatalities"].sum() == sum(r["fatalities"] or 0 for r in rows if r["event_id"] in kept)
        checked += bool(expected)
    assert checked > 30   # most random filters leave something to compare


def test_probable_repeats_are_the_same_type_place_date_and_killed_figure(any_url):
    def row(event_id, fatalities, kind="Explosions/Remote violence", adm2="AF1901", day=None):
        return dict(event_id=event_id, event_date=day, event_type=kind, adm1_pcode="AF19", admin1="Kunduz",
                    adm2_pcode=adm2, admin2="Kunduz" if adm2 else None, fatalities=fatalities)
    view = EventView(store_rows(any_url, [
        row("a", 151), row("b", 151), row("c", 151),   # one mosque bombing told by three undated reports
        row("d", 50), row("e", 151, kind="Battles"),           # another figure; another type
        row("f", 151, adm2=None), row("g", 151, day=date(2021, 10, 8)),   # placed only by province; dated
        row("h", None), row("i", None)]))                      # no figure: never a repeat
    assert view.probable_repeats(EventFilter()) == (2, 302)
    assert view.probable_repeats(EventFilter(event_types=["Battles"])) == (0, 0)


def test_a_download_is_named_for_its_places_and_dates():
    assert EventFilter().file_stem() == "events"
    assert EventFilter(admin1=["AF19"], start=date(2021, 8, 1), end=date(2021, 10, 31)).file_stem() == \
        "events_AF19_2021-08-01_2021-10-31"
    assert EventFilter(admin1=["AF19"], admin2=["Imam Sahib"], start=date(2021, 8, 1)).file_stem() == \
        "events_ImamSahib_2021-08-01_end"
