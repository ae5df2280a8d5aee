"""Undo replays the journal backwards, several steps deep, and says what it undid."""

from __future__ import annotations

from helpers import dump, rows


def entry_rows(home):
    return dump(home, ("entry",))["entry"]


def test_undo_several_steps_back_to_each_earlier_state(cli, rossi, at, isolated_home):
    states = [entry_rows(isolated_home)]
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    states.append(entry_rows(isolated_home))
    at("2026-11-27 09:30")
    cli("start", "caffe/social")
    states.append(entry_rows(isolated_home))
    at("2026-11-27 10:00")
    cli("stop")
    states.append(entry_rows(isolated_home))
    cli("edit", "1", "--start", "8:55", "--atypical")
    states.append(entry_rows(isolated_home))
    cli("delete", "2")
    states.append(entry_rows(isolated_home))

    out = cli("undo").output
    assert "Undone: deleting an entry (Fri 27 Nov 2026, 10:00); entry 2 brought back." in out
    assert entry_rows(isolated_home) == states[-2]
    out = cli("undo", "--steps", "2").output
    assert "Undone: changing an entry (" in out and "entry 1 restored" in out
    assert "Undone: stopping a timer (" in out and "entry 2 restored" in out
    assert entry_rows(isolated_home) == states[2]
    out = cli("undo").output
    assert "entry 2 removed" in out and "entry 1 restored" in out
    assert entry_rows(isolated_home) == states[1]
    cli("undo")
    assert entry_rows(isolated_home) == states[0] == []
    # Deeper still: the set-up of the tasks themselves.
    out = cli("undo").output
    assert "Undone: adding a task (" in out and "task 3 removed" in out


def test_nothing_to_undo(cli):
    result = cli("undo", ok=False)
    assert result.exit_code == 1
    assert "There is nothing to undo." in result.output


def test_undo_of_cancel_brings_the_timer_back(cli, rossi, isolated_home):
    cli("start", "rossi/news", "--at", "14:00")
    before = entry_rows(isolated_home)
    cli("cancel")
    cli("undo")
    assert entry_rows(isolated_home) == before
    assert "Running: Studio Rossi/Newsletter since 14:00" in cli("status").output


def test_undo_of_client_and_task_changes(cli, rossi, isolated_home):
    before = dump(isolated_home, ("client", "task"))
    cli("client", "edit", "rossi", "--rate", "30", "--name", "Studio Rossi & C")
    cli("task", "archive", "rossi/fatture")
    cli("undo", "--steps", "2")
    assert dump(isolated_home, ("client", "task")) == before


def test_undo_is_journaled_and_marks_the_original(cli, rossi, isolated_home):
    cli("start", "rossi/news", "--at", "14:00")
    cli("undo")
    ops = rows(isolated_home, "SELECT id, command, undo_of, undone_by FROM operation ORDER BY id")
    start_op, undo_op = ops[-2], ops[-1]
    assert start_op[1] == "start" and start_op[3] == undo_op[0]
    assert undo_op[1] == "undo" and undo_op[2] == start_op[0]


def test_undo_refuses_when_the_row_changed_since(cli, rossi, isolated_home):
    import sqlite3

    cli("add", "rossi/news", "9:00-10:00")
    conn = sqlite3.connect(isolated_home / "mansioni.db")
    conn.execute("UPDATE entry SET note = 'changed behind its back' WHERE id = 1")
    conn.commit()
    conn.close()
    before = dump(isolated_home)
    result = cli("undo", ok=False)
    assert result.exit_code == 1
    assert "was changed since. Nothing was undone." in result.output
    assert dump(isolated_home) == before


def test_undo_steps_are_all_or_nothing(cli, rossi, isolated_home):
    import sqlite3

    cli("add", "rossi/news", "9:00-10:00")
    cli("add", "rossi/news", "10:00-11:00")
    conn = sqlite3.connect(isolated_home / "mansioni.db")
    conn.execute("UPDATE entry SET note = 'x' WHERE id = 1")
    conn.commit()
    conn.close()
    before = dump(isolated_home)
    assert cli("undo", "--steps", "2", ok=False).exit_code == 1
    assert dump(isolated_home) == before


def test_delete_keeps_the_occurrence_of_resumed_entries(cli, rossi, at, isolated_home):
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    at("2026-11-27 09:20")
    cli("start", "caffe/social")
    at("2026-11-27 09:40")
    cli("start", "rossi/news", "--resume")
    at("2026-11-27 10:00")
    cli("start", "caffe/social")
    at("2026-11-27 10:10")
    cli("start", "rossi/news", "--resume")
    at("2026-11-27 10:30")
    cli("stop")
    cli("delete", "1")
    occ = rows(isolated_home, "SELECT id, occurrence_id FROM entry WHERE task_id = 1 ORDER BY id")
    assert occ == [(3, None), (5, 3)]
    cli("undo")
    occ = rows(isolated_home, "SELECT id, occurrence_id FROM entry WHERE task_id = 1 ORDER BY id")
    assert occ == [(1, None), (3, 1), (5, 1)]


def test_moving_an_entry_to_another_task_takes_it_out_of_its_occurrence(
    cli, rossi, at, isolated_home
):
    at("2026-11-27 09:00")
    cli("start", "rossi/news")
    at("2026-11-27 09:20")
    cli("start", "caffe/social")
    at("2026-11-27 09:40")
    cli("start", "rossi/news", "--resume")
    at("2026-11-27 10:00")
    cli("start", "rossi/news", "--resume")
    at("2026-11-27 10:30")
    cli("stop")
    cli("edit", "1", "--task", "rossi/fatture")
    occ = rows(isolated_home, "SELECT id, task_id, occurrence_id FROM entry ORDER BY id")
    assert occ == [(1, 2, None), (2, 3, None), (3, 1, None), (4, 1, 3)]
