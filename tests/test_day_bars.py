"""``report --by day`` in the terminal: a bar per day, proportional to the longest day,
within the terminal's width, drawn from the report's own figures."""

from __future__ import annotations

import json
from datetime import date

import pytest

from mansioni.domain.display import format_duration
from mansioni.i18n import _, set_language
from mansioni.report.day_bars import EIGHTHS, FULL, bar, lines


def bars_of(out: str) -> list[str]:
    """The lines of the bars' block, under its heading (in the language in use)."""
    rows = out.splitlines()
    start = rows.index(_("Time per day")) + 1
    end = rows.index("", start)
    return rows[start:end]


def json_days(cli, *period: str) -> dict[str, int]:
    report = json.loads(cli("report", *period, "--by", "day", "--format", "json").output)
    found: dict[str, int] = {}
    for row in report["rows"]:
        found[row["day"]] = found.get(row["day"], 0) + row["seconds"]
    return found


def bar_length(line: str) -> float:
    """A bar's length in characters, its last eighths counted."""
    return sum(1 if c == FULL else EIGHTHS.index(c) / 8 for c in line if c in FULL + EIGHTHS[1:])


@pytest.mark.parametrize("lang", ["en", "it"])
@pytest.mark.parametrize("columns", [80, 100, 120, 160])
def test_a_bar_per_day_of_the_week_within_the_width(cli, demo, monkeypatch, lang, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("MANSIONI_LANG", lang)
    set_language(None)
    seconds = json_days(cli, "--week")
    drawn = bars_of(cli("report", "--week", "--by", "day").output)
    assert len(drawn) == 7  # every day of the week, Monday 23 to Sunday 29 November
    assert all(len(line) <= columns for line in drawn)
    days = [date(2026, 11, 23 + n).isoformat() for n in range(7)]
    longest = max(seconds.values())
    for day, line in zip(days, drawn, strict=True):
        figure = seconds.get(day, 0)
        if not figure:  # a day without time (the weekend to come): no time, no bar
            assert bar_length(line) == 0 and ":" not in line
            continue
        assert f"  {format_duration(figure)}  " in line  # the table's and the JSON's figure
        if figure == longest:
            assert len(line) == columns  # the longest day fills the width
        room = bar_length(max(drawn, key=bar_length))
        assert abs(bar_length(line) - room * figure / longest) <= 1 / 8
    assert drawn[0].split()[:3] == (["Mon", "23", "Nov"] if lang == "en" else ["lun", "23", "nov"])
    # right under the day's rows, before the per-client and per-duty figures
    out = cli("report", "--week", "--by", "day").output
    heading = out.index(_("Time per day"))
    assert heading < out.index("Avv. Bianchi") and heading > out.index(format_duration(longest))


def test_a_long_period_shows_the_days_with_time(cli, demo):
    period = ("--from", "2026-09-01", "--to", "2026-11-27")
    seconds = json_days(cli, *period)
    drawn = bars_of(cli("report", *period, "--by", "day").output)
    assert len(drawn) == len(seconds) > 31
    assert all(bar_length(line) > 0 for line in drawn)


def test_only_a_report_by_day_in_the_terminal_draws_bars(cli, demo):
    assert "Time per day" in cli("report", "--week", "--by", "day").output
    assert "Time per day" not in cli("report", "--week").output
    assert "Time per day" not in cli("report", "--week", "--by", "week").output
    for fmt in ("md", "csv", "json", "html"):
        out = cli("report", "--week", "--by", "day", "--format", fmt).output
        assert "Time per day" not in out and FULL not in out


def test_an_entry_across_midnight_is_the_day_it_began(cli, at, rossi):
    """The forgotten timer of Friday 17:00 stopped on Sunday at 14:37 is Friday's, in the
    bars as in the table and in ``log`` (``domain.days``)."""
    at("2026-12-03 10:00")
    cli("add", "rossi/news", "9:00-10:00")
    at("2026-12-04 17:00")
    cli("start", "caffe/social")
    at("2026-12-06 14:37")
    cli("stop", "--at", "14:37")
    drawn = bars_of(cli("report", "--week", "--by", "day").output)
    thursday, friday, saturday, sunday = drawn[3:7]
    assert "45:37" in friday and bar_length(friday) == max(map(bar_length, drawn))
    assert "1:00" in thursday and 0 < bar_length(thursday) < bar_length(friday)
    assert bar_length(saturday) == bar_length(sunday) == 0


# -- the drawing itself ----------------------------------------------------------------------


def test_a_bar_is_in_eighths_and_never_empty_for_a_day_with_time():
    assert bar(0, 3600, 40) == ""
    assert bar(3600, 3600, 40) == FULL * 40
    assert bar(1800, 3600, 40) == FULL * 20
    assert bar(1, 3600, 40) == "▏"  # a minute of work still shows
    assert bar(3600 * 3, 3600 * 8, 10) == FULL * 3 + "▊"  # 3.75 characters
    assert bar(3600, 3600, 0) == ""


def _day_line(day: date, currency: str, seconds: int):
    """A row of a report by day: one piece of ``seconds``, unpriced."""
    from mansioni.domain.period import Line

    return Line(
        key=day.isoformat(),
        currency=currency,
        seconds=seconds,
        billed_seconds=seconds,
        pieces=1,
        entries=1,
        amount_cents=None,
        unpriced_seconds=0,
        day=day,
    )


def test_a_terminal_too_narrow_for_a_bar_keeps_the_days_and_their_time():
    from mansioni.domain.period import PeriodReport

    report = PeriodReport(
        first=date(2026, 11, 23),
        last=date(2026, 11, 29),
        zone="Europe/Rome",
        by="day",
        now=0,
        client=None,
        task=None,
        clients=(),
        lines=(
            _day_line(date(2026, 11, 23), "EUR", 3600),
            _day_line(date(2026, 11, 24), "EUR", 7200),
            _day_line(date(2026, 11, 24), "USD", 1800),
        ),
        tasks=(),
        totals=(),
        changes=(),
        running=(),
    )
    wide = lines(report, 40)
    assert wide[1].startswith("Tue 24 Nov  2:30  ")  # a day's currencies added up
    assert len(wide[1]) == 40 and len(wide) == 7
    narrow = lines(report, 16)
    assert narrow[:2] == ["Mon 23 Nov  1:00", "Tue 24 Nov  2:30"]
    assert all(len(line) <= 16 for line in narrow)


@pytest.mark.parametrize(
    ("lang", "with_year", "without_year"),
    [("en", "Mon 30 Nov 2026", "Mon 30 Nov"), ("it", "lun 30 nov 2026", "lun 30 nov")],
    ids=["en", "it"],
)
def test_a_day_with_its_weekday_is_written_alike_everywhere(
    monkeypatch, lang, with_year, without_year
):
    """The bars, the report's rows by day, ``log``'s headings and ``edit``'s entry all
    name a day as ``i18n.dates.weekday`` does."""
    from datetime import datetime

    from mansioni.cli.common import day_label as heading
    from mansioni.i18n.dates import weekday
    from mansioni.report.day_bars import day_label

    monkeypatch.setenv("MANSIONI_LANG", lang)
    set_language(None)
    day = date(2026, 11, 30)
    assert weekday(day) == with_year == heading(datetime(2026, 11, 30, 9, 0))
    assert day_label(day, with_year=True) == with_year
    assert weekday(day, year=False) == without_year == day_label(day, with_year=False)


def test_a_month_shows_no_bar_for_the_days_still_to_come(cli, demo):
    """The demo's clock is Friday 27 November: a month's bars stop there, where a week's
    show the weekend to come."""
    drawn = bars_of(cli("report", "--month", "2026-11", "--by", "day").output)
    assert drawn[-1].split()[:3] == ["Fri", "27", "Nov"]
    assert len(drawn) == 27
