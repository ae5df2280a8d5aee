"""Calendar days, weeks and months on the user's clock (``domain.calendar``), exact at
the edges where the clock jumps or goes back across midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st

from mansioni.domain.calendar import (
    calendar_spans,
    day_bounds,
    key_day,
    local_date,
    next_unit,
    unit_bounds,
    unit_days,
    unit_key,
    unit_start,
    whole_units,
)

#: Zones whose clocks change at midnight, by half an hour, or skipped a whole day.
ZONES = [
    "Europe/Rome",
    "America/Havana",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/St_Johns",
    "Asia/Tehran",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "Africa/Casablanca",
    "UTC",
]
DAYS = st.dates(min_value=date(1980, 1, 1), max_value=date(2037, 12, 31))
UNITS = st.sampled_from(["day", "week", "month"])


def iso(instant: int, zone: str) -> str:
    return datetime.fromtimestamp(instant, ZoneInfo(zone)).isoformat()


@given(day=DAYS, unit=UNITS, zone=st.sampled_from(ZONES))
@example(day=date(2011, 12, 30), unit="day", zone="Pacific/Apia")  # a day that never was
@example(day=date(2026, 11, 1), unit="month", zone="America/Havana")
@example(day=date(1992, 10, 11), unit="day", zone="America/Santiago")
def test_a_unit_runs_from_the_first_instant_of_its_first_day_to_that_of_the_next(day, unit, zone):
    tz = ZoneInfo(zone)
    lo, hi = unit_bounds(day, unit, tz)
    first, following = unit_start(day, unit), next_unit(day, unit)
    assert lo <= hi  # empty only for a day the clock skipped
    # the first instant whose date is the unit's first day or later, to the second
    assert local_date(lo, tz) >= first > local_date(lo - 1, tz)
    assert local_date(hi, tz) >= following > local_date(hi - 1, tz)
    assert unit_days(day, unit) == (first, following - timedelta(days=1))
    assert unit_start(day, unit) <= day < following


@given(day=DAYS, unit=UNITS)
def test_a_units_key_names_its_first_day(day, unit):
    assert key_day(unit_key(day, unit), unit) == unit_start(day, unit)


def test_a_month_begins_at_the_first_midnight_when_the_clock_goes_back_at_one():
    """Havana, 1 November 2026: at 01:00 the clock goes back to 00:00. The month begins
    at the first 00:00, not the second (a library taking the later one loses an hour)."""
    havana = ZoneInfo("America/Havana")
    lo, _hi = unit_bounds(date(2026, 11, 19), "month", havana)
    assert iso(lo, "America/Havana") == "2026-11-01T00:00:00-04:00"
    assert local_date(lo - 1, havana) == date(2026, 10, 31)


def test_a_day_begins_where_the_clock_jumps_over_its_midnight():
    """Santiago, 11 October 1992: at midnight the clock jumped to 01:00."""
    santiago = ZoneInfo("America/Santiago")
    lo, hi = day_bounds(date(1992, 10, 11), santiago)
    assert iso(lo, "America/Santiago") == "1992-10-11T01:00:00-03:00"
    assert hi - lo == 23 * 3600


def test_a_day_that_never_was_is_empty_and_its_week_still_whole():
    """Apia skipped 30 December 2011: the clock went from the 29th to the 31st."""
    apia = ZoneInfo("Pacific/Apia")
    lo, hi = day_bounds(date(2011, 12, 30), apia)
    assert lo == hi
    week_lo, week_hi = unit_bounds(date(2011, 12, 30), "week", apia)
    assert week_hi - week_lo == 6 * 86_400


def test_calendar_spans_cut_a_period_into_its_units():
    rome = ZoneInfo("Europe/Rome")
    lo = int(datetime(2026, 10, 20, tzinfo=UTC).timestamp())
    hi = int(datetime(2026, 11, 10, tzinfo=UTC).timestamp())
    spans = calendar_spans(rome, lo, hi, "week")
    assert (spans[0][0], spans[-1][1]) == (lo, hi)
    assert all(a < b for a, b, _key in spans)
    assert [key_day(key, "week") for _a, _b, key in spans] == [
        date(2026, 10, 19),
        date(2026, 10, 26),
        date(2026, 11, 2),
        date(2026, 11, 9),
    ]


def test_whole_units_are_those_inside_the_days():
    assert whole_units(date(2026, 11, 4), date(2026, 11, 30), "week") == [
        (date(2026, 11, 9), date(2026, 11, 15)),
        (date(2026, 11, 16), date(2026, 11, 22)),
        (date(2026, 11, 23), date(2026, 11, 29)),
    ]
    assert whole_units(date(2026, 11, 1), date(2026, 11, 30), "month") == [
        (date(2026, 11, 1), date(2026, 11, 30))
    ]
    assert whole_units(date(2026, 11, 2), date(2026, 12, 30), "month") == []
