"""What a machine may lack (``@pytest.mark.requires``): a plain run skips those tests and
says why in one line; with ``MANSIONI_TEST_REQUIRE_ALL=1``, as CI runs, they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import conftest

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent
NO_CHROMIUM = "/nonexistent/chromium"
REASON = f"chromium: MANSIONI_CHROMIUM={NO_CHROMIUM} is not an executable file"


def browser_tests(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """The browser tests, in a pytest of their own, with no Chromium to be found."""
    environ = {k: v for k, v in os.environ.items() if k != conftest.REQUIRE_ALL}
    environ.update(MANSIONI_CHROMIUM=NO_CHROMIUM, MANSIONI_TEST_ARTIFACTS=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist"]
        + ["-q", str(TESTS / "test_browser.py")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=TESTS.parent,
        env=environ,
    )


def test_a_plain_run_skips_them_and_says_why_in_one_line(tmp_path):
    done = browser_tests(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"SKIPPED [5] tests/test_browser.py: {REASON}\n" in done.stdout
    assert "7 skipped" in done.stdout.splitlines()[-1]


def test_with_require_all_a_missing_requirement_fails(tmp_path):
    done = browser_tests(tmp_path, **{conftest.REQUIRE_ALL: "1"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{REASON} ({conftest.REQUIRE_ALL}=1)" in done.stdout
    assert "7 errors" in done.stdout.splitlines()[-1]
    assert "passed" not in done.stdout.splitlines()[-1]
