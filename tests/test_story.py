"""Changes, estimates and a task's history through the command line."""

from __future__ import annotations

import json

import pytest

from helpers import dump, rows


def story(cli, task="rossi/news"):
    return json.loads(cli("history", task, "--json").output)


def test_task_add_records_the_first_estimate(cli, rossi):
    (phase,) = story(cli)["phases"]
    assert phase["estimate_seconds"] == 45 * 60
    assert [e["kind"] for e in phase["events"]] == ["estimate"]


def test_major_change_opens_a_phase_without_carrying_the_estimate(cli, rossi, at, isolated_home):
    at("2026-11-10 09:00")
    cli("task", "add", "rossi/Weekly", "--estimate", "45m")
    at("2026-11-20 10:00")
    cli("add", "rossi/weekly", "9:00-9:50")
    at("2026-11-27 15:00")
    out = cli(
        "change", "rossi/weekly", "now also schedules the social posts", "--at", "2026-11-25"
    ).output
    assert "phase 2 starts" in out
    assert "no estimate yet" in out
    data = story(cli, "rossi/weekly")
    first, second = data["phases"]
    assert first["end"] == second["start"] == "2026-11-25T00:00:00+01:00"
    assert first["occurrences"] == 1 and second["occurrences"] == 0
    assert second["estimate_seconds"] is None
    task = json.loads(cli("task", "show", "rossi/weekly", "--json").output)
    assert task["estimate_seconds"] is None and task["state"] == "trial"
    cli("estimate", "rossi/weekly", "1h")
    assert story(cli, "rossi/weekly")["phases"][1]["estimate_seconds"] == 3600
    assert (
        json.loads(cli("task", "show", "rossi/weekly", "--json").output)["estimate_seconds"] == 3600
    )


def test_major_change_with_estimate_and_rate(cli, rossi):
    cli("change", "rossi/news", "new scope", "--estimate", "60m", "--rate", "30")
    second = story(cli)["phases"][1]
    assert second["estimate_seconds"] == 3600
    (event,) = second["events"]
    assert (event["major"], event["rate_cents"], event["text"]) == (True, 3000, "new scope")
    assert json.loads(cli("task", "show", "rossi/news", "--json").output)["rate_cents"] == 3000


def test_minor_change_keeps_the_phase(cli, rossi):
    out = cli("change", "rossi/news", "template simplified", "--minor", "--estimate", "40m").output
    assert "minor change" in out
    (phase,) = story(cli)["phases"]
    assert phase["estimate_seconds"] == 40 * 60
    assert [e["kind"] for e in phase["events"]] == ["estimate", "change"]


def test_history_text(cli, rossi, at):
    at("2026-11-26 10:00")
    cli("add", "rossi/news", "9:00-9:50")
    at("2026-11-27 15:00")
    cli("add", "rossi/news", "9:00-9:40")
    cli("edit", "2", "--atypical")
    cli("change", "rossi/news", "now weekly and monthly", "--estimate", "1h")
    out = cli("history", "rossi/news").output
    assert "Studio Rossi/Newsletter: created on 27 Nov 2026." in out
    # one consistent story: the start it counts from, then every event in order
    assert "Its story starts on 26 Nov 2026 (its first entry)." in out
    assert (
        "Phase 1, from 26 Nov to 27 Nov 2026: estimate 45 minutes; done 2 times (1 unusual);"
        " 90 minutes in all." in out
    )
    assert "Client's estimate: 0:45 per occurrence" in out
    assert "Major change: now weekly and monthly (new estimate 1:00 per occurrence)" in out
    assert "Phase 2, since 27 Nov 2026: estimate 60 minutes; done 0 times; 0 minutes in all." in out
    # the estimate given at set-up is shown where it counts from: the story's start
    assert out.index("26 Nov 2026  Client's estimate") < out.index("27 Nov 2026  Major change")


def test_changes_are_undone_like_everything_else(cli, rossi, isolated_home):
    before = dump(isolated_home, ("task", "task_event"))
    cli("change", "rossi/news", "new scope", "--estimate", "60m", "--rate", "30")
    cli("estimate", "rossi/news", "50m")
    cli("undo", "--steps", "2")
    assert dump(isolated_home, ("task", "task_event")) == before


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["estimate", "rossi/news", "0m"], "0m"),
        (["estimate", "rossi/news", "--", "-10m"], "-10m"),
        (["estimate", "nowhere/x", "10m"], "No task matches"),
        (["estimate", "rossi/news", "10m", "--basis", "yearly"], "yearly"),
        (["change", "rossi/news", "x", "--at", "2020-01-01"], "story of this task starts on"),
        (["change", "rossi/news", "x", "--at", "2027-01-01"], "future"),
        (["change", "rossi/news", "   "], "Say what changed"),
        (["change", "rossi/news", "x", "--estimate", "zero"], "zero"),
    ],
)
def test_bad_changes_write_nothing(cli, rossi, isolated_home, argv, needle):
    before = dump(isolated_home, ("task", "task_event", "operation"))
    result = cli(*argv, ok=False)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert dump(isolated_home, ("task", "task_event", "operation")) == before


def test_editing_the_estimate_is_a_dated_event_too(cli, rossi, at):
    at("2026-11-28 09:00")
    cli("task", "edit", "rossi/news", "--estimate", "50m")
    events = story(cli)["phases"][0]["events"]
    assert [(e["kind"], e["estimate_seconds"]) for e in events] == [
        ("estimate", 2700),
        ("estimate", 3000),
    ]
    assert events[1]["at"] == "2026-11-28T09:00:00+01:00"


def test_events_know_who_recorded_them(cli, rossi, isolated_home):
    cli("estimate", "rossi/news", "50m")
    assert rows(isolated_home, "SELECT DISTINCT person FROM task_event") == [("vera",)]


def test_the_database_groups_occurrences_as_the_domain_does(cli, rossi, at):
    from zoneinfo import ZoneInfo

    from mansioni.domain.occurrences import occurrences
    from mansioni.store.orm.engine import AlchemyStore
    from mansioni.store.paths import store_url
    from mansioni.store.queries import occurrences as queries

    at("2026-11-20 09:00")
    cli("start", "rossi/news")
    at("2026-11-20 09:20")
    cli("start", "caffe/social")
    at("2026-11-20 09:40")
    cli("start", "rossi/news", "--resume")
    at("2026-11-20 10:00")
    cli("stop")
    at("2026-11-27 15:00")
    cli("add", "rossi/news", "2026-11-21 09:00 30m")
    cli("add", "rossi/news", "2026-11-22 23:30 45m")
    cli("edit", "5", "--atypical")
    cli("start", "rossi/news")  # running: not an occurrence yet
    store = AlchemyStore(store_url())
    rome = ZoneInfo("Europe/Rome")
    with store.read() as db:
        by_sql = queries.task_occurrences(db, 1, 0, 2**40, basis="occurrence", zone=rome)
        entries = queries.entries_between(db, 1, 0, None)
        totals = queries.occurrence_totals(db, 1, 0, 2**40, basis="occurrence", zone=rome)
    store.dispose()
    assert by_sql == occurrences(entries, basis="occurrence", zone=rome)
    assert (totals.occurrences, totals.atypical, totals.seconds) == (3, 1, (40 + 30 + 45) * 60)
    assert [(o.seconds // 60, o.entries, o.atypical) for o in by_sql] == [
        (40, 2, False),
        (30, 1, False),
        (45, 1, True),
    ]
