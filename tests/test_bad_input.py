"""Bad input: one clear line with an example, exit status 2, no traceback, nothing written."""

from __future__ import annotations

import pytest

from helpers import dump

BAD = [
    (["start", "nowhere/nothing"], "No task matches"),
    (["start", "rossi/news", "--at", "half past nine"], "half past nine"),
    (["start", "rossi/news", "--at", "2025-03-30 02:30"], "does not exist"),
    (["stop", "--at", "25:00"], "25:00"),
    (["add", "rossi/news", "14:40-14:00:99"], "14:00:99"),
    (["add", "rossi/news", "14:00-14:40", "--date", "someday"], "someday"),
    (["add", "rossi/news", "9:00 0m"], "0m"),
    (["add", "rossi/news", "9:00-9:00"], ""),
    (["add", "rossi/news", "tomorrow 9:00-10:00"], "future"),
    (["add", "rossi", "9:00-10:00"], "is the client Studio Rossi, not a task"),
    (["client", "add", "   "], "cannot be empty"),
    (["client", "add", "A/B"], "cannot contain '/'"),
    (["client", "add", "X", "--rate", "twenty"], "twenty"),
    (["client", "add", "X", "--currency", "EURO"], "EURO"),
    (["task", "add", "newsletter"], "client/task"),
    (["task", "add", "nobody/newsletter"], "No client matches"),
    (["task", "add", "rossi/x", "--estimate", "-5m"], "-5m"),
    (["task", "add", "rossi/x", "--basis", "yearly"], "yearly"),
    (["task", "add", "rossi/x", "--trial", "0d"], "0d"),
    (["task", "edit", "rossi/news"], "Nothing to change"),
    (["edit", "999", "--note", "x"], "no entry 999"),
    (["delete", "999"], "no entry 999"),
    (["log", "--today", "--week"], "Choose one period"),
    (["log", "--from", "2026-11-20", "--to", "2026-11-10"], "--to"),
]


@pytest.mark.parametrize(("argv", "needle"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_is_refused_cleanly(cli, rossi, isolated_home, argv, needle):
    before = dump(isolated_home)
    result = cli(*argv, ok=False)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: "), result.output
    assert needle in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) <= 3
    assert dump(isolated_home) == before


def test_every_error_carries_an_example_of_what_works(cli, rossi):
    for argv, _needle in BAD:
        result = cli(*argv, ok=False)
        lines = result.output.strip().splitlines()
        assert len(lines) >= 2, (argv, result.output)


def test_usage_errors_exit_2(cli):
    result = cli("start", ok=False)
    assert result.exit_code == 2
    result = cli("frobnicate", ok=False)
    assert result.exit_code == 2
