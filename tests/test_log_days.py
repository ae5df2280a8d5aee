"""``log`` day by day: a heading per day with its total, a total per week where there
are several, the grand total; the period as report takes it (``--month [MONTH]``); an
entry across midnight with both its days; every line within the terminal."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from mansioni.cli.common import day_label, entry_times
from mansioni.cli.log import fit
from mansioni.domain.days import ends_on_another_day
from mansioni.domain.display import format_duration
from mansioni.i18n import set_language

#: A name and a note longer than any line of a narrow terminal leaves them.
LONG_CLIENT = "Studio Cantù Commercialisti Associati"
LONG_TASK = "Dichiarazioni dei redditi e PEC degli studi"
LONG_NOTE = (
    "Prepared the posts for the Christmas campaign with the new photos from the shop "
    "and the captions in three languages, then sent them to the owner for approval"
)
#: How English writes a span of days (CLDR): an en dash between thin spaces.
DASH = "\u2009–\u2009"
UNBROKEN_NOTE = "Supercalifragilisticexpialidocious-and-then-some-more-without-a-single-space"


def day_blocks(out: str) -> dict[str, list[str]]:
    """The day headings (``Fri 27 Nov 2026 (1:30)``) with the entry lines under each."""
    blocks: dict[str, list[str]] = {}
    current = None
    for line in out.splitlines():
        if not line:
            current = None
        elif line.startswith("  ") and current is not None:
            blocks[current].append(line.strip())
        elif line.endswith(")") and current is None and not line.startswith(("Week", "Total")):
            current = line
            blocks[current] = []
    return blocks


def test_entries_are_grouped_by_day_with_each_days_total(cli, rossi):
    cli("add", "rossi/news", "9:00-10:00", "--date", "2026-11-23")
    cli("add", "rossi/fatt", "11:00-11:20", "--date", "2026-11-23", "--note", "October")
    cli("add", "caffe/social", "9:00-9:45", "--date", "2026-11-25")
    cli("add", "rossi/news", "14:00-14:30")  # today, Friday 27
    out = cli("log").output  # this week
    assert day_blocks(out) == {
        "Mon 23 Nov 2026 (1:20)": [
            "1  09:00-10:00  1:00  Studio Rossi/Newsletter",
            "2  11:00-11:20  0:20  Studio Rossi/Fatture  October",
        ],
        "Wed 25 Nov 2026 (0:45)": ["3  09:00-09:45  0:45  Caffè Ôrso/Social post"],
        "Fri 27 Nov 2026 (0:30)": ["4  14:00-14:30  0:30  Studio Rossi/Newsletter"],
    }
    lines = out.splitlines()
    assert not [line for line in lines if line.startswith("Week")]  # one week: the total
    assert lines[-1] == "Total: 2:35 in 4 entries."
    today = cli("log", "--today").output.splitlines()  # one day: no week's total
    assert today == [
        "Fri 27 Nov 2026 (0:30)",
        "  4  14:00-14:30  0:30  Studio Rossi/Newsletter",
        "",
        "Total: 0:30 in 1 entry.",
    ]


def test_a_month_has_a_total_per_week_cut_by_the_month(cli, rossi):
    cli("add", "rossi/news", "9:00-10:00", "--date", "2026-11-01")  # a Sunday
    cli("add", "rossi/news", "9:00-9:30", "--date", "2026-11-02")
    cli("add", "rossi/fatt", "9:00-9:15", "--date", "2026-11-04")
    cli("add", "rossi/fatt", "9:00-9:40", "--date", "2026-11-27")
    lines = cli("log", "--month").output.splitlines()
    weeks = [line for line in lines if line.startswith("Week")]
    assert weeks == [
        "Week 1 Nov 2026: 1:00 in 1 entry.",  # the month cuts its first week to one day
        f"Week 2{DASH}8 Nov 2026: 0:45 in 2 entries.",
        f"Week 23{DASH}29 Nov 2026: 0:40 in 1 entry.",
    ]
    assert lines[-1] == "Total: 2:25 in 4 entries."
    # The week's line comes after its last day; the total stays at the end.
    assert lines.index(f"Week 2{DASH}8 Nov 2026: 0:45 in 2 entries.") > lines.index(
        "Wed 4 Nov 2026 (0:15)"
    )


def test_weeks_start_on_the_configured_day(cli, rossi):
    cli("config", "set", "week_start", "sunday")
    cli("add", "rossi/news", "9:00-10:00", "--date", "2026-11-21")  # Saturday
    cli("add", "rossi/news", "9:00-9:30", "--date", "2026-11-22")  # Sunday
    weeks = [
        line
        for line in cli("log", "--from", "2026-11-15", "--to", "2026-11-27").output.splitlines()
        if line.startswith("Week")
    ]
    assert weeks == [
        f"Week 15{DASH}21 Nov 2026: 1:00 in 1 entry.",
        f"Week 22{DASH}27 Nov 2026: 0:30 in 1 entry.",
    ]


@pytest.mark.parametrize(
    ("lang", "friday", "running", "across"),
    [
        ("en", "Fri 4 Dec 2026 (45:37)", "17:00 → running", "17:00 → Sun 6 Dec 14:37"),
        ("it", "ven 4 dic 2026 (45:37)", "17:00 → in corso", "17:00 → dom 6 dic 14:37"),
    ],
)
def test_an_entry_across_midnight_shows_both_days(
    cli, at, rossi, monkeypatch, lang, friday, running, across
):
    """The issue's case: started on Friday at 17:00, forgotten, stopped on Sunday at
    14:37. ``log`` no longer shows "17:00-14:37" as if it were one afternoon."""
    monkeypatch.setenv("MANSIONI_LANG", lang)
    set_language(None)  # read it again
    at("2026-12-04 17:00")
    cli("add", "rossi/news", "9:00-9:30")
    cli("start", "caffe/social")
    at("2026-12-06 14:37")
    assert f"2  {running}  45:37  Caffè Ôrso/Social post" in cli("log").output
    cli("stop", "--at", "14:37")
    out = cli("log").output
    assert f"2  {across}  45:37  Caffè Ôrso/Social post" in out
    assert "17:00-14:37" not in out
    # It counts, whole, on the day it began (as report --by day counts it): Friday
    # holds it; Saturday and Sunday have no heading of their own.
    blocks = day_blocks(out)
    assert list(blocks) == [friday.replace("45:37", "46:07")]
    assert len(blocks[list(blocks)[0]]) == 2
    rows = json.loads(cli("report", "--week", "--by", "day", "--format", "json").output)["rows"]
    assert [(row["day"], row["seconds"]) for row in rows] == [("2026-12-04", 30 * 60 + 164_220)]
    logged = json.loads(cli("log", "--json").output)
    assert [(e["id"], e["day"], e["seconds"]) for e in logged] == [
        (1, "2026-12-04", 1800),
        (2, "2026-12-04", 164_220),
    ]


def test_log_and_report_by_day_give_each_day_the_same_time(cli, demo):
    """One rule for both: the log's days (``--json``'s ``day``) add up to the rows of
    ``report --by day``, day by day, over the whole demo."""
    logged = json.loads(cli("log", "--from", "2026-01-01", "--json").output)
    per_day: Counter[str] = Counter()
    for entry in logged:
        per_day[entry["day"]] += entry["seconds"]
    period = ("--from", "2026-01-01", "--to", "2026-11-27", "--by", "day")
    rows = json.loads(cli("report", *period, "--format", "json").output)["rows"]
    assert len(rows) > 40
    assert {row["day"]: row["seconds"] for row in rows} == dict(per_day)
    # And the headings of the log say those totals.
    headings = list(day_blocks(cli("log", "--from", "2026-01-01").output))
    assert headings == [
        f"{day_label(datetime.fromisoformat(row['day']))} ({format_duration(row['seconds'])})"
        for row in rows
    ]


def test_json_keeps_its_keys_and_adds_the_day(cli, rossi):
    cli("add", "rossi/news", "23:30-23:50", "--date", "2026-11-26", "--note", "late")
    [entry] = json.loads(cli("log", "--json").output)
    assert list(entry) == [
        "id",
        "task",
        "client",
        "start",
        "end",
        "seconds",
        "zone",
        "note",
        "occurrence",
        "atypical",
        "day",
    ]
    assert entry["day"] == "2026-11-26" and entry["start"].startswith("2026-11-26T23:30")


def words_of(text: str) -> set[str]:
    return set(text.split())


def assert_no_split_word(line: str, whole: set[str]) -> None:
    """Every word of ``line`` is a word of the unshortened text, or one cut where a word
    ends (``Studio…``; ``Associati…`` of ``Associati/Dichiarazioni``), or ``…`` alone
    (a note with no room)."""
    for word in line.split():
        bare = word.removesuffix("…")
        if word == bare or not bare:
            assert word in whole or word == "…", (word, line)
        else:
            assert bare in whole or any(w.startswith(bare + "/") for w in whole), (word, line)


@pytest.mark.parametrize("lang", ["en", "it"])
@pytest.mark.parametrize("columns", [80, 100, 120, 160])
def test_every_line_fits_the_terminal(cli, at, demo, monkeypatch, lang, columns):
    """On the demo store with a long client, task and note added, and an entry across
    midnight: no line over the width, no word cut inside, each entry still on its line
    with its id, times and duration; notes give way before names."""
    cli("client", "add", LONG_CLIENT)
    cli("task", "add", f"{LONG_CLIENT}/{LONG_TASK}")
    cli("add", "cantu/dichiarazioni", "8:00-8:40", "--note", LONG_NOTE)
    cli("add", "cantu/dichiarazioni", "7:00-7:20", "--note", UNBROKEN_NOTE)
    cli("add", "cantu/dichiarazioni", "22:00-23:59", "--date", "2026-11-25")
    logged = json.loads(cli("log", "--task", "cantu/dichiarazioni", "--json").output)
    night = next(e for e in logged if e["start"].startswith("2026-11-25T22:00"))
    cli("edit", str(night["id"]), "--end", "2026-11-26 01:30")
    monkeypatch.setenv("MANSIONI_LANG", lang)
    set_language(None)  # read it again
    monkeypatch.setenv("COLUMNS", "1000")
    wide = cli("log", "--from", "2026-01-01").output
    logged = json.loads(cli("log", "--from", "2026-01-01", "--json").output)
    monkeypatch.setenv("COLUMNS", str(columns))
    out = cli("log", "--from", "2026-01-01").output
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns
    whole = words_of(wide)
    for line in lines:
        assert_no_split_word(line, whole)
    entry_lines = [line for line in lines if line.startswith("  ")]
    assert len(entry_lines) == len(logged)  # one line an entry, none lost or wrapped
    for entry, line in zip(logged, entry_lines, strict=True):
        assert line.split()[0] == str(entry["id"])
    ours = [line for line in entry_lines if "Cantù" in line]
    assert len(ours) == 3
    noted = next(line for line in ours if " 08:00-08:40 " in line)
    assert LONG_NOTE in wide  # room for everything
    assert noted.endswith("…") and LONG_NOTE not in noted
    if columns >= 120:  # the note gives way first: the name stays whole
        assert all(f"{LONG_CLIENT}/{LONG_TASK}" in line for line in ours)
        assert "  Prepared" in noted  # as much of the note as fits, whole words
    across = "→ gio 26 nov 01:30" if lang == "it" else "→ Thu 26 Nov 01:30"
    assert any(across in line for line in ours)


# -- fitting a line: the pure rule ------------------------------------------------------------


def test_a_note_is_cut_where_a_word_ends_before_the_name_is_touched():
    task = "Studio Rossi/Newsletter"
    assert fit(task, "draft and send", "", 60) == "Studio Rossi/Newsletter  draft and send"
    assert fit(task, "draft and send", "", 36) == "Studio Rossi/Newsletter  draft and…"
    assert fit(task, "draft and send", "", 31) == "Studio Rossi/Newsletter  draft…"
    assert fit(task, "draft and send", "", 30) == "Studio Rossi/Newsletter  …"  # there is one
    assert fit(task, "draft and send", "", 23) == "Studio Rossi/Newsletter"
    assert fit(task, "draft and send", "", 18) == "Studio Rossi…"  # nothing else fits
    assert fit(task, "", "[atypical]", 35) == "Studio Rossi/Newsletter  [atypical]"
    assert fit(task, "draft", "[atypical]", 30) == "Studio Rossi…  [atypical]"  # flags whole
    assert fit(task, "averyveryverylongword", "", 30) == "Studio Rossi/Newsletter  …"


# -- an entry's times: one rule for every view --------------------------------------------------

ROME = ZoneInfo("Europe/Rome")
NEW_YORK = ZoneInfo("America/New_York")


def _at(text: str, zone: ZoneInfo = ROME) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=zone).timestamp())


@pytest.mark.parametrize(
    ("start", "end", "zone", "day", "expected"),
    [
        ("2026-11-10 09:00", "2026-11-10 09:40", ROME, None, "09:00-09:40"),
        # ends as its day does: it did not run into the next day's work
        ("2026-11-10 23:00", "2026-11-11 00:00", ROME, None, "23:00-00:00"),
        ("2026-11-10 23:00", "2026-11-11 00:00:01", ROME, None, "23:00 → Wed 11 Nov 00:00"),
        ("2026-12-04 17:00", "2026-12-06 14:37", ROME, None, "17:00 → Sun 6 Dec 14:37"),
        # the end's year only where it is another
        ("2026-12-31 23:00", "2027-01-01 01:00", ROME, None, "23:00 → Fri 1 Jan 2027 01:00"),
        ("2026-11-27 15:00", None, ROME, None, "15:00 → running"),
        # recorded in New York, listed under the day it began in Rome: its own day shown
        ("2026-11-27 20:00", "2026-11-27 21:00", NEW_YORK, "2026-11-28", "Fri 27 Nov 20:00 → 21:00"),
        ("2026-12-31 20:00", "2026-12-31 21:00", NEW_YORK, "2027-01-01", "Thu 31 Dec 2026 20:00 → 21:00"),
    ],
)  # fmt: skip
def test_an_entrys_times(start, end, zone, day, expected, monkeypatch) -> None:
    """How ``log``, ``edit``, ``delete`` and ``undo`` all write an entry's times."""
    monkeypatch.setenv("MANSIONI_LANG", "en")
    set_language(None)
    shown = entry_times(
        _at(start, zone),
        _at(end, zone) if end else None,
        zone,
        day=date.fromisoformat(day) if day else None,
    )
    assert shown == expected


@pytest.mark.parametrize(
    ("end", "expected"),
    [("00:00", False), ("00:00:01", True), ("00:30", True)],
)
def test_an_entry_that_ends_at_midnight_ends_on_its_own_day(end, expected) -> None:
    start = _at("2026-11-10 23:00")
    assert ends_on_another_day(start, _at(f"2026-11-11 {end}"), ROME) is expected
    assert ends_on_another_day(start, start, ROME) is False  # nothing at all


# -- the period: --month [MONTH], as report and bill take it ---------------------------------


def test_log_takes_the_month_after_month_as_report_does(cli, rossi):
    cli("add", "rossi/news", "9:00-10:00", "--date", "2026-10-30")
    cli("add", "rossi/fatt", "23:00-23:30", "--date", "2026-10-31")  # the month's last day
    cli("add", "caffe/social", "0:00-0:45", "--date", "2026-11-01")  # the next one's first
    cli("add", "rossi/news", "14:00-14:30")  # today, Friday 27 November
    october = cli("log", "--month", "2026-10").output
    assert list(day_blocks(october)) == ["Fri 30 Oct 2026 (1:00)", "Sat 31 Oct 2026 (0:30)"]
    assert october.splitlines()[-1] == "Total: 1:30 in 2 entries."
    for words in (["10/2026"], ["oct", "2026"], ["ottobre", "2026"], ["ottobre"], ["2026 oct"]):
        assert cli("log", "--month", *words).output == october, words
    # The month's words go with the other options, as report's do.
    assert cli("log", "--client", "rossi", "--month", "oct", "2026").output == october
    assert json.loads(cli("log", "--month", "10/2026", "--json").output) == json.loads(
        cli("log", "--from", "2026-10-01", "--to", "2026-10-31", "--json").output
    )
    # --month alone is this month; nothing at all, this week.
    assert list(day_blocks(cli("log", "--month").output)) == [
        "Sun 1 Nov 2026 (0:45)",
        "Fri 27 Nov 2026 (0:30)",
    ]
    assert list(day_blocks(cli("log").output)) == ["Fri 27 Nov 2026 (0:30)"]
    # A month typed without --month is read as report reads it.
    assert cli("log", "2026-10").output == october


@pytest.mark.parametrize(
    ("argv", "error", "hint"),
    [
        (
            ["--month", "13/2026"],
            "There is no such month as '13/2026'.",
            "For example: mansioni log --month 2026-11 (or 11/2026, nov 2026, novembre 2026)",
        ),
        (
            ["--month", "brumaio"],
            "Cannot understand the month 'brumaio'.",
            "For example: mansioni log --month 2026-11 (or 11/2026, nov 2026, novembre 2026)",
        ),
        (
            ["rossi"],
            "'rossi' is not a month; a client or a task goes after --client or --task.",
            "For example: mansioni log --client rossi --month 2026-11",
        ),
        (
            ["--week", "--month", "2026-10"],
            "Choose one period: --today, --week, --month [MONTH], or --from/--to.",
            "For example: mansioni log --from 2026-11-01 --to 2026-11-15",
        ),
        (
            ["--today", "nov"],
            "Choose one period: --today, --week, --month [MONTH], or --from/--to.",
            "For example: mansioni log --from 2026-11-01 --to 2026-11-15",
        ),
        (
            ["--from", "2026-11-01", "--month", "nov"],
            "Choose one period: --today, --week, --month [MONTH], or --from/--to.",
            "For example: mansioni log --from 2026-11-01 --to 2026-11-15",
        ),
    ],
)
def test_a_month_log_cannot_read_is_refused_naming_log(cli, rossi, argv, error, hint):
    result = cli("log", *argv, ok=False)
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"Error: {error}", f"  {hint}"]


# -- the week's line: only where there is more than one week -------------------------------------


def test_one_week_has_no_line_of_its_own_before_the_total(cli, rossi):
    """A week's line right above the same grand total says nothing twice."""
    cli("add", "rossi/news", "9:00-10:00", "--date", "2026-11-23")
    cli("add", "caffe/social", "9:00-9:45", "--date", "2026-11-25")
    cli("add", "rossi/news", "14:00-14:30")  # today, Friday 27
    for argv in ([], ["--week"], ["--from", "2026-11-23", "--to", "2026-11-25"], ["--month"]):
        lines = cli("log", *argv).output.splitlines()
        assert not [line for line in lines if line.startswith("Week")], argv
        assert lines[-2:] == ["", lines[-1]] and lines[-1].startswith("Total: "), argv
    assert cli("log").output.splitlines()[-3:] == [
        "  3  14:00-14:30  0:30  Studio Rossi/Newsletter",
        "",
        "Total: 2:15 in 3 entries.",
    ]
    # Entries in two weeks: a line for each, then the total.
    cli("add", "rossi/fatt", "9:00-9:20", "--date", "2026-11-20")
    lines = cli("log", "--from", "2026-11-20", "--to", "2026-11-27").output.splitlines()
    assert [line for line in lines if line.startswith(("Week", "Total"))] == [
        "Week 20 – 22 Nov 2026: 0:20 in 1 entry.".replace(" – ", DASH),
        f"Week 23{DASH}27 Nov 2026: 2:15 in 3 entries.",
        "Total: 2:35 in 4 entries.",
    ]
