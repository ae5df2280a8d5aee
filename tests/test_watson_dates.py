"""``--from`` and ``--to`` take the dates and times Watson users type.

The table is the one of Watson's own command-line tests (a bare day, a day and a time
with or without ``T``, seconds, ``Z``, an offset, a time alone), plus ``2018/04/10``
and the forms mansioni read already. A bound with a time cuts at that instant; a day
alone is taken whole. Nonsense is refused with exit status 2 and forms that work.
"""

from __future__ import annotations

import json
import shutil

import pytest

from helpers import checkpoint, db_file, dump

#: The entries of the store, by name: (start, end) on the clock of Rome.
ENTRIES = {
    "e1": "2018-04-09 23:30-23:50",
    "e2": "2018-04-10 09:00-10:00",
    "e3": "2018-04-10 12:30-12:45",  # starts exactly at 12:30
    "e4": "2018-04-10 12:45-13:00",
    "e5": "2018-04-11 09:00-10:00",
    "e6": "2026-11-27 13:00-14:00",  # today (Friday 27 November 2026, 15:00)
    "e7": "2026-11-27 14:10-14:50",
}
NAMES = list(ENTRIES)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """Where the store below is kept once built, for the next test to copy."""
    return {"folder": tmp_path_factory.mktemp("watson-dates")}


@pytest.fixture
def store(cli, isolated_home, built) -> dict[int, str]:
    """The entries above, recorded (built once, then copied); their ids, by name."""
    saved = db_file(built["folder"])
    if "ids" in built:
        isolated_home.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, db_file(isolated_home))
        return built["ids"]
    cli("client", "add", "Studio Rossi")
    cli("task", "add", "rossi/Newsletter")
    for when in ENTRIES.values():
        cli("add", "rossi/news", when)
    ids = [e["id"] for e in json.loads(cli("log", "--json", "--from", "2018-01-01").output)]
    assert len(ids) == len(ENTRIES)
    checkpoint(db_file(isolated_home))
    shutil.copyfile(db_file(isolated_home), saved)
    built["ids"] = dict(zip(ids, NAMES, strict=True))
    return built["ids"]


def logged(cli, store, *args: str) -> list[str]:
    result = cli("log", "--json", *args)
    return [store[e["id"]] for e in json.loads(result.output)]


def after(name: str) -> list[str]:
    return NAMES[NAMES.index(name) :]


def up_to(name: str) -> list[str]:
    return NAMES[: NAMES.index(name) + 1]


#: ``--from TEXT``: the entries that start at that instant or later.
FROM = [
    ("2018-04-10", after("e2")),  # a day alone: from its first instant
    ("2018/04/10", after("e2")),
    ("2018-04-10 12:30", after("e3")),
    ("2018-04-10T12:30", after("e3")),
    ("2018-04-10 12:30:43", after("e4")),
    ("2018-04-10T12:30:43", after("e4")),
    ("2018-04-10 12:30:43Z", after("e5")),  # 14:30:43 in Rome (summer time)
    ("2018-04-10T12:30:43Z", after("e5")),
    ("2018-04-10 10:30:43+03:00", after("e3")),  # 09:30:43 in Rome
    ("2018-04-10T12:30:43+02:00", after("e4")),
    ("2018/04/10 12:30", after("e3")),
    ("14:05", after("e7")),  # today at that time
    ("10/4/2018", after("e2")),  # the forms read before stay
    ("monday", after("e6")),
    ("oggi", after("e6")),
    ("ieri 9:00", after("e6")),
]

#: ``--to TEXT``: the entries that start before that instant; a day alone is included.
TO = [
    ("2018-04-10", up_to("e4")),
    ("2018/04/10", up_to("e4")),
    ("2018-04-10 12:30", up_to("e2")),  # 12:30 is where it stops: e3 is not in
    ("2018-04-10T12:30", up_to("e2")),
    ("2018-04-10 12:30:43", up_to("e3")),
    ("2018-04-10T12:30:43", up_to("e3")),
    ("2018-04-10 12:30:43Z", up_to("e4")),
    ("2018-04-10T10:30:43+00:00", up_to("e3")),  # 12:30:43 in Rome
    ("2018/04/10 12:30", up_to("e2")),
    ("14:05", up_to("e6")),
    ("2018-04-11T00:00", up_to("e4")),  # midnight: the 10th whole, nothing of the 11th
    ("yesterday", up_to("e5")),
]


@pytest.mark.parametrize(("text", "expected"), FROM)
def test_from_takes_watsons_forms(cli, store, text, expected):
    assert logged(cli, store, "--from", text) == expected


@pytest.mark.parametrize(("text", "expected"), TO)
def test_to_takes_watsons_forms(cli, store, text, expected):
    assert logged(cli, store, "--to", text) == expected


def test_both_bounds_with_times_cut_the_day(cli, store):
    args = ("--from", "2018-04-10 12:30", "--to", "2018-04-10T12:45")
    assert logged(cli, store, *args) == ["e3"]
    assert logged(cli, store, "--from", "2018/04/10", "--to", "2018-04-10") == ["e2", "e3", "e4"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("2018-13-45", "There is no such date as '2018-13-45'."),
        ("25:99", "'25:99' is not a time of day"),
        ("2018/13/01", "There is no such date as '2018/13/01'."),
        ("2018-02-30 12:30", "There is no such date as '2018-02-30 12:30'."),
        ("hello", "Cannot understand the day 'hello'."),
        ("2018-04-10T", "Cannot understand the day '2018-04-10T'."),
        ("2018-04-10T12:30:43.", "Cannot understand the day '2018-04-10T12:30:43.'."),
        ("18-04-10", "Cannot understand the day '18-04-10'."),
        ("2018-04/10", "Cannot understand the day '2018-04/10'."),
        ("2018-04-10 12:30+25:00", "is not a valid UTC offset"),
    ],
)
@pytest.mark.parametrize("option", ["--from", "--to"])
def test_nonsense_is_refused_with_forms_that_work(cli, store, isolated_home, option, text, said):
    before = dump(isolated_home)
    result = cli("log", option, text, ok=False)
    assert result.exit_code == 2
    assert said in result.output
    hint = result.output.splitlines()[-1]
    assert hint.startswith("  ") and ("2026-11-20" in hint or "+01:00" in hint)
    assert dump(isolated_home) == before


def test_the_hint_shows_the_new_forms(cli, store):
    result = cli("log", "--from", "25:99", ok=False)
    assert "2026/11/20" in result.output and "'2026-11-20 12:30'" in result.output


def test_the_same_instant_twice_is_an_empty_period(cli, store):
    result = cli("log", "--from", "2018-04-10 12:30", "--to", "2018-04-10T12:30", ok=False)
    assert result.exit_code == 2
    assert "--from and --to name the same instant" in result.output
    result = cli("log", "--from", "2018-04-10 12:30", "--to", "2018-04-10 12:00", ok=False)
    assert result.exit_code == 2
    assert "--to must not come before --from." in result.output


def test_export_cuts_at_a_time_too(cli, store):
    out = cli("export", "--format", "json", "--from", "2018-04-10T12:30", "--to", "2018/04/11")
    starts = [e["start"] for e in json.loads(out.output)]
    assert starts == ["2018-04-10T12:30:00+02:00", "2018-04-10T12:45:00+02:00", "2018-04-11T09:00:00+02:00"]  # fmt: skip
    result = cli("export", "--format", "csv", "--from", "2018-13-45", ok=False)
    assert result.exit_code == 2 and "There is no such date as '2018-13-45'." in result.output


def report_days(cli, *args: str) -> tuple[str, str]:
    data = json.loads(cli("report", "--format", "json", *args).output)
    return data["period"]["from"], data["period"]["to"]


def test_report_takes_the_day_forms(cli, store):
    assert report_days(cli, "--from", "2018/04/10", "--to", "2018/04/11") == (
        "2018-04-10",
        "2018-04-11",
    )
    # A time where a day begins is that day; for --to, the day before is the last one.
    assert report_days(cli, "--from", "2018-04-10T00:00", "--to", "2018-04-12 00:00") == (
        "2018-04-10",
        "2018-04-11",
    )
    assert report_days(cli, "--from", "2018-04-09T22:00Z", "--to", "2018-04-10") == (
        "2018-04-10",
        "2018-04-10",
    )


def test_report_refuses_to_cut_a_day(cli, store, isolated_home):
    """A report counts whole days (its rows, its occurrences, its billing): a bound
    with a time within a day is refused, not widened to the whole day in silence."""
    for args in (("--from", "2018-04-10 12:30"), ("--from", "2018-04-10", "--to", "14:05")):
        result = cli("report", *args, ok=False)
        assert result.exit_code == 2
        assert "is a time within a day, and this period counts whole days." in result.output
        assert "mansioni log --from '2026-11-01 12:30'" in result.output
    result = cli("report", "--from", "2018-13-45", ok=False)
    assert result.exit_code == 2 and "There is no such date as '2018-13-45'." in result.output


def test_a_day_typed_year_first_with_slashes_is_taken_everywhere(cli, rossi, isolated_home):
    out = cli("add", "rossi/news", "9:00-9:30", "--date", "2018/04/10").output
    assert "2018-04-10 09:00 to 2018-04-10 09:30" in out
    out = cli("add", "rossi/news", "2018/04/11 09:00-10:00").output
    assert "2018-04-11 09:00 to 2018-04-11 10:00" in out
    cli("edit", "2", "--start", "2018/04/11 09:15")
    starts = [e["start"] for e in json.loads(cli("log", "--json", "--from", "2018/04/10").output)]
    assert starts == ["2018-04-10T09:00:00+02:00", "2018-04-11T09:15:00+02:00"]
