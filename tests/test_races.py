"""Sixteen shells typing ``start`` at the same moment, round after round, on SQLite and on
PostgreSQL (four people there): one running timer per person after every round, no error
but "busy", every start that said so kept, the journal in agreement with the tables."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import crashes
from helpers import rows

pytestmark = pytest.mark.slow

MANSIONI = [sys.executable, "-m", "mansioni"]
RACERS = 16
SQLITE_ROUNDS = 5
PG_ROUNDS = 2
PG_PEOPLE = ("vera", "ugo", "lia", "teo")
TASKS = ("rossi/news", "caffe/social")


def race(people: list[str]) -> list[tuple[str, int, str, str]]:
    """Start ``len(people)`` processes at once, one ``start`` each, as the person given;
    return (person, exit status, stdout, stderr) for each."""
    procs = [
        (
            person,
            subprocess.Popen(
                [*MANSIONI, "start", TASKS[i % 2]],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "MANSIONI_USER": person},
            ),
        )
        for i, person in enumerate(people)
    ]
    results = []
    for person, proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append((person, proc.returncode, out, err))
    return results


def check_exits(results: list[tuple[str, int, str, str]], *, busy_allowed: bool) -> None:
    for _person, code, out, err in results:
        assert "Traceback" not in err, err
        if code == 3 and busy_allowed:
            assert "The store is busy" in err, err
            continue
        assert code == 0, (code, out, err)


def check_chain(spans: list[tuple[int, int | None]]) -> None:
    """One person's entries, in order: each ends where the next begins, the last runs."""
    assert spans, "no entry at all"
    assert spans[-1][1] is None
    assert all(end is not None for _start, end in spans[:-1])
    for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
        assert e1 == s2, spans


def test_sixteen_racing_starts_leave_exactly_one_running_timer(cli, rossi, isolated_home):
    db = isolated_home / "mansioni.db"
    kept = 0
    for _round in range(SQLITE_ROUNDS):
        results = race(["vera"] * RACERS)
        check_exits(results, busy_allowed=False)
        kept += sum(code == 0 for _p, code, _o, _e in results)
        assert rows(isolated_home, "SELECT COUNT(*) FROM entry WHERE end_utc IS NULL") == [(1,)]
        assert crashes.problems(db) == []
        # Every start either stopped or replaced the previous timer: no overlaps, no gaps.
        check_chain(rows(isolated_home, "SELECT start_utc, end_utc FROM entry ORDER BY id"))
        # Nothing lost: each start that said so is an operation of its own.
        assert rows(isolated_home, "SELECT COUNT(*) FROM operation WHERE command = 'start'") == [
            (kept,)
        ]


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.fixture
def pg_url(pg_server, isolated_home, monkeypatch):
    name = pg_server.create_database()
    monkeypatch.setenv("MANSIONI_DB", pg_server.url(name))
    try:
        yield name
    finally:
        pg_server.drop_database(name)


def test_sixteen_racing_starts_for_four_people_on_postgres(pg_url, pg_server, cli, rossi):
    """(``pg_url`` first: the clients and tasks of ``rossi`` go into that database.)"""

    def select(sql: str) -> list[tuple]:
        with pg_server.connect(pg_url) as conn:
            return conn.execute(sql).fetchall()

    kept = dict.fromkeys(PG_PEOPLE, 0)
    for _round in range(PG_ROUNDS):
        results = race([PG_PEOPLE[i % len(PG_PEOPLE)] for i in range(RACERS)])
        check_exits(results, busy_allowed=True)
        for person, code, _out, _err in results:
            kept[person] += code == 0
        running = select("SELECT person, COUNT(*) FROM entry WHERE end_utc IS NULL GROUP BY person")
        assert sorted(running) == sorted((p, 1) for p in PG_PEOPLE if kept[p])
        for person in PG_PEOPLE:
            spans = select(
                f"SELECT start_utc, end_utc FROM entry WHERE person = '{person}' ORDER BY id"
            )
            if kept[person]:
                check_chain(spans)
        starts = select(
            "SELECT person, COUNT(*) FROM operation WHERE command = 'start' GROUP BY person"
        )
        assert dict(starts) == {p: n for p, n in kept.items() if n}
    # The journal agrees with the tables: the latest journal row of each entry is the entry.
    journal = select(
        "SELECT DISTINCT ON (row_id) row_id, after_json FROM journal "
        "WHERE table_name = 'entry' ORDER BY row_id, id DESC"
    )
    live = {r[0] for r in select("SELECT id FROM entry")}
    assert {row_id for row_id, after in journal if after is not None} == live
    assert sum(kept.values()) >= len(PG_PEOPLE)
