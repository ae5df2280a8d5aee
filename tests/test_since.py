"""The assistant records her past: a story starts at the earliest of ``--since``, the
task's creation and its first entry, and every event can be dated from there on.

Seen: after typing in entries back to 19 October, a change dated 16 November was
refused ("the task did not exist yet on that date"), and ``history`` said "created on
6 Dec" above "Phase 1: from 19 Oct".
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from conftest import NOW
from helpers import dump

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def niccolo(cli):
    cli("client", "add", "Niccolò Caselle", "--rate", "25", "--hour-value", "60")
    cli("task", "add", "niccolo/Post", "--estimate", "2h15m")


def test_a_change_among_weeks_typed_in_afterwards_is_taken(cli, niccolo):
    for day in ("2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"):
        cli("add", "niccolo/post", f"{day} 09:00 130m")
    out = cli(
        "change", "niccolo/post", "now the stories too", "--estimate", "45m", "--at", "2026-11-16"
    ).output
    assert "major change" in out
    history = json.loads(cli("history", "niccolo/post", "--json").output)
    assert history["start"].startswith("2026-10-19")
    first, second = history["phases"]
    assert first["start"].startswith("2026-10-19") and first["end"].startswith("2026-11-16")
    # the estimate given at set-up (today) is the one the weeks before the change count against
    assert first["segments"][0]["estimate_seconds"] == 135 * 60
    assert first["segments"][0]["occurrences"] == 4
    assert second["estimate_seconds"] == 45 * 60
    text = cli("history", "niccolo/post").output
    assert "Niccolò Caselle/Post: created on 27 Nov 2026." in text
    assert "Its story starts on 19 Oct 2026 (its first entry)." in text
    assert "Phase 1, from 19 Oct to 16 Nov 2026:" in text


def test_since_on_a_task_and_a_client_and_changed_later(cli, isolated_home):
    cli("client", "add", "Avv. Lucia Mazzà", "--since", "2026-09-01")
    (client,) = json.loads(cli("client", "list", "--json").output)
    assert client["since_utc"] is not None
    cli("task", "add", "mazza/PEC", "--estimate", "20m", "--since", "2026-10-01")
    history = json.loads(cli("history", "mazza/pec", "--json").output)
    assert history["start"].startswith("2026-10-01T00:00:00+02:00")
    assert "(the day it began, as set with --since)" in cli("history", "mazza/pec").output
    # an estimate can be dated from that day on
    cli("estimate", "mazza/pec", "25m", "--at", "2026-10-05")
    cli("task", "edit", "mazza/pec", "--since", "2026-09-15")
    history = json.loads(cli("history", "mazza/pec", "--json").output)
    assert history["start"].startswith("2026-09-15")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["task", "add", "niccolo/Altro", "--since", "2027-01-01"], "day to come"),
        (["task", "add", "niccolo/Altro", "--since", "ieri l'altro forse"], "ieri"),
        (["task", "edit", "niccolo/post", "--since", "2026-13-45"], "2026-13-45"),
        (["client", "add", "Nuovo", "--since", "tomorrow"], "day to come"),
    ],
)
def test_a_bad_since_is_refused_and_nothing_written(cli, niccolo, isolated_home, argv, needle):
    before = dump(isolated_home, ("client", "task", "task_event"))
    result = cli(*argv, ok=False)
    assert result.exit_code == 2 and needle in result.output
    assert "Traceback" not in result.output
    assert dump(isolated_home, ("client", "task", "task_event")) == before


def test_an_entry_before_the_start_moves_it_and_says_so(cli, niccolo):
    first = cli("add", "niccolo/post", "2026-11-02 09:00 30m").output
    assert "now starts on 2 Nov 2026, with this entry (it started on 27 Nov 2026)" in first
    later = cli("add", "niccolo/post", "2026-11-03 09:00 30m").output
    assert "now starts" not in later
    earlier = cli("add", "niccolo/post", "2026-10-26 09:00 30m").output
    assert "now starts on 26 Oct 2026, with this entry (it started on 2 Nov 2026)" in earlier


def test_an_import_starts_the_story_at_the_sources_first_entry(cli, tmp_path):
    sheet = sorted((FIXTURES / "clockify").glob("*.csv"))[0]
    cli("import", "clockify", str(sheet), "--client", "Varie", "--skip-invalid")
    entries = json.loads(cli("export", "--format", "json").stdout)
    first_by_task: dict[str, str] = {}
    for e in entries:
        ref = f"{e['client']}/{e['task']}"
        first_by_task[ref] = min(first_by_task.get(ref, e["start"]), e["start"])
    for ref, first in list(first_by_task.items())[:3]:
        history = json.loads(cli("history", ref, "--json").output)
        assert history["start"] == history["first_entry"]
        assert history["start"][:16] == first[:16]


def test_nothing_can_be_dated_before_the_story(cli, niccolo):
    day = (NOW - timedelta(days=3)).date().isoformat()
    result = cli("change", "niccolo/post", "x", "--at", day, ok=False)
    assert result.exit_code == 2
    assert "The story of this task starts on 27 Nov 2026" in result.output
    assert "--since" in result.output


def test_an_earlier_entry_on_the_same_day_says_so_without_naming_the_day_twice(cli, niccolo):
    cli("add", "niccolo/post", "2026-11-02 10:00 30m")
    out = cli("add", "niccolo/post", "2026-11-02 08:00 30m").output
    assert "now starts with this entry, earlier that day." in out


def test_a_review_as_of_a_day_before_the_task_was_set_up_sees_the_past(cli, niccolo):
    """The review as of a day of the past typed in afterwards: the story was there."""
    for day in ("2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02"):
        cli("add", "niccolo/post", f"{day} 09:00 130m")
    (found,) = json.loads(cli("review", "niccolo/post", "--as-of", "2026-11-03", "--json").output)
    assert found["occurrences"] == 5 and found["estimate_seconds"] == 135 * 60
    listed = json.loads(cli("review", "--as-of", "2026-11-03", "--json").output)
    assert [r["task"] for r in listed] == ["Niccolò Caselle/Post"]
    early = cli("review", "niccolo/post", "--as-of", "2026-10-01", ok=False)
    assert early.exit_code == 2 and "did not exist yet" in early.output


def test_the_first_day_of_the_story_can_be_named(cli, niccolo):
    cli("add", "niccolo/post", "2026-10-19 09:00 130m")
    cli("estimate", "niccolo/post", "2h", "--at", "2026-10-19")  # the story starts at 9:00
    history = json.loads(cli("history", "niccolo/post", "--json").output)
    assert history["phases"][0]["events"][-1]["at"].startswith("2026-10-19T09:00")


def test_a_start_moved_later_never_leaves_an_event_out_of_the_story(cli, niccolo):
    cli("task", "add", "niccolo/Altro", "--since", "2026-09-01")
    cli("change", "niccolo/altro", "new scope", "--at", "2026-09-05", "--estimate", "40m")
    cli("task", "edit", "niccolo/altro", "--since", "2026-10-15")
    history = json.loads(cli("history", "niccolo/altro", "--json").output)
    first, second = history["phases"]
    assert first["start"] <= first["end"]
    assert "its earliest event" in cli("history", "niccolo/altro").output
    assert second["estimate_seconds"] == 40 * 60


def test_a_since_before_1970_is_refused_without_a_traceback(cli, niccolo, isolated_home):
    before = dump(isolated_home, ("task",))
    result = cli("task", "add", "niccolo/x", "--since", "0001-01-01", ok=False)
    assert result.exit_code == 2 and "1970" in result.output
    assert "Traceback" not in result.output
    assert dump(isolated_home, ("task",)) == before


def test_show_says_when_the_work_began(cli):
    cli("client", "add", "Mazzà", "--since", "2026-09-01")
    cli("task", "add", "mazza/PEC", "--since", "2026-10-01")
    assert "Work began on 1 Sept 2026 (--since)." in cli("client", "show", "mazza").output
    assert "Work began on 1 Oct 2026 (--since)." in cli("task", "show", "mazza/pec").output


def test_a_phase_without_an_estimate_says_so_in_a_sentence(cli, niccolo):
    cli("change", "niccolo/post", "new scope")
    out = cli("history", "niccolo/post").output
    assert "Phase 2, since 27 Nov 2026: no estimate;" in out
    assert "estimate no estimate" not in out
