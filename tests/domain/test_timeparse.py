"""Tests for mansioni.domain.timeparse: tables of what is read and what is refused,
the DST edge cases, and properties over arbitrary input."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from mansioni.domain import timeparse
from mansioni.domain.timeparse import (
    format_duration,
    parse_bound,
    parse_day,
    parse_duration,
    parse_instant,
    parse_point,
    parse_range,
    typed_instant,
)
from mansioni.errors import InputError
from mansioni.i18n import set_language

ROME = ZoneInfo("Europe/Rome")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=ROME)  # a Friday; 14:00 UTC (CET, +01:00)
TODAY = date(2026, 11, 27)
DURATION_HINT = "45m, 1h30, 1:30, PT1H30M"

FUZZ = settings(max_examples=200, deadline=None)


@pytest.fixture(autouse=True, scope="module")
def english() -> Iterator[None]:
    """Messages are asserted in English whatever the machine's locale."""
    set_language("en")
    yield
    set_language(None)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def instant(text: str, *, now: datetime = NOW, zone: ZoneInfo = ROME, **kw: date) -> datetime:
    return parse_instant(text, now=now, zone=zone, **kw)


def span(text: str, *, now: datetime = NOW, zone: ZoneInfo = ROME) -> tuple[datetime, datetime]:
    return parse_range(text, now=now, zone=zone)


# --- parse_instant -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", utc(2026, 11, 27, 14, 0)),
        ("adesso", utc(2026, 11, 27, 14, 0)),
        ("  ORA  ", utc(2026, 11, 27, 14, 0)),
        ("9:30", utc(2026, 11, 27, 8, 30)),
        ("09:30", utc(2026, 11, 27, 8, 30)),
        ("9.30", utc(2026, 11, 27, 8, 30)),
        ("9:30:15", utc(2026, 11, 27, 8, 30, 15)),
        ("0:00", utc(2026, 11, 26, 23, 0)),
        ("23:59", utc(2026, 11, 27, 22, 59)),
        ("yesterday 17:00", utc(2026, 11, 26, 16, 0)),
        ("Ieri 17:00", utc(2026, 11, 26, 16, 0)),
        ("today 9:00", utc(2026, 11, 27, 8, 0)),
        ("oggi   9:00", utc(2026, 11, 27, 8, 0)),
        ("tomorrow 9:00", utc(2026, 11, 28, 8, 0)),
        ("domani 9:00", utc(2026, 11, 28, 8, 0)),
        # weekdays: the latest one on or before today (a Friday)
        ("friday 9:00", utc(2026, 11, 27, 8, 0)),
        ("venerdì 9:00", utc(2026, 11, 27, 8, 0)),
        ("monday 9:00", utc(2026, 11, 23, 8, 0)),
        ("lunedì 9:00", utc(2026, 11, 23, 8, 0)),
        ("LUNEDI 9:00", utc(2026, 11, 23, 8, 0)),
        ("saturday 9:00", utc(2026, 11, 21, 8, 0)),
        ("sabato 9:00", utc(2026, 11, 21, 8, 0)),
        ("domenica 9:00", utc(2026, 11, 22, 8, 0)),
        # dates
        ("2026-11-20 09:00", utc(2026, 11, 20, 8, 0)),
        ("2026-11-20T09:00", utc(2026, 11, 20, 8, 0)),
        ("2026-11-20 9:00:30", utc(2026, 11, 20, 8, 0, 30)),
        ("20/11/2026 09:00", utc(2026, 11, 20, 8, 0)),
        ("20/11 09:00", utc(2026, 11, 20, 8, 0)),
        ("2026-11-20", utc(2026, 11, 19, 23, 0)),
        ("2026-07-01 09:00", utc(2026, 7, 1, 7, 0)),  # summer time, +02:00
        # relative
        ("15m ago", utc(2026, 11, 27, 13, 45)),
        ("1h30 ago", utc(2026, 11, 27, 12, 30)),
        ("2h ago", utc(2026, 11, 27, 12, 0)),
        ("15 min ago", utc(2026, 11, 27, 13, 45)),
        ("15m fa", utc(2026, 11, 27, 13, 45)),
        ("15 minuti fa", utc(2026, 11, 27, 13, 45)),
        ("1 ora fa", utc(2026, 11, 27, 13, 0)),
        ("PT1H ago", utc(2026, 11, 27, 13, 0)),
        # explicit offsets
        ("2026-11-20T09:00:00+01:00", utc(2026, 11, 20, 8, 0)),
        ("2026-11-20T08:00Z", utc(2026, 11, 20, 8, 0)),
        ("2026-11-20t08:00z", utc(2026, 11, 20, 8, 0)),
        ("2026-11-20T09:00:00.987654+01:00", utc(2026, 11, 20, 8, 0)),
        ("2026-11-20T03:30-05:30", utc(2026, 11, 20, 9, 0)),
        ("2026-07-01T09:00+01:00", utc(2026, 7, 1, 8, 0)),  # offset wins over the zone
    ],
)
def test_parse_instant_valid(text: str, expected: datetime) -> None:
    result = instant(text)
    assert result == expected
    assert result.tzinfo is UTC
    assert result.microsecond == 0


def test_time_alone_falls_on_the_given_day() -> None:
    assert instant("9:30", day=date(2026, 11, 20)) == utc(2026, 11, 20, 8, 30)
    # a day word overrides it
    assert instant("ieri 9:30", day=date(2026, 1, 1)) == utc(2026, 11, 26, 8, 30)


def test_today_is_now_seen_in_the_zone() -> None:
    late = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # already the 28th in Rome
    assert instant("9:00", now=late) == utc(2026, 11, 28, 8, 0)
    assert instant("9:30", zone=NEW_YORK) == utc(2026, 11, 27, 14, 30)


def test_now_is_truncated_to_seconds() -> None:
    assert instant("now", now=NOW.replace(microsecond=999_999)) == utc(2026, 11, 27, 14, 0)
    assert instant("1m ago", now=NOW.replace(second=7, microsecond=5)) == utc(
        2026, 11, 27, 13, 59, 7
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "17",
        "9",
        "930",
        "9h30",
        "25:00",
        "9:60",
        "24:00",
        "yesterday",
        "someday 9:00",
        "2 days ago 9:00",
        "now please",
        "ago",
        "xyz ago",
        "-15m ago",
        "0m ago",
        "8 giorni fa",
        "2026-02-30 09:00",
        "31/02 09:00",
        "2026-13-01",
        "20/11/26 9:00",
        "2026-11-20T09:00+25:00",
        "2026-11-20T09:00+01:99",
        "0001-01-01T00:00+01:00",
        "9999-12-31T23:59-05:00",
        "9:00 yesterday",
    ],
)
def test_parse_instant_invalid(text: str) -> None:
    with pytest.raises(InputError) as info:
        instant(text)
    assert info.value.hint
    assert str(info.value)


def test_unknown_instant_names_the_text_and_shows_examples() -> None:
    with pytest.raises(InputError) as info:
        instant("  bogus o'clock ")
    assert "bogus o'clock" in str(info.value)
    for sample in ("9:30", "yesterday 17:00", "2026-11-20 09:00", "15m ago"):
        assert sample in info.value.hint


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        instant("9:00", now=datetime(2026, 11, 27, 15, 0))


# --- DST ----------------------------------------------------------------------------


def test_spring_forward_gap_is_refused_with_unambiguous_forms() -> None:
    with pytest.raises(InputError) as info:
        instant("2025-03-30 02:30")
    message, hint = str(info.value), info.value.hint
    assert "02:30" in message and "2025-03-30" in message
    assert "does not exist" in message and "jumped forward" in message
    assert hint is not None
    assert "2025-03-30T03:30" in hint
    assert "2025-03-30T01:30+01:00" in hint
    # both suggestions are themselves accepted, an hour apart
    assert instant("2025-03-30T03:30") == utc(2025, 3, 30, 1, 30)
    assert instant("2025-03-30T01:30+01:00") == utc(2025, 3, 30, 0, 30)


def test_autumn_fold_is_refused_with_both_offsets() -> None:
    with pytest.raises(InputError) as info:
        instant("2025-10-26 02:30")
    message, hint = str(info.value), info.value.hint
    assert "occurs twice" in message and "2025-10-26" in message
    assert hint is not None
    first, second = "2025-10-26T02:30+02:00", "2025-10-26T02:30+01:00"
    assert first in hint and second in hint
    assert hint.index(first) < hint.index(second)
    assert instant(first) == utc(2025, 10, 26, 0, 30)
    assert instant(second) == utc(2025, 10, 26, 1, 30)


@pytest.mark.parametrize(
    ("text", "now", "zone", "kind"),
    [
        # the same rules found through day words and other zones: no hard-coded dates
        ("yesterday 02:30", datetime(2025, 3, 31, 12, tzinfo=ROME), ROME, "does not exist"),
        ("domenica 02:59", datetime(2025, 10, 27, 12, tzinfo=ROME), ROME, "occurs twice"),
        ("2025-03-09 02:30", NOW, NEW_YORK, "does not exist"),
        ("2025-11-02 01:30", NOW, NEW_YORK, "occurs twice"),
        ("2025-10-05 02:15", NOW, ZoneInfo("Australia/Lord_Howe"), "does not exist"),  # 30 min
        ("2025-04-06 01:45", NOW, ZoneInfo("Australia/Lord_Howe"), "occurs twice"),
    ],
)
def test_gaps_and_folds_anywhere(text: str, now: datetime, zone: ZoneInfo, kind: str) -> None:
    with pytest.raises(InputError) as info:
        parse_instant(text, now=now, zone=zone)
    assert kind in str(info.value)
    assert info.value.hint


def test_times_next_to_the_transitions_are_fine() -> None:
    assert instant("2025-03-30 01:59") == utc(2025, 3, 30, 0, 59)
    assert instant("2025-03-30 03:00") == utc(2025, 3, 30, 1, 0)
    assert instant("2025-10-26 01:59") == utc(2025, 10, 25, 23, 59)
    assert instant("2025-10-26 03:00") == utc(2025, 10, 26, 2, 0)


def test_range_across_spring_forward_lasts_one_hour() -> None:
    start, end = span("2025-03-30 01:30-03:30")
    assert (start, end) == (utc(2025, 3, 30, 0, 30), utc(2025, 3, 30, 1, 30))
    assert format_duration(int((end - start).total_seconds())) == "1:00"


def test_range_between_the_two_0230s_of_the_fold_lasts_one_hour() -> None:
    for text in (
        "2025-10-26T02:30+02:00 - 2025-10-26T02:30+01:00",
        "2025-10-26T02:30+02:00-2025-10-26T02:30+01:00",
        "2025-10-26T02:30+02:00 1h",
    ):
        start, end = span(text)
        assert (start, end) == (utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 1, 30)), text
        assert format_duration(int((end - start).total_seconds())) == "1:00"


def test_duration_is_added_in_absolute_time_across_the_gap() -> None:
    start, end = span("2025-03-30 01:30 2h")
    assert end - start == timedelta(hours=2)
    assert end.astimezone(ROME).strftime("%H:%M") == "04:30"


def test_range_ending_in_the_fold_is_refused() -> None:
    with pytest.raises(InputError) as info:
        span("2025-10-26 01:00-02:30")
    assert "occurs twice" in str(info.value)


# --- parse_range --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:00-14:40", (utc(2026, 11, 27, 13, 0), utc(2026, 11, 27, 13, 40))),
        ("14:00 - 14:40", (utc(2026, 11, 27, 13, 0), utc(2026, 11, 27, 13, 40))),
        ("14:00 – 14:40", (utc(2026, 11, 27, 13, 0), utc(2026, 11, 27, 13, 40))),
        ("9:00 1h30", (utc(2026, 11, 27, 8, 0), utc(2026, 11, 27, 9, 30))),
        ("9:00 1h 30m", (utc(2026, 11, 27, 8, 0), utc(2026, 11, 27, 9, 30))),
        ("yesterday 17:00-18:15", (utc(2026, 11, 26, 16, 0), utc(2026, 11, 26, 17, 15))),
        ("ieri 17:00-18:15", (utc(2026, 11, 26, 16, 0), utc(2026, 11, 26, 17, 15))),
        ("2026-11-20 09:00-10:00", (utc(2026, 11, 20, 8, 0), utc(2026, 11, 20, 9, 0))),
        ("2026-11-20 09:00 45m", (utc(2026, 11, 20, 8, 0), utc(2026, 11, 20, 8, 45))),
        ("20/11 09:00-10:00", (utc(2026, 11, 20, 8, 0), utc(2026, 11, 20, 9, 0))),
        # an earlier bare end time is on the next day
        ("23:00-01:00", (utc(2026, 11, 27, 22, 0), utc(2026, 11, 28, 0, 0))),
        ("yesterday 22:30 - 0:15", (utc(2026, 11, 26, 21, 30), utc(2026, 11, 26, 23, 15))),
        # a full end
        ("yesterday 23:00 - today 01:00", (utc(2026, 11, 26, 22, 0), utc(2026, 11, 27, 0, 0))),
        ("14:00 - now", (utc(2026, 11, 27, 13, 0), utc(2026, 11, 27, 14, 0))),
        ("1h ago - now", (utc(2026, 11, 27, 13, 0), utc(2026, 11, 27, 14, 0))),
        # explicit offsets: a negative one needs the spaced dash to end a range
        ("2026-11-20T09:00-05:00 45m", (utc(2026, 11, 20, 14, 0), utc(2026, 11, 20, 14, 45))),
        (
            "2026-11-20T09:00-05:00 - 2026-11-20T10:00-05:00",
            (utc(2026, 11, 20, 14, 0), utc(2026, 11, 20, 15, 0)),
        ),
        # a bare end time is a wall time in the zone, on the start's day there
        ("2026-11-20T08:00Z-10:00", (utc(2026, 11, 20, 8, 0), utc(2026, 11, 20, 9, 0))),
    ],
)
def test_parse_range_valid(text: str, expected: tuple[datetime, datetime]) -> None:
    result = span(text)
    assert result == expected
    assert all(moment.tzinfo is UTC for moment in result)


def test_range_with_only_times_uses_the_given_day() -> None:
    assert parse_range("14:00-14:40", now=NOW, zone=ROME, day=date(2026, 11, 2)) == (
        utc(2026, 11, 2, 13, 0),
        utc(2026, 11, 2, 13, 40),
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "14:00",
        "14:00-",
        "-14:40",
        "14:00-14:00",
        "14:00 xyz",
        "9:00 10:00",  # end time or duration? refused
        "9:00 1:30",
        "9:00 90",
        "9:00 0m",
        "9:00 8 days",
        "9:00 - 10:00 - 11:00",
        "9:00-10:00-11:00",
        "2026-11-20 10:00 - 2026-11-20 09:00",
        "14:00-25:00",
        "2025-03-30 02:30-04:00",
        "9999-12-31 23:00-01:00",
    ],
)
def test_parse_range_invalid(text: str) -> None:
    with pytest.raises(InputError) as info:
        span(text)
    assert info.value.hint
    assert str(info.value)


def test_end_before_start_names_both() -> None:
    with pytest.raises(InputError) as info:
        span("2026-11-20 10:00 - 2026-11-20 09:00")
    assert "2026-11-20 10:00" in str(info.value) and "2026-11-20 09:00" in str(info.value)


# --- parse_duration -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45m", 45),
        ("45 min", 45),
        ("45min", 45),
        ("90min", 90),
        ("90 minutes", 90),
        ("90 minuti", 90),
        ("1 minute", 1),
        ("1h", 60),
        ("2h", 120),
        ("1h30", 90),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1h 30", 90),
        ("1H30M", 90),
        ("1.5h", 90),
        ("1,5h", 90),
        ("0.25h", 15),
        ("1:30", 90),
        ("0:45", 45),
        ("PT1H30M", 90),
        ("PT45M", 45),
        ("pt45m", 45),
        ("P1DT2H", 26 * 60),
        ("P1D", 24 * 60),
        ("PT1.5H", 90),
        ("1 ora", 60),
        ("2 ore", 120),
        ("1 hour", 60),
        ("2 hours", 120),
        ("168h", 7 * 24 * 60),  # the longest accepted
        ("P7D", 7 * 24 * 60),
        ("  2  hours ", 120),
    ],
)
def test_parse_duration_valid(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("1:30:15", 5415), ("1h 2m 3s", 3723), ("PT1H2M3S", 3723), ("90 sec", 90)],
)
def test_parse_duration_seconds(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "90",  # bare integer: minutes or hours?
        "1.5",
        "0m",
        "0h0m",
        "0:00",
        "PT0S",
        "0.1s",
        "-5m",
        "-1h",
        "PT-1H",
        "P",
        "PT",
        "P1DT",
        "abc",
        "m",
        "h30",
        "1h90",
        "30m 1h",  # units out of order
        "1h 2h",
        "169h",
        "P8D",
        "10081 minutes",
        "8 days",
        "1:75",
        "45m later",
        "9999999999999999999999h",
    ],
)
def test_parse_duration_invalid(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_duration(text)
    assert info.value.hint == DURATION_HINT
    assert str(info.value)


# --- parse_day ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 27)),
        ("Oggi", date(2026, 11, 27)),
        ("yesterday", date(2026, 11, 26)),
        ("ieri", date(2026, 11, 26)),
        ("2026-11-20", date(2026, 11, 20)),
        ("20/11/2026", date(2026, 11, 20)),
        ("20/11", date(2026, 11, 20)),
        ("1/2", date(2026, 2, 1)),
        ("monday", date(2026, 11, 23)),
        ("lunedì", date(2026, 11, 23)),
        ("lunedi", date(2026, 11, 23)),
        ("friday", date(2026, 11, 27)),  # today is a Friday: on or before today
        ("Venerdì", date(2026, 11, 27)),
        ("saturday", date(2026, 11, 21)),
        ("domenica", date(2026, 11, 22)),
    ],
)
def test_parse_day_valid(text: str, expected: date) -> None:
    assert parse_day(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text", ["", "someday", "31/02", "2026-13-01", "9:00", "today 9:00", "20/11/26", "32/1"]
)
def test_parse_day_invalid(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_day(text, today=TODAY)
    assert info.value.hint
    assert str(info.value)


def test_a_day_may_be_typed_year_first_with_slashes() -> None:
    assert parse_day("2018/04/10", today=TODAY) == date(2018, 4, 10)
    assert parse_day("2018/4/1", today=TODAY) == date(2018, 4, 1)
    assert instant("2018/04/10 12:30") == utc(2018, 4, 10, 10, 30)
    assert instant("2018/04/10") == utc(2018, 4, 9, 22, 0)
    assert span("2018/04/10 09:00-10:00") == (utc(2018, 4, 10, 7, 0), utc(2018, 4, 10, 8, 0))
    for mixed in ("2018/04-10", "2018-04/10", "2018/13/01", "2018/02/30"):
        with pytest.raises(InputError):
            parse_day(mixed, today=TODAY)


# --- parse_point, parse_bound: the ends of a period ----------------------------------


def bound(text: str, *, end: bool, now: datetime = NOW, zone: ZoneInfo = ROME) -> datetime:
    return parse_bound(text, now=now, zone=zone, end=end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Watson's table: a day, a day and a time, seconds, Z, an offset, a time alone
        ("2018-04-10", date(2018, 4, 10)),
        ("2018-04-10 12:30", utc(2018, 4, 10, 10, 30)),
        ("2018-04-10T12:30", utc(2018, 4, 10, 10, 30)),
        ("2018-04-10 12:30:43", utc(2018, 4, 10, 10, 30, 43)),
        ("2018-04-10T12:30:43", utc(2018, 4, 10, 10, 30, 43)),
        ("2018-04-10 12:30:43Z", utc(2018, 4, 10, 12, 30, 43)),
        ("2018-04-10T12:30:43Z", utc(2018, 4, 10, 12, 30, 43)),
        ("2018-04-10 12:30:43+03:00", utc(2018, 4, 10, 9, 30, 43)),
        ("2018-04-10T12:30:43+03:00", utc(2018, 4, 10, 9, 30, 43)),
        ("14:05", utc(2026, 11, 27, 13, 5)),
        # and the year first with slashes
        ("2018/04/10", date(2018, 4, 10)),
        ("2018/04/10 12:30", utc(2018, 4, 10, 10, 30)),
        # what was read before
        ("today", TODAY),
        ("ieri", date(2026, 11, 26)),
        ("lunedì", date(2026, 11, 23)),
        ("20/11", date(2026, 11, 20)),
        ("yesterday 17:00", utc(2026, 11, 26, 16, 0)),
        ("15m ago", utc(2026, 11, 27, 13, 45)),
        ("now", utc(2026, 11, 27, 14, 0)),
    ],
)
def test_parse_point(text: str, expected: date) -> None:
    found = parse_point(text, now=NOW, zone=ROME)
    assert found == expected
    assert isinstance(found, datetime) == isinstance(expected, datetime)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # a day alone is taken whole: from its first instant to the next day's first
        ("2018-04-10", utc(2018, 4, 9, 22), utc(2018, 4, 10, 22)),
        ("2018/04/10", utc(2018, 4, 9, 22), utc(2018, 4, 10, 22)),
        ("today", utc(2026, 11, 26, 23), utc(2026, 11, 27, 23)),
        # a time cuts at that instant, for either end
        ("2018-04-10 12:30", utc(2018, 4, 10, 10, 30), utc(2018, 4, 10, 10, 30)),
        ("14:05", utc(2026, 11, 27, 13, 5), utc(2026, 11, 27, 13, 5)),
        ("2018-04-11T00:00", utc(2018, 4, 10, 22), utc(2018, 4, 10, 22)),
    ],
)
def test_parse_bound(text: str, start: datetime, end: datetime) -> None:
    assert bound(text, end=False) == start
    assert bound(text, end=True) == end


def test_a_day_whose_midnight_does_not_exist_begins_at_the_jump() -> None:
    santiago = ZoneInfo("America/Santiago")  # 6 September 2026: from 00:00 to 01:00
    now = datetime(2026, 11, 27, 12, 0, tzinfo=santiago)
    assert bound("2026-09-06", end=False, zone=santiago, now=now) == utc(2026, 9, 6, 4)
    assert bound("2026-09-05", end=True, zone=santiago, now=now) == utc(2026, 9, 6, 4)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2018-13-45", "There is no such date as '2018-13-45'."),
        ("2018/13/01", "There is no such date as '2018/13/01'."),
        ("25:99", "'25:99' is not a time of day"),
        ("hello", "Cannot understand the day 'hello'."),
        ("2018-04-10T", "Cannot understand the day '2018-04-10T'."),
        ("2018-04-10T12:30:43.", "Cannot understand the day '2018-04-10T12:30:43.'."),
        ("18-04-10", "Cannot understand the day '18-04-10'."),
        ("", "Cannot understand the day ''."),
        ("9999-12-31", "is out of range"),  # its end, the next day, does not exist
        ("0001-01-01", "is out of range"),
    ],
)
def test_parse_bound_refuses_nonsense_with_the_forms_that_work(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        bound(text, end=text != "0001-01-01")
    assert message in str(info.value)
    assert info.value.hint == (
        "2026-11-20, 2026/11/20, monday, yesterday, '2026-11-20 12:30', 14:05"
    )


def test_a_bound_in_a_fold_keeps_its_own_hint() -> None:
    with pytest.raises(InputError) as info:
        bound("2026-10-25 02:30", end=False)
    assert info.value.hint == "2026-10-25T02:30+02:00 (the first) or 2026-10-25T02:30+01:00 (the second)"  # fmt: skip


@pytest.mark.parametrize(
    ("moment", "zone", "text"),
    [
        (datetime(2026, 12, 4, 23, 59, tzinfo=ROME), ROME, "2026-12-04 23:59"),
        (datetime(2026, 12, 4, 23, 59, 30, tzinfo=ROME), ROME, "2026-12-04 23:59:30"),
        (datetime(2026, 10, 25, 2, 30, tzinfo=ROME), ROME, "2026-10-25T02:30+02:00"),
        (datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ROME), ROME, "2026-10-25T02:30+01:00"),
        (datetime(2026, 12, 4, 18, 0, tzinfo=ROME), NEW_YORK, "2026-12-04 12:00"),
    ],
)
def test_typed_instant(moment: datetime, zone: ZoneInfo, text: str) -> None:
    assert typed_instant(int(moment.timestamp()), zone) == text


# --- format_duration ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(0, "0:00"), (59, "0:00"), (60, "0:01"), (3599, "0:59"), (3600, "1:00"),
     (3900, "1:05"), (90061, "25:01")],
)  # fmt: skip
def test_format_duration(seconds: int, expected: str) -> None:
    assert format_duration(seconds) == expected


# --- properties ---------------------------------------------------------------------

ZONES = st.sampled_from(
    [ROME, NEW_YORK, ZoneInfo("UTC"), ZoneInfo("Asia/Kolkata"), ZoneInfo("Australia/Lord_Howe")]
)
TOKENS = st.sampled_from(
    ["0", "1", "2", "9", "12", "23", "30", "59", "60", "2025", "2026", "03", "10", "26",
     ":", ".", ",", "-", "/", "+", " ", " - ", "t", "z", "p", "h", "m", "s", "d", "min",
     "ore", "ago", "fa", "now", "ora", "ieri", "yesterday", "lunedì", "domani", "today",
     "2025-03-30", "2025-10-26", "02:30", "+01:00", "-05:00", "pt", "–", "é"]
)  # fmt: skip
PLAUSIBLE = st.lists(TOKENS, max_size=8).map("".join)
ANY_TEXT = st.one_of(st.text(), PLAUSIBLE)


@FUZZ
@given(text=ANY_TEXT, zone=ZONES)
@example(text="2025-03-30 02:30", zone=ROME)
@example(text="99999999999999999999:00", zone=ROME)
def test_parse_instant_only_raises_input_error(text: str, zone: ZoneInfo) -> None:
    try:
        result = parse_instant(text, now=NOW, zone=zone)
    except InputError as err:
        assert err.hint
    else:
        assert result.tzinfo is UTC and result.microsecond == 0


@FUZZ
@given(text=ANY_TEXT)
def test_parse_duration_only_raises_input_error(text: str) -> None:
    try:
        result = parse_duration(text)
    except InputError as err:
        assert err.hint == DURATION_HINT
    else:
        assert timedelta(0) < result <= timedelta(days=7)
        assert result.microseconds == 0


@FUZZ
@given(text=ANY_TEXT, zone=ZONES)
def test_parse_range_only_raises_input_error(text: str, zone: ZoneInfo) -> None:
    try:
        start, end = parse_range(text, now=NOW, zone=zone)
    except InputError as err:
        assert err.hint
    else:
        assert start < end
        assert start.tzinfo is UTC and end.tzinfo is UTC


@FUZZ
@given(text=ANY_TEXT)
def test_parse_day_only_raises_input_error(text: str) -> None:
    try:
        result = parse_day(text, today=TODAY)
    except InputError as err:
        assert err.hint
    else:
        assert isinstance(result, date)


DURATION_FORMATS = ["{h}h{m}m", "{h}h {m}m", "{h}:{m:02d}", "PT{h}H{m}M", "{total} min",
                    "{total}minuti", "{h} ore {m} minuti", "{h}h{m}"]  # fmt: skip


@FUZZ
@given(
    hours=st.integers(0, 167),
    minutes=st.integers(0, 59),
    shape=st.sampled_from(DURATION_FORMATS),
)
def test_parse_duration_round_trips(hours: int, minutes: int, shape: str) -> None:
    total = hours * 60 + minutes
    text = shape.format(h=hours, m=minutes, total=total)
    if total == 0:
        with pytest.raises(InputError):
            parse_duration(text)
    else:
        assert parse_duration(text) == timedelta(hours=hours, minutes=minutes)


@FUZZ
@given(seconds=st.integers(60, 7 * 86400))
def test_format_duration_is_read_back_to_the_minute(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == timedelta(minutes=seconds // 60)


FIXED_OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
#: Every IANA zone but the ``right/`` ones, which count leap seconds: there Python's own
#: ``astimezone`` and ``utcoffset`` disagree by the leap seconds, around a fold.
CIVIL_ZONES = st.timezones().filter(lambda tz: not str(tz).startswith("right/"))


@FUZZ
@given(
    moment=st.datetimes(
        min_value=datetime(1900, 1, 2),
        max_value=datetime(2200, 12, 30),
        timezones=st.one_of(CIVIL_ZONES, FIXED_OFFSETS),
    ),
    spec=st.sampled_from(["auto", "seconds", "minutes"]),
    zone=ZONES,
)
def test_iso_with_offset_round_trips(moment: datetime, spec: str, zone: ZoneInfo) -> None:
    text = moment.isoformat(timespec=spec)
    shown = moment.replace(second=0) if spec == "minutes" else moment  # what the text says
    assert parse_instant(text, now=NOW, zone=zone) == shown.astimezone(UTC).replace(microsecond=0)


@FUZZ
@given(moment=st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2200, 12, 30)))
def test_utc_z_form_round_trips(moment: datetime) -> None:
    text = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert parse_instant(text, now=NOW, zone=ROME) == moment.replace(tzinfo=UTC, microsecond=0)


@FUZZ
@given(
    wall=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31)).map(
        lambda moment: moment.replace(microsecond=0)
    ),
    zone=ZONES,
)
@example(wall=datetime(2025, 3, 30, 2, 30), zone=ROME)
@example(wall=datetime(2025, 10, 26, 2, 30), zone=ROME)
def test_local_wall_times_round_trip_or_are_refused(wall: datetime, zone: ZoneInfo) -> None:
    text = wall.strftime("%Y-%m-%d %H:%M:%S")
    try:
        result = parse_instant(text, now=NOW, zone=zone)
    except InputError as err:
        assert "does not exist" in str(err) or "occurs twice" in str(err)
        assert err.hint
        # every form the hint offers is accepted and names a real instant
        suggestions = [word for word in err.hint.split() if word[:4].isdigit()]
        assert len(suggestions) == 2
        first, second = (parse_instant(s, now=NOW, zone=zone) for s in suggestions)
        assert first != second
    else:
        assert result.astimezone(zone).replace(tzinfo=None) == wall


@FUZZ
@given(text=ANY_TEXT, zone=ZONES, end=st.booleans())
def test_parse_bound_only_raises_input_error(text: str, zone: ZoneInfo, end: bool) -> None:
    try:
        result = parse_bound(text, now=NOW, zone=zone, end=end)
    except InputError as err:
        assert err.hint
    else:
        assert result.tzinfo is UTC and result.microsecond == 0


#: Each form a period's end is typed in (Watson's, and the year first with slashes), with
#: what it keeps of the instant: its minute, or its second.
BOUND_FORMS = [
    ("%Y-%m-%d %H:%M", "minute"),
    ("%Y-%m-%dT%H:%M", "minute"),
    ("%Y-%m-%d %H:%M:%S", "second"),
    ("%Y-%m-%dT%H:%M:%S", "second"),
    ("%Y/%m/%d %H:%M", "minute"),
    ("%Y/%m/%d %H:%M:%S", "second"),
    ("%H:%M", "minute"),  # today, at that time
    ("%H:%M:%S", "second"),
    ("utc %Y-%m-%d %H:%M:%SZ", "second"),
    ("utc %Y-%m-%dT%H:%M:%SZ", "second"),
    ("offset %Y-%m-%d %H:%M:%S%z", "second"),
    ("offset %Y-%m-%dT%H:%M%z", "minute"),
]


@FUZZ
@given(
    moment=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2199, 12, 30), timezones=st.just(UTC)
    ),
    zone=ZONES,
    form=st.sampled_from(BOUND_FORMS),
    end=st.booleans(),
)
@example(moment=datetime(2026, 10, 25, 0, 30, tzinfo=UTC), zone=ROME, form=BOUND_FORMS[0], end=True)
def test_any_instant_typed_in_any_form_is_read_back(
    moment: datetime, zone: ZoneInfo, form: tuple[str, str], end: bool
) -> None:
    """Any valid instant, written in each accepted form, names that same instant as
    either end of a period (to the minute or the second the form keeps); a wall time
    the clocks skip or repeat is refused, never guessed."""
    shape, keeps = form
    moment = moment.replace(microsecond=0)
    if keeps == "minute":
        moment = moment.replace(second=0)
    kind, _sep, pattern = shape.partition(" ") if shape.startswith(("utc ", "offset ")) else ("", "", shape)  # fmt: skip
    shown = moment if kind == "utc" else moment.astimezone(zone)
    text = shown.strftime(pattern)
    if kind == "offset":
        text = text[:-2] + ":" + text[-2:]  # +0100 as +01:00
    now = shown.astimezone(zone) + timedelta(hours=1)  # "today" is the instant's day
    if now.date() != shown.astimezone(zone).date():
        now = shown.astimezone(zone)
    wall = shown.replace(tzinfo=None)
    unique = (
        kind
        or wall.replace(tzinfo=zone, fold=0).utcoffset()
        == wall.replace(tzinfo=zone, fold=1).utcoffset()
    )
    if not unique:
        with pytest.raises(InputError, match="occurs twice"):
            parse_bound(text, now=now, zone=zone, end=end)
        return
    assert parse_bound(text, now=now, zone=zone, end=end) == moment


@FUZZ
@given(
    day=st.dates(min_value=date(1900, 1, 2), max_value=date(2199, 12, 30)),
    zone=ZONES,
    form=st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y"]),
)
def test_any_day_typed_in_any_form_is_that_day_whole(day: date, zone: ZoneInfo, form: str) -> None:
    text = day.strftime(form)
    start = bound(text, end=False, zone=zone)
    end = bound(text, end=True, zone=zone)
    assert start.astimezone(zone).date() == day
    assert (start - timedelta(seconds=1)).astimezone(zone).date() < day
    assert end.astimezone(zone).date() == day + timedelta(days=1)
    assert (end - timedelta(seconds=1)).astimezone(zone).date() == day


@FUZZ
@given(
    moment=st.datetimes(
        min_value=datetime(1971, 1, 1), max_value=datetime(2199, 12, 30), timezones=st.just(UTC)
    ),
    zone=ZONES,
)
@example(moment=datetime(2026, 10, 25, 0, 30, tzinfo=UTC), zone=ROME)
def test_typed_instant_is_read_back_as_that_instant(moment: datetime, zone: ZoneInfo) -> None:
    instant_ = int(moment.timestamp())
    assert parse_instant(typed_instant(instant_, zone), now=NOW, zone=zone).timestamp() == instant_


# --- hot path -----------------------------------------------------------------------


def test_module_imports_only_the_standard_library() -> None:
    src = Path(timeparse.__file__).resolve().parents[2]
    code = (
        "import sys; import mansioni.domain.timeparse; "
        "heavy = {'pendulum', 'dateutil', 'babel', 'sqlalchemy', 'rich', 'typer'}; "
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
