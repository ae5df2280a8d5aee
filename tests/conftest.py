"""Every test runs against a store in its own temporary home, never the real one."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from helpers import build_demo, db_file
from mansioni import clock
from mansioni.i18n import set_language

ROME = ZoneInfo("Europe/Rome")
#: The instant most tests live at: Friday 27 November 2026, 15:00 in Rome.
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=ROME)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch) -> Iterator:
    home = tmp_path / "mansioni-home"
    monkeypatch.setenv("MANSIONI_HOME", str(home))
    monkeypatch.delenv("MANSIONI_DB", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user" / "data"))
    monkeypatch.setenv("MANSIONI_LANG", "en")
    monkeypatch.setenv("MANSIONI_TZ", "Europe/Rome")
    monkeypatch.setenv("MANSIONI_USER", "vera")
    monkeypatch.setenv("COLUMNS", "200")
    set_language(None)
    yield home
    set_language(None)


@pytest.fixture
def at(monkeypatch) -> Callable[[datetime | str], int]:
    """Set the clock: ``at("2026-11-27 15:00")`` (Rome time) or an aware datetime."""

    def travel(moment: datetime | str) -> int:
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment).replace(tzinfo=ROME)
        instant = int(moment.timestamp())
        monkeypatch.setattr(clock, "now", lambda: instant)
        return instant

    travel(NOW)
    return travel


@pytest.fixture
def cli(at) -> Callable[..., object]:
    """Run the full command line in-process: ``cli("client", "add", "Studio Rossi")``."""
    from mansioni.cli.app import app

    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(app, list(args), catch_exceptions=False)
        if ok and result.exit_code != 0:
            raise AssertionError(f"{args} exited {result.exit_code}: {result.output}")
        return result

    return invoke


@pytest.fixture
def quick(at, capsys) -> Callable[..., tuple[int | None, str, str]]:
    """Run a command through the quick path: returns (exit status or None, stdout, stderr)."""
    from mansioni.cli.quick import run

    def invoke(*args: str):
        code = run(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


@pytest.fixture
def rossi(cli) -> None:
    """A store with one client and two tasks."""
    cli("client", "add", "Studio Rossi", "--hour-value", "90", "--rate", "28")
    cli("client", "add", "Caffè Ôrso", "--rate", "25")
    cli("task", "add", "rossi/Newsletter", "--estimate", "45m")
    cli("task", "add", "rossi/Fatture", "--estimate", "20m")
    cli("task", "add", "caffe/Social post", "--estimate", "25m")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo's store (eight duties showing every verdict), built once per session."""
    return build_demo(tmp_path_factory.mktemp("demo"), now=int(NOW.timestamp()))


@pytest.fixture
def demo(isolated_home, demo_db) -> Path:
    """This test's home holds a copy of the demo's store."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_db, db_file(isolated_home))
    return isolated_home
