"""The quick path (stdlib sqlite3) and the full path (SQLAlchemy) are one program.

Both parse the same commands, call the same services, print the same lines and
write the same rows; the quick path steps aside whenever it should.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from helpers import dump
from mansioni.cli import quick

SCENARIO = [
    ("2026-11-27 09:00", ["start", "rossi/news", "--note", "issue 42"]),
    ("2026-11-27 09:30", ["status"]),
    ("2026-11-27 09:40", ["start", "caffe/social"]),
    ("2026-11-27 10:00", ["start", "rossi/news", "--resume"]),
    ("2026-11-27 10:20", ["stop", "--note", "sent"]),
    ("2026-11-27 10:25", ["start", "fatture", "--at", "10:21"]),
    ("2026-11-27 10:30", ["cancel"]),
    ("2026-11-27 10:35", ["start", "fatture", "--at=10:31"]),
    ("2026-11-27 11:00", ["stop", "--at", "10:59"]),
    ("2026-11-27 11:05", ["status", "--json"]),
    ("2026-11-27 11:06", ["stop"]),  # nothing runs: an error, the same on both paths
    ("2026-11-27 11:07", ["start", "nothing-like-this"]),
]


#: A timer left running from Friday to Sunday (it looks forgotten): both paths warn,
#: refuse and keep it whole with --yes alike.
FORGOTTEN = [
    ("2026-12-04 17:30", ["start", "rossi/news", "--at", "ven 17:00"]),
    ("2026-12-06 14:37", ["status"]),
    ("2026-12-06 14:37", ["status", "--json"]),
    ("2026-12-06 14:38", ["stop"]),  # refused: no one can answer
    ("2026-12-06 14:38", ["start", "caffe/social", "--note", "x"]),  # refused too
    ("2026-12-06 14:39", ["stop", "--note", "sent", "--yes"]),
    ("2026-12-06 23:40", ["start", "fatture"]),
    ("2026-12-07 00:10", ["start", "caffe/social", "--yes"]),  # past midnight, kept whole
    ("2026-12-07 00:20", ["stop", "--at", "00:15"]),
]


def _play(cli, quick_run, at, use_quick: bool, scenario=SCENARIO) -> list[tuple[int, str]]:
    outputs = []
    for moment, args in scenario:
        at(moment)
        if use_quick:
            code, out, err = quick_run(*args)
            assert code is not None, f"quick path declined {args}"
            outputs.append((code, out + err))
        else:
            result = cli(*args, ok=False)
            outputs.append((result.exit_code, result.output))
    return outputs


def test_both_paths_print_and_write_the_same(
    cli, quick, at, rossi, isolated_home, tmp_path, monkeypatch
):
    # A copy of the store as it is before the scenario, for the quick path to replay it on.
    other = tmp_path / "other-home"
    other.mkdir()
    source = sqlite3.connect(isolated_home / "mansioni.db")
    target = sqlite3.connect(other / "mansioni.db")
    source.backup(target)
    source.close()
    target.close()

    full = _play(cli, quick, at, use_quick=False)
    full_rows = dump(isolated_home)
    assert len(full_rows["entry"]) == 4, "the scenario should record entries"

    monkeypatch.setenv("MANSIONI_HOME", str(other))
    assert dump(other)["entry"] == []
    fast = _play(cli, quick, at, use_quick=True)

    assert fast == full
    assert dump(other) == full_rows


def test_both_paths_treat_a_forgotten_timer_alike(
    cli, quick, at, rossi, isolated_home, tmp_path, monkeypatch
):
    other = tmp_path / "other-home"
    other.mkdir()
    source = sqlite3.connect(isolated_home / "mansioni.db")
    target = sqlite3.connect(other / "mansioni.db")
    source.backup(target)
    source.close()
    target.close()

    full = _play(cli, quick, at, use_quick=False, scenario=FORGOTTEN)
    full_rows = dump(isolated_home)
    assert [code for code, _out in full] == [0, 0, 0, 2, 2, 0, 0, 0, 0]
    assert "was it forgotten?" in full[1][1] and "mansioni stop --yes" in full[3][1]
    assert len(full_rows["entry"]) == 3

    monkeypatch.setenv("MANSIONI_HOME", str(other))
    fast = _play(cli, quick, at, use_quick=True, scenario=FORGOTTEN)
    assert fast == full
    assert dump(other) == full_rows


#: ``status`` of a timer that looks forgotten, on the quick path, at Sunday 14:37.
FORGOTTEN_PROBE = """
import sys
from mansioni import clock
clock.now = lambda: %d
from mansioni.cli import quick
code = quick.run(["status"])
assert code == 0, code
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(%r))
print('HEAVY:' + ','.join(heavy))
"""


def test_the_forgotten_timer_warning_imports_nothing_heavy(cli, rossi, at):
    at("2026-12-04 17:30")
    cli("start", "rossi/news", "--at", "17:00")
    sunday = at("2026-12-06 14:37")
    heavy = ("sqlalchemy", "sqlmodel", "alembic", "typer", "rich", "pendulum", "babel", "pydantic")
    result = subprocess.run(
        [sys.executable, "-c", FORGOTTEN_PROBE % (sunday, heavy)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "was it forgotten?" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:"


@pytest.mark.parametrize(
    "argv",
    [
        ["start"],  # missing task: the full path prints usage
        ["start", "a", "b"],
        ["start", "rossi/news", "--at"],
        ["start", "rossi/news", "--bogus"],
        ["stop", "--help"],
        ["status", "-h"],
        ["status", "--json", "--json"],
        ["log"],
        [],
    ],
)
def test_quick_parser_declines_what_it_does_not_know(argv):
    assert quick.parse(argv) is None


def test_quick_parser_reads_both_option_forms():
    assert quick.parse(["start", "rossi/news", "--at=9:30", "--note", "x", "--resume"]) == (
        "start",
        ["rossi/news"],
        {"--at": "9:30", "--note": "x", "--resume": True},
    )


def test_quick_parser_reads_yes():
    assert quick.parse(["stop", "--yes"]) == ("stop", [], {"--yes": True})
    assert quick.parse(["start", "x", "--yes"]) == ("start", ["x"], {"--yes": True})
    assert quick.parse(["stop", "--yes", "--yes"]) is None
    assert quick.parse(["stop", "--yes=1"]) is None


def test_quick_path_steps_aside_without_a_store(quick, isolated_home):
    assert quick("status")[0] is None
    assert not (isolated_home / "mansioni.db").exists()


def test_quick_path_steps_aside_for_another_schema(quick, rossi, isolated_home):
    conn = sqlite3.connect(isolated_home / "mansioni.db")
    conn.execute("UPDATE alembic_version SET version_num = 'zzzz_future'")
    conn.commit()
    conn.close()
    assert quick("status")[0] is None


def test_quick_path_steps_aside_for_other_databases(quick, monkeypatch):
    monkeypatch.setenv("MANSIONI_DB", "postgresql://localhost/mansioni")
    assert quick("status")[0] is None
