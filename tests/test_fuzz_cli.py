"""Random command lines over every command: no traceback, an exit status from the documented
set (0, 1, 2, 3), and nothing written by a command that did not succeed.

The commands are found in the Typer app itself (its click command tree), so a new
command is fuzzed as soon as it exists. Each example runs one command line against
a fresh copy of a small store (two clients, three tasks, a few entries, a running
timer), in-process (the quick path first for ``start``, ``stop``, ``cancel`` and
``status``, as ``python -m mansioni`` does, then Typer's runner), with arguments
drawn from: the store's own names, typos of them, random text with control
characters, huge and negative numbers, dates valid and not, option names of the
command and of others, and arguments left out. Files a command may write go into a
folder of the example's own (paths never leave it).

``demo`` builds a whole store per call, too slow to fuzz: its own test below checks
that it writes into a new temporary folder only.

By default 200 examples (``EXAMPLES``: a few seconds). For a long run, ten times as
many (the ``long`` profile of tests/conftest.py), each run drawing new ones:
``HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz_cli.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
import typer.main
import typer.testing
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import checkpoint, db_file
from mansioni import clock
from mansioni.cli.app import app

EXAMPLES = 200
NOW = 1_795_788_000  # 27 November 2026, 15:00 in Rome
EXIT_STATUSES = {0, 1, 2, 3}
#: A Watson frames file in the folder the commands run in: three frames, one of a new task.
FRAMES = (
    '[[1795000000, 1795001800, "Studio Rossi/Newsletter", "a1", [], 0],'
    ' [1795003600, 1795005400, "Verdi/Inbox", "a2", ["x"], 0],'
    ' [1795009000, 1795008000, "Verdi/Inbox", "a3", [], 0]]'
)
#: Not fuzzed here (see the module's docstring).
EXCLUDED = {("demo",)}


def _commands() -> dict[tuple[str, ...], object]:
    """Every leaf command of the app, by its path: ``("client", "add")``."""
    found: dict[tuple[str, ...], object] = {}

    def walk(command, path: tuple[str, ...]) -> None:  # noqa: ANN001
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, (*path, name))
        elif path not in EXCLUDED:
            found[path] = command

    walk(CLICK_APP, ())
    return found


CLICK_APP = typer.main.get_command(app)
COMMANDS = _commands()


def _options(command) -> list[tuple[str, bool, str]]:  # noqa: ANN001
    """(option, whether it is a flag, the parameter's name) for each option of ``command``."""
    out = []
    for param in command.params:
        if param.param_type_name == "option":
            for option in param.opts:
                out.append((option, bool(getattr(param, "is_flag", False)), param.name))
    return out


def _arguments(command) -> list[tuple[str, bool, int]]:  # noqa: ANN001
    """(name, required, nargs) for each positional argument of ``command``."""
    return [
        (p.name, bool(p.required), p.nargs)
        for p in command.params
        if p.param_type_name == "argument"
    ]


ALL_OPTIONS = sorted({option for c in COMMANDS.values() for option, _f, _n in _options(c)})

#: Words that fit a parameter, by the parameter's name (an argument's or an option's).
TASKS = [
    "rossi/news",
    "rossi/newsletter",
    "Studio Rossi/Newsletter",
    "rossi/fatture",
    "caffe/social",
    "Caffè Ôrso/Social post",
    "rossi/Nuova",
    "caffe/Inbox",
]
CLIENTS = ["Studio Rossi", "rossi", "Caffè Ôrso", "caffe", "Bottega Verdi"]
TIMES = ["9:00", "14:30", "23:59", "25:00", "yesterday 9:00", "2026-11-20 10:00", "now"]
DAYS = ["2026-11-20", "2026-11-27", "yesterday", "today", "tomorrow", "november 2026"]
AMOUNTS = ["28", "28,50", "28.50", "0", "1000000", "1e3"]
DURATIONS = ["45m", "1h30", "0m", "90", "2h"]
NUMBERS = ["1", "2", "3", "5", "11", "15", "30", "0"]
FILES = ["frames.json", "missing.json", "out.csv", "out.html", "backup.db", ".", "-"]
FITTING: dict[str, list[str]] = {
    "task": TASKS,
    "ref": TASKS,
    "name": CLIENTS + ["Bottega Verdi", "Nuovo"],
    "client": CLIENTS,
    "new_name": ["Nuovo", "Studio Rossi", "Caffè Ôrso"],
    "entry_id": NUMBERS,
    "when": ["9:00-10:00", "10:00-9:00", "9:00-9:00", "22:00-2:00", "9:00+45m"],
    "what": ["now also the social posts", "bigger list"],
    "duration": DURATIONS,
    "estimate": DURATIONS,
    "decision": ["keep", "renegotiated", "hand-back", "hand_back"],
    "at": TIMES + DAYS,
    "start": TIMES + DAYS,
    "end": TIMES + DAYS,
    "date": DAYS,
    "as_of": DAYS,
    "note": ["done", "line\nbreak", "tab\there"],
    "description": ["weekly, Mailchimp"],
    "rate": AMOUNTS,
    "hour_value": AMOUNTS,
    "currency": ["EUR", "USD", "eur", "XYZ"],
    "rounding": NUMBERS,
    "minimum": NUMBERS,
    "oversight": DURATIONS,
    "trial": ["30", "60", "90d"],
    "basis": ["occurrence", "week", "month", "year"],
    "state": ["trial", "active", "handed_back", "archived"],
    "steps": NUMBERS,
    "fmt": ["csv", "json", "jsonl", "html", "md", "markdown", "xlsx", "pdf"],
    "by": ["task", "client", "day", "week"],
    "output": FILES,
    "path": FILES,
    "file": FILES,
    "map_file": FILES,
    "zone": ["Europe/Rome", "UTC", "Mars/Olympus"],
    "date_format": ["dmy", "mdy", "ymd"],
    "month_words": ["november", "2026-11", "last", "month"],
    "home": ["demo-home"],
}
DATES = [
    "2026-11-20",
    "2026-11-27",
    "2026-02-29",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "1969-12-31",
    "1970-01-01",
    "20/11/2026",
    "2026-11-20T09:00",
    "2026-11-20 09:00",
]


def _typo(word: str, position: int, kind: int) -> str:
    if not word:
        return word
    i = position % len(word)
    if kind == 0:
        return word[:i] + word[i + 1 :]  # a letter left out
    if kind == 1:
        return word[:i] + word[i] + word[i:]  # a letter typed twice
    j = min(i + 1, len(word) - 1)
    return word[:i] + word[j] + word[i] + word[j + 1 :] if j > i else word + "x"


def _safe(text: str) -> bool:
    """A value that cannot name a path outside the example's folder (as a file to write)."""
    return not text.startswith(("/", "~")) and ".." not in text and "\x00" not in text


typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=24,
)
control_text = st.builds(
    lambda a, c, b: a + c + b,
    st.sampled_from(["", "rossi/", "Studio ", "9:00"]),
    st.sampled_from(["\x1b]0;PWNED\x07", "\x1b[31m", "\r", "\n", "\t", "\x7f", "\x08", "\u202e"]),
    st.sampled_from(["", "news", "x", "10:00"]),
)
numbers = st.one_of(
    st.integers(min_value=2**63 - 2, max_value=10**30),
    st.integers(min_value=-(10**30), max_value=-1),
    st.integers(min_value=0, max_value=100),
).map(str)
any_word = st.sampled_from(sorted({w for words in FITTING.values() for w in words}))
wild = st.one_of(
    st.builds(_typo, any_word, st.integers(0, 40), st.integers(0, 2)),
    any_word,
    typed_text,
    control_text,
    numbers,
    st.sampled_from(DATES),
    st.sampled_from(ALL_OPTIONS),
)


def value_for(name: str) -> st.SearchStrategy[str]:
    """A value for the parameter ``name``: one that fits it about half of the time (so
    that many command lines get past their parsing into the services and the store),
    else anything (a typo, random text, a huge number, another option's name...)."""
    fitting = st.sampled_from(FITTING.get(name, NAMES_FALLBACK))
    return st.one_of(fitting, fitting, fitting, fitting, fitting, wild).filter(_safe)


NAMES_FALLBACK = TASKS + CLIENTS


@st.composite
def command_lines(draw) -> list[str]:
    path = draw(st.sampled_from(sorted(COMMANDS)))
    command = COMMANDS[path]
    argv = list(path)
    positionals = []
    for name, required, nargs in _arguments(command):
        # Sometimes left out, even when required; a variadic one takes a few.
        if draw(st.booleans()) if not required else draw(st.integers(0, 14)) == 0:
            continue
        count = draw(st.integers(1, 3)) if nargs == -1 else 1
        positionals += [draw(value_for(name)) for _ in range(count)]
    options: list[str] = []
    own = _options(command)
    for _ in range(draw(st.integers(0, 3))):
        if own and draw(st.integers(0, 14)):
            option, flag, name = draw(st.sampled_from(own))
        else:  # an option of another command
            option, flag, name = draw(st.sampled_from(ALL_OPTIONS)), draw(st.booleans()), ""
        options.append(option)
        if not flag and draw(st.integers(0, 14)):  # a value, or (rarely) none
            options.append(draw(value_for(name.lstrip("-"))))
    if draw(st.booleans()):
        return argv + positionals + options
    return argv + options + positionals


# --- the store every example starts from ---------------------------------------------------


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    """Two clients, three tasks, entries, a decision's worth of history, a running timer."""
    from mansioni.services import catalog, timer
    from mansioni.store.orm.engine import AlchemyStore

    folder = tmp_path_factory.mktemp("small")
    db = db_file(folder)
    store = AlchemyStore(f"sqlite:///{db}")
    zone = "Europe/Rome"
    try:
        catalog.add_client(
            store,
            values={"name": "Studio Rossi", "hour_value_cents": 9000, "rate_cents": 2800},
            person="vera",
            now=NOW - 40 * 86400,
        )
        catalog.add_client(
            store, values={"name": "Caffè Ôrso", "rate_cents": 2500}, person="vera", now=NOW
        )
        for ref, minutes in (
            ("rossi/Newsletter", 45),
            ("rossi/Fatture", 20),
            ("caffe/Social post", 25),
        ):
            catalog.add_task(
                store,
                ref,
                values={"estimate_seconds": minutes * 60},
                person="vera",
                now=NOW - 40 * 86400,
            )
        for day in range(1, 30, 3):
            begin = NOW - day * 86400
            timer.add(
                store,
                task="rossi/news" if day % 2 else "caffe/social",
                person="vera",
                now=NOW,
                zone=zone,
                begin=begin,
                end=begin + 1800 + day * 60,
            )
        timer.start(store, task="rossi/fatture", person="vera", now=NOW, zone=zone, at=NOW - 600)
    finally:
        store.dispose()
    checkpoint(db)
    return db


#: SQLite's own files beside the store: what they hold is compared as the store's rows.
COMPANIONS = ("-wal", "-shm", "-journal")


def snapshot(home: Path, cwd: Path) -> tuple[dict, dict, dict]:
    """Every row of every table of the store; every file in ``cwd`` with its bytes; and
    every file in ``home`` but the store and SQLite's own beside it (a damage mark, a
    copy made before an upgrade), with its bytes."""
    store = db_file(home)
    conn = sqlite3.connect(store)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    finally:
        conn.close()
    sqlite_own = frozenset({store.name, *(store.name + suffix for suffix in COMPANIONS)})
    return rows, _files(cwd), _files(home, skip=sqlite_own)


def _files(folder: Path, skip: frozenset[str] = frozenset()) -> dict[str, bytes | None]:
    return {
        p.name: p.read_bytes() if p.is_file() else None
        for p in folder.iterdir()
        if p.name not in skip
    }


def test_the_snapshot_sees_a_file_left_beside_the_store(small_store, tmp_path):
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    shutil.copyfile(small_store, db_file(home))
    before = snapshot(home, cwd)
    (home / "mansioni.db-wal").write_bytes(b"")  # SQLite's own: the rows tell
    assert snapshot(home, cwd) == before
    (home / "mansioni.db.damaged").write_text("")
    assert snapshot(home, cwd) != before


def run(argv: list[str]) -> tuple[int, str]:
    """What ``python -m mansioni`` would do with ``argv``: its exit status and output."""
    from mansioni.cli import quick

    if argv and argv[0] in quick.COMMANDS:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = quick.run(argv)
        if code is not None:
            return code, out.getvalue() + err.getvalue()
    result = CliRunner().invoke(app, argv, catch_exceptions=False)
    return result.exit_code, result.output


@settings(
    max_examples=EXAMPLES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
@given(argv=command_lines())
@example(argv=["edit", "9223372036854775808", "--note", "x"])
@example(argv=["delete", "99999999999999999999"])
@example(argv=["client", "add", "Esc\x1b]0;PWNED\x07Co"])
@example(argv=["backup", "x\x1b]0;PWNED\x07y"])
@example(argv=["report", "-o", "x\x1b]0;PWNED\x07y"])
@example(argv=["undo", "--steps", "-1"])
@example(argv=["add", "rossi/news", "9:00-10:00", "--date", "2026-02-30"])
def test_any_command_line_ends_cleanly_and_a_refused_one_writes_nothing(
    small_store, tmp_path, monkeypatch, argv
):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    # Typer builds the click command tree anew for every call (some 40 ms): build it once.
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: CLICK_APP)
    base = Path(tempfile.mkdtemp(dir=tmp_path))
    home, cwd = base / "home", base / "cwd"
    home.mkdir()
    cwd.mkdir()
    shutil.copyfile(small_store, db_file(home))
    (cwd / "frames.json").write_text(FRAMES)
    before = snapshot(home, cwd)
    os.environ["MANSIONI_HOME"] = str(home)  # (monkeypatch restores it after the test)
    here = os.getcwd()
    os.chdir(cwd)
    try:
        code, output = run(argv)
    finally:
        os.chdir(here)
    event(f"exit status {code}")
    assert "Traceback" not in output, (argv, output)
    # A terminal control character typed or stored is never printed raw (escape, bell).
    assert "\x1b" not in output and "\x07" not in output, (argv, output)
    assert code in EXIT_STATUSES, (argv, code, output)
    if code != 0:
        assert snapshot(home, cwd) == before, (argv, code, output)
    shutil.rmtree(base)


def test_every_command_is_fuzzed():
    names = {" ".join(path) for path in COMMANDS}
    assert {"start", "add", "edit", "client add", "task edit", "import watson", "backup"} <= names
    assert len(names) >= 30


def test_demo_writes_into_a_new_temporary_folder_only(cli, isolated_home, tmp_path, monkeypatch):
    cli("client", "add", "Studio Rossi")
    mine = snapshot(isolated_home, isolated_home)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again

    cli("demo")

    assert snapshot(isolated_home, isolated_home) == mine
    (built,) = scratch.iterdir()
    assert built.name.startswith("mansioni-demo-")
    assert (built / "mansioni.db").is_file()
