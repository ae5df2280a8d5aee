"""The quick path (stdlib sqlite3) and the full path (SQLAlchemy) are one program.

Both parse the same commands, call the same services, print the same lines and
write the same rows; the quick path steps aside whenever it should.
"""

from __future__ import annotations

import sqlite3

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


def _play(cli, quick_run, at, use_quick: bool) -> list[tuple[int, str]]:
    outputs = []
    for moment, args in SCENARIO:
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
