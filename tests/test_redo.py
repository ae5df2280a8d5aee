"""``redo`` does again what ``undo`` took back: step by step, the latest undo first, until
a new change; journaled, exact, and refused (nothing written) when a row changed since."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NOW
from helpers import db_file, dump, rows

DATA = ("client", "task", "entry", "task_event")


def data(home):
    return dump(home, DATA)


def test_redo_brings_back_what_two_undos_too_many_took(cli, rossi, isolated_home):
    """Seen: ``undo --steps 2`` run twice took an entry she meant to keep, with no way back."""
    for span in ("9:00-10:00", "10:00-11:00", "11:00-12:00", "12:00-13:00"):
        cli("add", "rossi/news", span)
    states = [data(isolated_home)]
    cli("undo", "--steps", "2")
    states.append(data(isolated_home))
    cli("undo", "--steps", "2")  # one time too many
    assert len(dump(isolated_home, ("entry",))["entry"]) == 0

    out = cli("redo").output
    assert out == (
        "Redone: the entry of Fri 27 Nov 2026 09:00-10:00 on Studio Rossi/Newsletter (1:00)"
        " is back.\n"
    )
    out = cli("redo").output
    assert "10:00-11:00" in out
    assert data(isolated_home) == states[1]
    cli("redo", "--steps", "2")
    assert data(isolated_home) == states[0]
    result = cli("redo", ok=False)
    assert result.exit_code == 1
    assert "Error: There is nothing to redo." in result.output


def test_redo_steps_go_back_through_every_undo(cli, rossi, isolated_home):
    cli("add", "rossi/news", "9:00-10:00")
    before = data(isolated_home)
    cli("edit", "1", "--start", "8:30", "--note", "prima bozza")
    cli("delete", "1")
    cli("undo")
    edited = data(isolated_home)
    cli("undo", "--steps", "2")
    out = cli("redo", "--steps", "5").output  # as many as were undone, no more
    assert out.count("Redone:") == 3
    assert dump(isolated_home, ("entry",))["entry"] == []
    cli("undo")
    assert data(isolated_home) == edited
    cli("undo")
    assert data(isolated_home) == before


def test_a_new_change_ends_what_can_be_redone(cli, rossi, isolated_home):
    cli("add", "rossi/news", "9:00-10:00")
    cli("undo")
    cli("add", "rossi/fatture", "11:00-12:00")
    before = dump(isolated_home)
    result = cli("redo", ok=False)
    assert result.exit_code == 1
    assert "There is nothing to redo: you made a new change after the last undo." in result.output
    assert dump(isolated_home) == before


def test_nothing_to_redo(cli):
    result = cli("redo", ok=False)
    assert result.exit_code == 1
    assert "Error: There is nothing to redo." in result.output


def test_once_every_undo_since_the_last_change_is_redone_no_new_change_is_blamed(cli, rossi):
    """add, add, undo, add, undo, redo, redo: the second redo finds nothing left, and the
    first undo, left behind by the third add long ago, is not why."""
    cli("add", "rossi/news", "9:00-9:30")
    cli("add", "rossi/news", "10:00-10:30")
    cli("undo")
    cli("add", "rossi/news", "11:00-11:30")
    cli("undo")
    cli("redo")
    result = cli("redo", ok=False)
    assert "Error: There is nothing to redo." in result.output
    assert "new change" not in result.output


def test_redo_is_journaled_and_undo_takes_it_back_again(cli, rossi, isolated_home):
    cli("add", "rossi/news", "9:00-10:00")
    cli("undo")
    cli("redo")
    ops = rows(isolated_home, "SELECT id, command, undo_of, undone_by FROM operation ORDER BY id")
    add_op, undo_op, redo_op = ops[-3:]
    assert add_op[1] == "add" and add_op[3] is None  # in effect again
    assert undo_op[1] == "undo" and undo_op[2] == add_op[0] and undo_op[3] == redo_op[0]
    assert redo_op[1] == "redo" and redo_op[2] == undo_op[0] and redo_op[3] is None
    journal = rows(
        isolated_home, "SELECT action FROM journal WHERE operation_id = ?", (redo_op[0],)
    )
    assert journal == [("insert",)]
    out = cli("undo").output
    assert "is no longer recorded" in out
    assert dump(isolated_home, ("entry",))["entry"] == []


def test_redo_refuses_when_the_row_changed_since(cli, rossi, isolated_home):
    cli("add", "rossi/news", "9:00-10:00")
    cli("edit", "1", "--note", "first")
    cli("undo")
    conn = sqlite3.connect(db_file(isolated_home))
    conn.execute("UPDATE entry SET note = 'changed behind its back' WHERE id = 1")
    conn.commit()
    conn.close()
    before = dump(isolated_home)
    result = cli("redo", ok=False)
    assert result.exit_code == 1
    assert (
        "Error: Cannot redo changing an entry: the entry of Fri 27 Nov 2026 09:00-10:00 on"
        " Studio Rossi/Newsletter (1:00) was changed since. Nothing was redone." in result.output
    )
    assert dump(isolated_home) == before


def test_redo_dry_run_writes_nothing(cli, rossi, isolated_home):
    cli("add", "rossi/news", "9:00-10:00")
    cli("undo")
    before = dump(isolated_home)
    out = cli("redo", "--dry-run").output
    assert out == (
        "Redo would do again: adding an entry (Fri 27 Nov 2026, 15:00):\n"
        "  - the entry of Fri 27 Nov 2026 09:00-10:00 on Studio Rossi/Newsletter (1:00)"
        " would be back\n"
        "Nothing was changed.\n"
    )
    assert dump(isolated_home) == before


def test_redo_steps_are_checked(cli):
    result = cli("redo", "--steps", "0", ok=False)
    assert result.exit_code == 2
    assert "--steps goes from 1 to 100, not 0." in result.output


def test_redo_in_italian(cli, rossi, isolated_home, monkeypatch):
    from mansioni.i18n import set_language

    cli("add", "rossi/news", "9:00-10:00")
    cli("undo")
    monkeypatch.setenv("MANSIONI_LANG", "it")
    set_language(None)
    out = cli("redo").output
    said = "ven 27 nov 2026 09:00-10:00 on Studio Rossi/Newsletter (1:00)"
    assert said.split(" on ")[0] in out and "Studio Rossi/Newsletter (1:00)" in out
    # No id, no table, no command: the only numbers are the day, the times, the duration.
    rest = out.replace("ven 27 nov 2026 09:00-10:00", "").replace("(1:00)", "")
    assert not any(ch.isdigit() for ch in rest), out


# --- undo, redo, undo, redo: every step exact ------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A store with two duties, made once; each example works on a copy of it."""
    from mansioni.services import catalog
    from mansioni.store.orm.engine import AlchemyStore

    folder = tmp_path_factory.mktemp("redo-template")
    store = AlchemyStore(f"sqlite:///{db_file(folder)}")
    now = int(NOW.timestamp())
    try:
        catalog.add_client(store, values={"name": "Studio Rossi"}, person="vera", now=now)
        catalog.add_task(store, "rossi/Newsletter", values={}, person="vera", now=now)
        catalog.add_task(store, "rossi/Fatture", values={}, person="vera", now=now)
    finally:
        store.dispose()
    return db_file(folder)


_ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 7), st.sampled_from(["rossi/news", "rossi/fatt"])),
        st.tuples(st.just("edit"), st.integers(1, 6), st.integers(0, 7)),
        st.tuples(st.just("note"), st.integers(1, 6), st.sampled_from(["", "a", "b"])),
        st.tuples(st.just("delete"), st.lists(st.integers(1, 6), min_size=1, max_size=3)),
        st.tuples(st.just("undo"), st.integers(1, 3)),
        st.tuples(st.just("redo"), st.integers(1, 3)),
    ),
    max_size=14,
)


@settings(max_examples=30)
@given(actions=_ACTIONS)
def test_undo_and_redo_restore_each_state_exactly(template, tmp_path_factory, actions):
    """The store after a redo is the store before the undo it redoes, and after an undo
    the store before the change it undoes, whatever the sequence."""
    from mansioni.errors import ConflictError, InputError
    from mansioni.services import entries, timer, undo
    from mansioni.store.quick import QuickStore

    folder = tmp_path_factory.mktemp("redo")
    shutil.copyfile(template, db_file(folder))
    store = QuickStore.at_head(str(db_file(folder)))
    assert store is not None
    now = int(NOW.timestamp())
    day = now - 6 * 3600  # 09:00 that day
    done: list[dict] = []  # the store before each change still in effect, oldest first
    undone: list[dict] = []  # the store before each undo that can be redone

    def state():
        return data(folder)

    for action in actions:
        before = state()
        kind = action[0]
        try:
            if kind == "add":
                begin = day + action[1] * 1800
                timer.add(
                    store,
                    task=action[2],
                    person="vera",
                    now=now,
                    zone="Europe/Rome",
                    begin=begin,
                    end=begin + 1800,
                )
            elif kind == "edit":
                entries.edit(
                    store, action[1], person="vera", now=now, start=f"{9 + action[2] // 2}:00"
                )
            elif kind == "note":
                entries.edit(store, action[1], person="vera", now=now, note=action[2])
            elif kind == "delete":
                entries.delete(store, action[1], person="vera", now=now)
            elif kind == "undo":
                steps = min(action[1], len(done))
                if steps == 0:
                    continue
                undo.undo(store, person="vera", now=now, steps=steps)
                current = before
                for _step in range(steps):
                    undone.append(current)
                    current = done.pop()
                assert state() == current
                continue
            else:
                if not undone:
                    with pytest.raises(ConflictError):
                        undo.redo(store, person="vera", now=now, steps=action[1])
                    assert state() == before
                    continue
                undo.redo(store, person="vera", now=now, steps=action[1])
                current = before
                for _step in range(min(action[1], len(undone))):
                    done.append(current)
                    current = undone.pop()
                assert state() == current
                continue
        except InputError:
            assert state() == before  # refused: nothing written
            continue
        if state() != before:
            done.append(before)
            undone.clear()
