"""The shared machinery of the Toggl Track and Clockify readers (``sources.sheet``):
file decoding, delimiters, physical line numbers, dates, times, durations, the wall
clock, and property tests of the parsers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mansioni.errors import InputError
from mansioni.sources import sheet, sheet_values

ROME = ZoneInfo("Europe/Rome")

# --- the file --------------------------------------------------------------------


def test_decode_utf8_with_and_without_bom():
    assert sheet.decode("Caffè,€".encode()) == ("Caffè,€", "utf-8")
    assert sheet.decode(b"\xef\xbb\xbf" + "Caffè".encode()) == ("Caffè", "utf-8-sig")


def test_decode_utf16_and_windows_1252():
    assert sheet.decode("Caffè".encode("utf-16")) == ("Caffè", "utf-16")
    assert sheet.decode("Caffè €".encode("cp1252")) == ("Caffè €", "cp1252")


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("User,Email,Client\n", ","),
        ("Projet;Client;Description\n", ";"),
        ("Project\tClient\tTask\n", "\t"),
        ('"A;B",C,D\n', ","),  # a quoted ; is not a delimiter
        ("single\n", ","),
        ("a;b\nc,d,e,f,g\n", ";"),  # only the first line counts
    ],
)
def test_sniff_delimiter(text, delimiter):
    assert sheet.sniff_delimiter(text) == delimiter


def test_records_report_the_physical_line_a_row_starts_on():
    text = 'h1,h2\r\n"two\r\nlines",x\r\n\r\nplain,y\r\n"three\nphysical\nlines",z\n,\nlast,w'
    assert sheet.records(text, ",") == [
        (1, ("h1", "h2")),
        (2, ("two\r\nlines", "x")),
        (5, ("plain", "y")),
        (6, ("three\nphysical\nlines", "z")),
        (10, ("last", "w")),  # line 9 (",") is blank: skipped, but counted
    ]


def test_fold_header():
    assert sheet.fold_header("\ufeff Start  Date ") == "start date"
    assert sheet.fold_header("Durée (décimal)") == sheet.fold_header("DURÉE (DÉCIMAL)")
    decomposed = "Dure\u0301e (h)"  # e + combining acute
    assert sheet.fold_header(decomposed) == sheet.fold_header("Durée (h)")


# --- dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-01-13", "ymd", date(2026, 1, 13)),
        ("2026/01/13", "ymd", date(2026, 1, 13)),
        ("13/01/2026", "dmy", date(2026, 1, 13)),
        ("13.01.2026", "dmy", date(2026, 1, 13)),
        ("13-01-2026", "dmy", date(2026, 1, 13)),
        ("01/13/2026", "mdy", date(2026, 1, 13)),
        ("01-13-2026", "mdy", date(2026, 1, 13)),
        ("1/3/2026", "mdy", date(2026, 1, 3)),
        ("1/3/2026", "dmy", date(2026, 3, 1)),
        (" 2026-01-13 ", "dmy", date(2026, 1, 13)),  # year first is always year first
        ("13/01/2026", "mdy", None),
        ("30/02/2026", "dmy", None),
        ("13/01/2026", "ymd", None),
        ("2026-13-01", "ymd", None),
        ("13/01/26", "dmy", None),
        ("13/01-2026", "dmy", None),
        ("", "dmy", None),
        ("yesterday", "dmy", None),
    ],
)
def test_parse_date(text, order, expected):
    assert sheet_values.parse_date(text, order) == expected


def test_date_order_names():
    assert sheet_values.date_order("DD/MM/YYYY") == "dmy"
    assert sheet_values.date_order("mm/dd/yyyy") == "mdy"
    assert sheet_values.date_order("YYYY-MM-DD") == "ymd"
    assert sheet_values.date_order("day-first") == "dmy"
    assert sheet_values.date_order("month-first") == "mdy"
    with pytest.raises(InputError) as caught:
        sheet_values.date_order("DD/MM/YY")
    assert "DD/MM/YYYY" in caught.value.hint


def test_guess_date_order_from_a_day_above_12():
    guess = sheet_values.guess_date_order(["03/01/2026", "13/01/2026", "02/02/2026"])
    assert (guess.order, guess.pattern, guess.evidence) == ("dmy", "DD/MM/YYYY", True)
    guess = sheet_values.guess_date_order(["01.03.2026", "01.13.2026"])
    assert (guess.order, guess.pattern, guess.evidence) == ("mdy", "MM.DD.YYYY", True)
    assert sheet_values.guess_date_order(["2026-01-03", "2026-01-04"]).pattern == "YYYY-MM-DD"


def test_guess_date_order_from_a_row_across_midnight():
    values = ["02/03/2026", "02/04/2026"]
    # 2 March to 2 April cannot be 1 h 45 min; 3 to 4 February can.
    guess = sheet_values.guess_date_order(values, [("02/03/2026", "02/04/2026", 6345)])
    assert (guess.order, guess.evidence) == ("mdy", True)
    guess = sheet_values.guess_date_order(values, [("03/02/2026", "04/02/2026", 6345)])
    assert (guess.order, guess.evidence) == ("dmy", True)


def test_guess_date_order_ambiguous_defaults_to_day_first_unless_told():
    values = ["03/02/2026", "04/02/2026", "05/02/2026"]
    guess = sheet_values.guess_date_order(values)
    assert (guess.order, guess.evidence) == ("dmy", False)
    guess = sheet_values.guess_date_order(values, preferred="mdy")
    assert (guess.order, guess.evidence) == ("mdy", False)


def test_an_explicit_date_format_wins_over_the_evidence():
    assert sheet_values.guess_date_order(["13/01/2026"], preferred="mdy").order == "mdy"


# --- times and durations ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:05:30", (50730, 1)),
        ("00:00:00", (0, 1)),
        ("23:59:59", (86399, 1)),
        ("9:05", (32700, 60)),
        ("2:05:30 PM", (50730, 1)),
        ("02:05:30 pm", (50730, 1)),
        ("12:20:00 AM", (1200, 1)),
        ("12:00:00 PM", (43200, 1)),
        ("11:59 PM", (86340, 60)),
        ("2:05:30 p.m.", (50730, 1)),
        ("2:05:30 p. m.", (50730, 1)),
        ("9:15:00 a. m.", (33300, 1)),
        ("10:23 AM", (37380, 60)),
        ("24:00:00", None),
        ("13:00 PM", None),
        ("0:30 AM", None),
        ("10:60", None),
        ("10:00:61", None),
        ("1005", None),
        ("", None),
    ],
)
def test_parse_time(text, expected):
    assert sheet_values.parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("02:30:15", (9015, 1)),
        ("0:18:25", (1105, 1)),
        ("26:00:00", (93600, 1)),
        ("123:04:05", (443045, 1)),
        ("1:30", (5400, 60)),
        ("18:25 min", (1105, 1)),
        ("45 sec", (45, 1)),
        ("1.75", (6300, 36)),
        ("1,5", (5400, 360)),
        ("1.5 h", (5400, 360)),
        ("0.01", (36, 36)),
        ("0.005", (18, 4)),
        ("2", (7200, 3600)),
        ("1:75:00", None),
        ("1:00:75", None),
        ("1:02:03 min", None),
        ("-1:00:00", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_duration(text, expected):
    assert sheet_values.parse_duration(text) == expected


def test_split_tags():
    assert sheet_values.split_tags("urgente") == ("urgente",)
    assert sheet_values.split_tags("Q3, Q4, Sub-task") == ("Q3", "Q4", "Sub-task")
    assert sheet_values.split_tags("a,b") == ("a,b",)
    assert sheet_values.split_tags(" , ") == ()


# --- the wall clock ------------------------------------------------------------


def test_an_ordinary_day_has_one_reading():
    clock = sheet_values.WallClock(ROME)
    instant = datetime(2026, 1, 13, 13, 5, 30, tzinfo=UTC).timestamp()
    assert clock.instants(date(2026, 1, 13), 50730) == (instant,)
    assert clock.base(date(2026, 1, 13)) == instant - 50730


def test_the_repeated_hour_has_two_readings_the_first_one_first():
    clock = sheet_values.WallClock(ROME)
    first, second = clock.instants(date(2026, 10, 25), 2 * 3600 + 30 * 60)  # 02:30
    assert datetime.fromtimestamp(first, UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # CEST
    assert second - first == 3600  # then CET
    assert clock.base(date(2026, 10, 25)) is None
    assert len(clock.instants(date(2026, 10, 25), 12 * 3600)) == 1


def test_the_skipped_hour_reads_as_the_clock_before_the_change_first():
    clock = sheet_values.WallClock(ROME)
    readings = clock.instants(date(2026, 3, 29), 2 * 3600 + 30 * 60)  # 02:30 never shown
    # fold=0: with the offset before the change (+01:00), i.e. 03:30 summer time.
    assert datetime.fromtimestamp(readings[0], UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_resolve_prefers_the_pair_the_duration_confirms():
    starts = (100,)
    ends = (100 + 2700, 100 + 6300)  # the two readings of an end in the repeated hour
    assert sheet_values.resolve(starts, ends, 6300) == (100, 6400)
    assert sheet_values.resolve(starts, ends, 2700) == (100, 2800)
    assert sheet_values.resolve(starts, ends, None) == (100, 2800)
    assert sheet_values.resolve((500, 4100), (300,), None) == (500, 300)  # nothing fits: the first


def test_zone_info_refuses_an_unknown_zone():
    with pytest.raises(InputError) as caught:
        sheet_values.zone_info("Europe/Atlantis")
    assert "Europe/Rome" in caught.value.hint


# --- properties ------------------------------------------------------------------

ORDERS = {
    "ymd": lambda d, s: f"{d.year:04d}{s}{d.month:02d}{s}{d.day:02d}",
    "dmy": lambda d, s: f"{d.day:02d}{s}{d.month:02d}{s}{d.year:04d}",
    "mdy": lambda d, s: f"{d.month:02d}{s}{d.day:02d}{s}{d.year:04d}",
}


@given(
    day=st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)),
    order=st.sampled_from(sorted(ORDERS)),
    separator=st.sampled_from(["-", "/", "."]),
)
def test_a_date_in_any_format_reads_back(day, order, separator):
    text = ORDERS[order](day, separator)
    assert sheet_values.parse_date(text, order) == day
    assert sheet_values.guess_date_order(
        [text], preferred=order
    ).pattern == sheet_values.date_pattern(order, separator)


@given(
    days=st.lists(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), min_size=1),
    order=st.sampled_from(["dmy", "mdy"]),
)
def test_the_guessed_order_never_contradicts_the_dates(days, order):
    texts = [ORDERS[order](day, "/") for day in days]
    guess = sheet_values.guess_date_order(texts)
    if any(day.day > 12 for day in days):
        assert (guess.order, guess.evidence) == (order, True)
        assert [sheet_values.parse_date(t, guess.order) for t in texts] == days
    else:  # nothing tells: day first, and the caller can tell it was not shown
        assert (guess.order, guess.evidence) == ("dmy", False)


@given(
    moment=st.times(),
    style=st.sampled_from(["24h", "24h-short", "12h", "12h-short", "12h-lower", "12h-dots"]),
)
def test_a_time_in_any_format_reads_back(moment, style):
    hour12 = moment.hour % 12 or 12
    meridiem = "AM" if moment.hour < 12 else "PM"
    text = {
        "24h": f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}",
        "24h-short": f"{moment.hour}:{moment.minute:02d}",
        "12h": f"{hour12:02d}:{moment.minute:02d}:{moment.second:02d} {meridiem}",
        "12h-short": f"{hour12}:{moment.minute:02d} {meridiem}",
        "12h-lower": f"{hour12}:{moment.minute:02d}:{moment.second:02d} {meridiem.lower()}",
        "12h-dots": f"{hour12}:{moment.minute:02d}:{moment.second:02d} {meridiem[0].lower()}. m.",
    }[style]
    seconds, step = sheet_values.parse_time(text)
    expected = moment.hour * 3600 + moment.minute * 60
    if "short" in style:
        assert (seconds, step) == (expected, 60)
    else:
        assert (seconds, step) == (expected + moment.second, 1)


@given(seconds=st.integers(min_value=0, max_value=9999 * 3600 + 3599))
def test_a_duration_with_any_hours_reads_back(seconds):
    hours, rest = divmod(seconds, 3600)
    text = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
    assert sheet_values.parse_duration(text) == (seconds, 1)
    compact = f"{hours}:{rest // 60:02d}"
    assert sheet_values.parse_duration(compact) == (seconds - rest % 60, 60)


@given(seconds=st.integers(min_value=0, max_value=1000 * 3600), places=st.integers(1, 4))
def test_decimal_hours_read_back_within_their_step(seconds, places):
    text = f"{seconds / 3600:.{places}f}"
    parsed, step = sheet_values.parse_duration(text)
    assert abs(parsed - seconds) <= step / 2 + 1


ZONES = ["Europe/Rome", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "UTC"]


@settings(max_examples=300)
@given(
    instant=st.integers(
        min_value=int(datetime(2000, 1, 1, tzinfo=UTC).timestamp()),
        max_value=int(datetime(2037, 12, 31, tzinfo=UTC).timestamp()),
    ),
    zone=st.sampled_from(ZONES),
)
def test_every_instant_is_one_of_the_readings_of_its_wall_clock(instant, zone):
    tz = ZoneInfo(zone)
    local = datetime.fromtimestamp(instant, tz)
    seconds = local.hour * 3600 + local.minute * 60 + local.second
    readings = sheet_values.WallClock(tz).instants(local.date(), seconds)
    assert instant in readings
    assert readings[local.fold if len(readings) == 2 else 0] == instant


@settings(max_examples=200)
@given(
    start=st.integers(
        min_value=int(datetime(2026, 1, 1, tzinfo=UTC).timestamp()),
        max_value=int(datetime(2026, 12, 31, tzinfo=UTC).timestamp()),
    ),
    length=st.integers(min_value=1, max_value=30 * 3600),
)
def test_start_end_and_duration_resolve_to_the_instants_around_any_change(start, length):
    """Whatever the wall clock repeats or skips, the duration picks the true instants."""
    clock = sheet_values.WallClock(ROME)
    end = start + length
    readings = []
    for moment in (start, end):
        local = datetime.fromtimestamp(moment, ROME)
        readings.append(
            clock.instants(local.date(), local.hour * 3600 + local.minute * 60 + local.second)
        )
    assert sheet_values.resolve(readings[0], readings[1], length) == (start, end)


def test_the_day_cache_sees_changes_at_any_hour():
    """Santiago changes at midnight: the day before and after are uniform, the day of is not."""
    tz = ZoneInfo("America/Santiago")
    clock = sheet_values.WallClock(tz)
    day = date(2026, 4, 5)  # back from -03 to -04 at 24:00 on the 4th
    for offset in (-1, 0, 1):
        d = day + timedelta(days=offset)
        for hour in (0, 12, 23):
            local = datetime(d.year, d.month, d.day, hour, 30, tzinfo=tz)
            assert int(local.timestamp()) in clock.instants(d, hour * 3600 + 1800)
