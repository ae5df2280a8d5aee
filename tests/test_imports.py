"""Import hygiene: no cycles, and the commands typed all day stay light."""

from __future__ import annotations

import json
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


#: One interpreter imports each module alone: it loads the third-party libraries once,
#: then forks a child per module, which imports that module into an interpreter holding
#: no module of mansioni, as a fresh one would; a cycle or a missing import among
#: mansioni's modules fails there as it would in a new process, at a fraction of the cost.
EACH_ALONE = """
import json, os, sys, traceback
for library in %r:
    try:
        __import__(library)
    except ImportError:
        pass
assert not [m for m in sys.modules if m.split('.')[0] == 'mansioni'], 'mansioni preloaded'
results = {}
for module in sys.argv[1:]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            __import__(module)
            code = 0
        except BaseException:
            os.write(w, traceback.format_exc().encode())
            code = 1
        os._exit(code)
    os.close(w)
    with os.fdopen(r, 'rb') as pipe:
        error = pipe.read().decode()
    results[module] = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), error]
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def imported_alone() -> dict[str, list]:
    """Each module's exit status and traceback, imported alone (see ``EACH_ALONE``)."""
    result = subprocess.run(
        [sys.executable, "-c", EACH_ALONE % (HEAVY,), *all_modules()],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("module", all_modules())
def test_each_module_imports_alone(module, imported_alone):
    code, error = imported_alone[module]
    assert code == 0, error


def test_importing_alone_finds_a_cycle(tmp_path):
    """The probe above does see a cycle: two modules importing a name from each other."""
    (tmp_path / "cycle_a.py").write_text("from cycle_b import B\nA = 1\n")
    (tmp_path / "cycle_b.py").write_text("from cycle_a import A\nB = 1\n")
    result = subprocess.run(
        [sys.executable, "-c", EACH_ALONE % ((),), "cycle_a", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    found = json.loads(result.stdout)
    assert found["json"] == [0, ""]
    assert found["cycle_a"][0] == 1 and "ImportError" in found["cycle_a"][1]


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
    "argv",
    [
        ["log", "--month"],
        ["review"],
        ["history", "rossi/news"],
        ["undo"],
        ["info"],
        ["report", "--month"],
        ["task", "list"],
    ],
)
def test_full_path_commands_on_a_current_sqlite_store_load_no_orm(cli, rossi, argv):
    """SQLAlchemy costs a third of a second: only a new store, an upgrade and other
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
