"""Undo replays the journal backwards, several steps deep, and says what it undid."""

from __future__ import annotations

import pytest

import test_report
from helpers import dump, rows

#: November's store (``tests/test_report.py``), shared: Studio Rossi's month to bill.
november_db = test_report.november_db
november = test_report.november


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
    assert out == (
        "Undone: the entry of Fri 27 Nov 2026 09:30-10:00 on Caffè Ôrso/Social post (0:30)"
        " is back.\n"
    )
    assert entry_rows(isolated_home) == states[-2]
    out = cli("undo", "--steps", "2").output
    assert out == (
        "Undone: the entry of Fri 27 Nov 2026 08:55-09:30 on Studio Rossi/Newsletter (0:35)"
        " is back as it was: 09:00-09:30 (0:30), not atypical.\n"
        "Undone: the entry of Fri 27 Nov 2026 09:30-10:00 on Caffè Ôrso/Social post (0:30)"
        " is back as it was: running since 09:30.\n"
    )
    assert entry_rows(isolated_home) == states[2]
    out = cli("undo").output
    assert out == (
        "Undone: starting a timer (Fri 27 Nov 2026, 09:30):\n"
        "  - the timer on Caffè Ôrso/Social post since Fri 27 Nov 2026 09:30"
        " is no longer recorded\n"
        "  - the entry of Fri 27 Nov 2026 09:00-09:30 on Studio Rossi/Newsletter (0:30)"
        " is back as it was: running since 09:00\n"
    )
    assert entry_rows(isolated_home) == states[1]
    cli("undo")
    assert entry_rows(isolated_home) == states[0] == []
    # Deeper still: the set-up of the tasks themselves, named even once they are gone.
    out = cli("undo").output
    assert "Undone: adding a task (" in out
    assert "  - the duty Caffè Ôrso/Social post is no longer recorded\n" in out
    assert "  - the estimate 0:25 per occurrence for Caffè Ôrso/Social post" in out


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
    assert (
        "Error: Cannot undo adding an entry: the entry of Fri 27 Nov 2026 09:00-10:00 on"
        " Studio Rossi/Newsletter (1:00) was changed since. Nothing was undone." in result.output
    )
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


# --- undo says in words what it takes back --------------------------------------------------


def _decided_task(cli):
    import json

    reviewed = json.loads(cli("review", "--json").stdout)
    return next(r["task"] for r in reviewed if r["verdict"] != "not_enough_data")


@pytest.mark.parametrize(
    ("lang", "day", "said"),
    [
        ("en", "Fri 27 Nov 2026", "the decision “{decision}” on {task} of {day}"),
        (
            "it",
            "ven 27 nov 2026",
            "la decisione «{decision}» sulla mansione {task}, del giorno {day}",
        ),
    ],
    ids=["en", "it"],
)
def test_undo_of_a_decision_names_the_duty_the_day_and_the_decision(
    cli, demo, monkeypatch, lang, day, said
):
    """Seen: "Annullato: decide del 2026-12-06 14:34: mansione 5 torna com'era; evento 11
    non c'è più": a command's name, ids and the table's words instead of what happened."""
    from mansioni.i18n import set_language
    from mansioni.report.labels import DECISION_LABEL

    task = _decided_task(cli)
    cli("decide", task, "keep")
    monkeypatch.setenv("MANSIONI_LANG", lang)
    set_language(None)
    out = cli("undo").output
    decision = DECISION_LABEL["keep"]()
    assert said.format(decision=decision, task=task, day=day) in out
    assert "decide" not in out.replace(decision, "")
    rest = out.replace(day, "").replace("15:00", "")
    assert not any(ch.isdigit() for ch in rest), out  # no id anywhere


def test_undo_dry_run_says_what_it_would_take_back_and_writes_nothing(cli, rossi, isolated_home):
    cli("add", "rossi/news", "17:00-19:30", "--date", "2026-11-26")
    cli("delete", "1")
    before = dump(isolated_home)
    out = cli("undo", "--dry-run", "--steps", "2").output
    assert out == (
        "Undo would take back deleting an entry (Fri 27 Nov 2026, 15:00):\n"
        "  - the entry of Thu 26 Nov 2026 17:00-19:30 on Studio Rossi/Newsletter (2:30)"
        " would be back\n"
        "Undo would take back adding an entry (Fri 27 Nov 2026, 15:00):\n"
        "  - the entry of Thu 26 Nov 2026 17:00-19:30 on Studio Rossi/Newsletter (2:30)"
        " would no longer be recorded\n"
        "Nothing was changed.\n"
    )
    assert dump(isolated_home) == before
    out = cli("undo").output
    assert out == (
        "Undone: the entry of Thu 26 Nov 2026 17:00-19:30 on Studio Rossi/Newsletter (2:30)"
        " is back.\n"
    )


def test_undo_dry_run_refuses_as_undo_would(cli, rossi, isolated_home):
    import sqlite3

    cli("add", "rossi/news", "9:00-10:00")
    conn = sqlite3.connect(isolated_home / "mansioni.db")
    conn.execute("UPDATE entry SET note = 'x' WHERE id = 1")
    conn.commit()
    conn.close()
    before = dump(isolated_home)
    result = cli("undo", "--dry-run", ok=False)
    assert result.exit_code == 1 and "was changed since" in result.output
    assert dump(isolated_home) == before


def test_an_entry_across_midnight_shows_both_days():
    from mansioni.cli import journal_words
    from mansioni.services.undo import Names

    row = {
        "task_id": 1,
        "start_utc": 1796400000,  # Fri 4 Dec 2026 17:00 in Rome
        "end_utc": 1796400000 + 45 * 3600 + 37 * 60,
        "zone": "Europe/Rome",
    }
    said = journal_words.what("entry", row, Names(tasks={1: "Peru/Social"}))
    assert said == "the entry of Fri 4 Dec 2026 17:00 → Sun 6 Dec 14:37 on Peru/Social (45:37)"


@pytest.mark.parametrize(
    ("lang", "day", "midnight", "across"),
    [
        ("en", "Tue 10 Nov 2026", "23:00-00:00", "23:00 → Wed 11 Nov 01:30"),
        ("it", "mar 10 nov 2026", "23:00-00:00", "23:00 → mer 11 nov 01:30"),
    ],
    ids=["en", "it"],
)
def test_an_entry_reads_the_same_in_log_edit_delete_and_undo(
    cli, rossi, monkeypatch, lang, day, midnight, across
):
    """Seen: one entry from 23:00 to 00:00 read ``23:00-00:00`` in ``log``, ``23:00 →
    Wed 11 Nov 2026 00:00`` in ``edit`` and ``23:00 – Wed 11 Nov 2026 00:00`` in
    ``undo``. An entry that ends at midnight ends as its day does; one past it shows the
    day it ends on; every view writes them alike."""
    from mansioni.i18n import set_language

    monkeypatch.setenv("MANSIONI_LANG", lang)
    set_language(None)
    cli("add", "rossi/news", "2026-11-10 23:00-00:00")
    cli("add", "rossi/fatt", "2026-11-10 23:00-01:30", "--overlap")
    for entry, times in (("1", midnight), ("2", across)):
        logged = cli("log", "--from", "2026-11-10", "--to", "2026-11-10").output
        assert f"  {entry}  {times}  " in logged
        assert f"{day}  {times}  " in cli("edit", entry, "--note", "x").output
        assert f"{day} {times} " in cli("undo").output
        assert f"{day}  {times}  " in cli("delete", entry).output
        assert f"{day} {times} " in cli("undo", "--dry-run").output
        assert f"{day} {times} " in cli("undo").output
        assert f"{day} {times} " in cli("redo", "--dry-run").output
    assert "00:00 " not in cli("log", "--from", "2026-11-10", "--to", "2026-11-10").output.replace(
        midnight, ""
    )


#: How undo names Studio Rossi's November marked as invoiced, in each language.
MARKING = {
    "en": "the marking of 1\u2009–\u200930 Nov 2026 as invoiced for Studio Rossi",
    "it": "il contrassegno «fatturato» sul periodo 1–30 nov 2026 di Studio Rossi",
}


@pytest.mark.parametrize(
    ("lang", "would", "undone", "redone"),
    [
        ("en", "{} would no longer be recorded", "{} is no longer recorded", "{} is back"),
        ("it", "non ci sarebbe più {}", "non c'è più {}", "c'è di nuovo {}"),
    ],
    ids=["en", "it"],
)
def test_undo_and_redo_of_bill_name_the_period_as_a_span_of_days(
    cli, november, monkeypatch, lang, would, undone, redone
):
    """Seen: "the marking of from 1 Nov to 30 Nov 2026 as invoiced" (in Italian "sul
    periodo dall'1 nov al 30 nov 2026"): the period is named as a heading writes it."""
    from mansioni.i18n import set_language

    monkeypatch.setenv("MANSIONI_LANG", lang)
    set_language(None)
    cli("bill", "--client", "rossi", "--month", "2026-11")
    marking = MARKING[lang]
    assert f"  - {would.format(marking)}\n" in cli("undo", "--dry-run").output
    assert f"  - {undone.format(marking)}\n" in cli("undo").output
    assert f"  - {redone.format(marking)}\n" in cli("redo").output


def test_a_long_operation_is_told_by_counts(cli, rossi, isolated_home):
    for hour in range(1, 15):
        cli("add", "rossi/news", f"{hour}:00-{hour}:30")
    ids = [str(i) for i in range(1, 15)]
    cli("delete", *ids)
    out = cli("undo").output
    assert out == "Undone: deleting 14 entries (Fri 27 Nov 2026, 15:00):\n  - back: 14 entries\n"
    assert len(dump(isolated_home, ("entry",))["entry"]) == 14


def test_a_table_without_a_describer_is_still_said_in_words():
    """A journaled table this module does not know (a later command's) is "a record",
    never its name or a row's id; one that registers a describer is said its way."""
    from mansioni.cli import journal_words
    from mansioni.services.undo import Change, Names, Step

    step = Step(
        7,
        "pay",
        0,
        [Change("payment", None, '{"id": 42, "client_id": 3}'), Change("payment", "{}", None)],
        Names(clients={3: "Studio Rossi"}),
    )
    assert journal_words.phrases(step) == [
        "a record is back",
        "a record is no longer recorded",
    ]
    assert step.words == "a change"
    long = Step(7, "pay", 0, [Change("payment", None, "{}")] * 20, Names())
    assert journal_words.counts(long) == ["back: 20 records"]
    try:
        journal_words.describes("payment")(
            lambda row, names: f"the payment of {names.client(row.get('client_id'))}"
        )
        assert journal_words.phrases(step)[0] == "the payment of Studio Rossi is back"
    finally:
        del journal_words.DESCRIBERS["payment"]


# --- delete several, edit shows the entry ----------------------------------------------------


def test_delete_takes_several_ids_and_one_undo_brings_them_back(cli, rossi, isolated_home):
    """Seen: ``delete 116 117`` was refused."""
    cli("add", "rossi/news", "9:00-10:00")
    cli("add", "rossi/fatture", "10:00-10:30", "--note", "fatture di novembre")
    cli("add", "rossi/news", "11:00-12:00")
    before = dump(isolated_home, ("entry",))
    out = cli("delete", "1", "2").output
    assert out == (
        "Deleted 2 entries; one mansioni undo brings them all back:\n"
        "  1  Fri 27 Nov 2026  09:00-10:00  1:00  Studio Rossi/Newsletter\n"
        "  2  Fri 27 Nov 2026  10:00-10:30  0:30  Studio Rossi/Fatture  fatture di novembre\n"
    )
    assert [r[0] for r in dump(isolated_home, ("entry",))["entry"]] == [3]
    ops = rows(isolated_home, "SELECT command FROM operation WHERE command = 'delete'")
    assert ops == [("delete",)]  # one operation
    cli("undo")
    assert dump(isolated_home, ("entry",)) == before


def test_delete_of_an_unknown_id_refuses_them_all(cli, rossi, isolated_home):
    cli("add", "rossi/news", "9:00-10:00")
    before = dump(isolated_home)
    result = cli("delete", "1", "99", ok=False)
    assert result.exit_code == 2
    assert "There is no entry 99." in result.output
    assert dump(isolated_home) == before


def test_delete_of_one_entry_says_which(cli, rossi):
    cli("add", "rossi/news", "9:00-10:00")
    out = cli("delete", "1", "1").output  # the same id twice is one entry
    assert out == (
        "Deleted entry 1: Fri 27 Nov 2026  09:00-10:00  1:00  Studio Rossi/Newsletter;"
        " mansioni undo brings it back.\n"
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Fri 27 Nov 2026  08:55-10:00  1:05  Studio Rossi/Fatture  call  [atypical]"),
        ("it", "ven 27 nov 2026  08:55-10:00  1:05  Studio Rossi/Fatture  call  [atipica]"),
    ],
    ids=["en", "it"],
)
def test_edit_shows_the_entry_after_the_change(cli, rossi, monkeypatch, lang, expected):
    """Seen: ``edit`` confirmed without showing the new times."""
    from mansioni.i18n import set_language

    cli("add", "rossi/news", "9:00-10:00")
    monkeypatch.setenv("MANSIONI_LANG", lang)
    set_language(None)
    out = cli(
        "edit", "1", "--start", "8:55", "--task", "rossi/fatture", "--note", "call", "--atypical"
    ).output
    assert out.rstrip("\n").endswith(expected)
    assert out.startswith("Updated entry 1: " if lang == "en" else "")


def test_undoing_a_long_bill_names_its_period_and_client_and_counts_its_entries(cli, demo):
    """A marking of more entries than are listed one by one is told by counts, but its one
    invoice is still named: which client, which period."""
    out = cli("bill", "--client", "bianchi", "--month", "2026-10").output
    marked = int(out.split("Marked ")[1].split()[0])
    assert marked > 12  # told by counts
    said = cli("undo", "--dry-run").output
    assert "the marking of 1 – 31 Oct 2026 as invoiced for Avv. Bianchi" in said.replace(
        "\u2009", " "
    )
    assert f"would be back as they were: {marked} entries" in said
