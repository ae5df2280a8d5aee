"""The timer through the full command line: start, stop, cancel, status, add."""

from __future__ import annotations

import json

import pytest

from helpers import rows


def entries(home):
    return rows(
        home, "SELECT id, task_id, start_utc, end_utc, note, occurrence_id FROM entry ORDER BY id"
    )


def test_start_then_stop_records_one_entry(cli, rossi, at, isolated_home):
    started = at("2026-11-27 09:00")
    out = cli("start", "rossi/news").output
    assert "Started Studio Rossi/Newsletter at 09:00." in out
    stopped = at("2026-11-27 09:45")
    out = cli("stop").output
    assert "Stopped Studio Rossi/Newsletter at 09:45 (0:45)." in out
    assert entries(isolated_home) == [(1, 1, started, stopped, None, None)]


def test_start_stops_the_running_timer_at_the_same_instant(cli, rossi, at, isolated_home):
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    switch = at("2026-11-27 09:30")
    out = cli("start", "caffe/social").output
    assert "Stopped Studio Rossi/Newsletter at 09:30 (0:30)." in out
    assert "Started Caffè Ôrso/Social post at 09:30." in out
    (first, second) = entries(isolated_home)
    assert first[3] == switch and second[2] == switch and second[3] is None


def test_start_at_and_stop_at(cli, rossi, at, isolated_home):
    at("2026-11-27 11:00")
    cli("start", "fatture", "--at", "10:15", "--note", "November")
    cli("stop", "--at", "10:50", "--note", "sent")
    ((_, _, start, end, note, _),) = entries(isolated_home)
    assert end - start == 35 * 60
    assert note == "November; sent"


def test_resume_joins_the_last_occurrence(cli, rossi, at, isolated_home):
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    at("2026-11-27 09:20")
    cli("start", "caffe/social")
    at("2026-11-27 09:40")
    out = cli("start", "rossi/news", "--resume").output
    assert "Resumed Studio Rossi/Newsletter at 09:40, in its last occurrence." in out
    first, _social, resumed = entries(isolated_home)
    assert resumed[5] == first[0]


def test_resume_without_earlier_entry_is_refused(cli, rossi, isolated_home):
    result = cli("start", "rossi/news", "--resume", ok=False)
    assert result.exit_code == 2
    assert "no earlier entry to resume" in result.output
    assert entries(isolated_home) == []


def test_status_shows_running_and_today_per_client(cli, rossi, at):
    at("2026-11-27 10:00")
    cli("add", "caffe/social", "8:30-9:00")
    cli("start", "rossi/news", "--at", "9:15", "--note", "issue 42")
    at("2026-11-27 10:00")
    out = cli("status").output
    assert "Running: Studio Rossi/Newsletter since 09:15 (0:45). Note: issue 42" in out
    assert "Today: 1:15 (Caffè Ôrso 0:30, Studio Rossi 0:45)." in out
    data = json.loads(cli("status", "--json").output)
    assert data["running"]["task"] == "Studio Rossi/Newsletter"
    assert data["running"]["elapsed_seconds"] == 45 * 60
    assert data["today"]["total_seconds"] == 75 * 60


def test_status_counts_only_the_part_of_yesterday_evening_that_is_today(cli, rossi, at):
    at("2026-11-27 10:00")
    cli("add", "rossi/news", "yesterday 23:00-00:30")
    out = cli("status").output
    assert "Today: 0:30 (Studio Rossi 0:30)." in out


def test_status_with_nothing(cli, rossi):
    out = cli("status").output
    assert "No timer running." in out
    assert "Today: nothing recorded yet." in out


def test_stop_without_timer_fails_cleanly(cli, rossi):
    result = cli("stop", ok=False)
    assert result.exit_code == 1
    assert result.output.startswith("Error: No timer is running.")
    assert "Traceback" not in result.output


def test_cancel_removes_the_running_entry(cli, rossi, isolated_home):
    cli("start", "rossi/news", "--at", "14:00")
    out = cli("cancel").output
    assert "Cancelled the timer of Studio Rossi/Newsletter started at 14:00" in out
    assert entries(isolated_home) == []


def test_add_forms(cli, rossi, at, isolated_home):
    at("2026-11-27 18:00")
    cli("add", "rossi/fatture", "14:00-14:40", "--date", "yesterday")
    cli("add", "rossi/fatture", "9:00 1h30")
    cli("add", "rossi/news", "yesterday 17:00-18:15", "--note", "draft")
    durations = [end - start for _, _, start, end, _, _ in entries(isolated_home)]
    assert durations == [40 * 60, 90 * 60, 75 * 60]


def test_add_across_midnight_stays_one_entry(cli, rossi, at, isolated_home):
    at("2026-11-27 10:00")
    cli("add", "rossi/news", "23:30-00:45", "--date", "yesterday")
    ((_, _, start, end, _, _),) = entries(isolated_home)
    assert end - start == 75 * 60


@pytest.mark.parametrize(
    ("when", "seconds"),
    [
        ("2025-03-30 01:30-03:30", 3600),  # spring forward: one hour really passed
        ("2025-10-26T02:30+02:00", None),  # handled below
    ],
)
def test_add_across_dst_keeps_true_elapsed_time(cli, rossi, isolated_home, when, seconds):
    if seconds is None:
        cli("add", "rossi/news", "2025-10-26T01:45+02:00 1h45m")
        ((_, _, start, end, _, _),) = entries(isolated_home)
        assert end - start == 105 * 60
        return
    cli("add", "rossi/news", when)
    ((_, _, start, end, _, _),) = entries(isolated_home)
    assert end - start == seconds


def test_ambiguous_local_time_is_refused_with_the_two_ways_to_say_it(cli, rossi, isolated_home):
    result = cli("add", "rossi/news", "2025-10-26 02:30 30m", ok=False)
    assert result.exit_code == 2
    assert "+02:00" in result.output and "+01:00" in result.output
    assert entries(isolated_home) == []


def test_overlap_refused_unless_asked(cli, rossi, at, isolated_home):
    at("2026-11-27 18:00")
    cli("add", "rossi/news", "9:00-10:00")
    result = cli("add", "caffe/social", "9:30-10:30", ok=False)
    assert result.exit_code == 2
    assert "overlaps entry 1 (Studio Rossi/Newsletter)" in result.output
    cli("add", "caffe/social", "9:30-10:30", "--overlap")
    assert len(entries(isolated_home)) == 2


def test_future_start_is_refused(cli, rossi, at, isolated_home):
    at("2026-11-27 09:00")
    result = cli("start", "rossi/news", "--at", "10:00", ok=False)
    assert result.exit_code == 2
    assert "future" in result.output
    assert entries(isolated_home) == []


def test_stop_before_start_is_refused(cli, rossi, at, isolated_home):
    at("2026-11-27 10:00")
    cli("start", "rossi/news", "--at", "9:30")
    result = cli("stop", "--at", "9:00", ok=False)
    assert result.exit_code == 2
    assert "The timer started at 09:30: it cannot stop before that." in result.output
    assert entries(isolated_home)[0][3] is None


def test_ambiguous_task_lists_candidates(cli, rossi, isolated_home):
    cli("task", "add", "caffe/Newsletter")
    result = cli("start", "news", ok=False)
    assert result.exit_code == 2
    assert "Caffè Ôrso/Newsletter" in result.output and "Studio Rossi/Newsletter" in result.output
    assert entries(isolated_home) == []


def test_stop_at_the_instant_it_started_points_to_cancel(cli, rossi, isolated_home):
    cli("start", "rossi/news")
    result = cli("stop", ok=False)
    assert result.exit_code == 1  # nothing to stop yet: the state, not the input (exit 2)
    assert "mansioni cancel" in result.output
    assert entries(isolated_home)[0][3] is None


def test_a_new_start_cannot_come_before_the_running_one(cli, rossi, at, isolated_home):
    at("2026-11-27 10:00")
    cli("start", "rossi/news", "--at", "9:30")
    result = cli("start", "caffe/social", "--at", "9:00", ok=False)
    assert result.exit_code == 2
    assert "started at 09:30: a new start cannot come before it" in result.output
    assert len(entries(isolated_home)) == 1


def test_a_reversed_range_is_refused_not_read_as_a_long_night(cli, rossi, isolated_home):
    result = cli("add", "rossi/news", "14:40-14:00", "--date", "yesterday", ok=False)
    assert result.exit_code == 2
    assert "the end comes before the start" in result.output
    assert entries(isolated_home) == []


def test_entry_ids_are_never_reused(cli, rossi, isolated_home):
    cli("add", "rossi/news", "9:00-10:00")
    cli("add", "rossi/news", "10:00-11:00")
    cli("delete", "2")
    cli("add", "rossi/news", "11:00-12:00")
    assert [e[0] for e in entries(isolated_home)] == [1, 3]


def test_someone_elses_entries_are_not_yours_to_change(cli, rossi, isolated_home, monkeypatch):
    cli("add", "rossi/news", "9:00-10:00")
    monkeypatch.setenv("MANSIONI_USER", "giulia")
    for args in (("edit", "1", "--note", "mine now"), ("delete", "1")):
        result = cli(*args, ok=False)
        assert result.exit_code == 2
        assert "There is no entry 1." in result.output
    assert entries(isolated_home)[0][4] is None
    assert "No entries in this period." in cli("log").output


def test_plurals(cli, rossi):
    cli("add", "rossi/news", "9:00-10:00")
    assert "Total: 1:00 in 1 entry." in cli("log").output
    cli("add", "rossi/news", "10:00-11:00")
    assert "Total: 2:00 in 2 entries." in cli("log").output
    assert "Recorded: 2:00 in 2 occurrences (2 entries)" in cli("task", "show", "rossi/news").output
