"""Import hygiene: no cycles, and the commands typed all day stay light."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import mansioni

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "typer", "rich", "pendulum", "babel", "pydantic")


def all_modules() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.walk_packages(mansioni.__path__, "mansioni.")
        if ".migrations" not in m.name
    )


@pytest.mark.parametrize("module", all_modules())
def test_each_module_imports_alone(module):
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


PROBE = """
import sys
from mansioni.cli import quick
code = quick.run(sys.argv[1:])
assert code is not None, "the quick path declined"
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(%r))
print('HEAVY:' + ','.join(heavy))
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["status"],
        ["status", "--json"],
        ["start", "rossi/news", "--at", "15m ago", "--note", "x"],
        ["stop"],
        ["start", "caffe/social"],
        ["cancel"],
    ],
)
def test_quick_commands_import_nothing_heavy(cli, rossi, argv):
    result = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,), *argv], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_domain_imports_nothing_of_the_outer_layers():
    code = (
        "import sys, mansioni.domain.entries, mansioni.domain.names, mansioni.domain.timeparse,"
        " mansioni.domain.values\n"
        "print(sorted(m for m in sys.modules if m.startswith('mansioni.') and not"
        " m.startswith(('mansioni.domain', 'mansioni.errors', 'mansioni.i18n'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]"


FULL_PROBE = """
import sys
from mansioni.cli.app import run_app
code = run_app(sys.argv[1:])
assert code == 0, code
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'alembic'})
print('ORM:' + ','.join(heavy))
"""


@pytest.mark.parametrize(
    "argv", [["log", "--month"], ["review"], ["history", "rossi/news"], ["undo"], ["info"]]
)
def test_full_path_commands_on_a_current_sqlite_store_load_no_orm(cli, rossi, argv):
    """SQLAlchemy costs a third of a second: only the catalog, upgrades and other
    databases need it."""
    cli("add", "rossi/news", "9:00-9:30")
    result = subprocess.run(
        [sys.executable, "-c", FULL_PROBE, *argv], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "ORM:"


def test_a_store_to_create_still_goes_through_the_orm(isolated_home):
    result = subprocess.run(
        [sys.executable, "-c", FULL_PROBE, "log", "--month"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "ORM:alembic,sqlalchemy,sqlmodel"
    assert (isolated_home / "mansioni.db").exists()
