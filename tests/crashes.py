"""``kill -9`` at random moments of the write commands, and what the store must look like after.

Shared by ``tests/test_crash.py`` (about fifty kills in every run of the suite) and
``scripts/crash_test.py`` (a few hundred, by hand). One driver process imports
mansioni once, prepares a store (the demo's duties, a running timer for two people)
and a Watson frames file, then for each kill:

1. copies the prepared store into a folder of its own;
2. forks a child that runs the real ``mansioni.__main__.main()`` on one write command
   (start, stop, add, edit, change, delete, undo, task add, client add, decide, or a
   3,000-frame Watson import) against that copy;
3. sends it ``SIGKILL`` after a delay drawn from a seeded random generator: a fraction
   of the command's life, as measured by a first run of the same command that was
   not killed (drawn with a density that grows towards the end of the life, where the
   transaction is);
4. checks the store: ``PRAGMA integrity_check`` is ok, ``foreign_key_check`` is
   empty, the store holds either everything the command writes or none of it (its
   tables equal those before the command or those after the unkilled run), the
   journal and the tables agree (the latest journal row of every live client, task,
   entry, event and import record is that row, and no row lacks its journal), every
   operation has its journal, and nobody has two running timers;
5. runs ``undo`` (not killed): it exits 0 or 1 ("nothing to undo", or a conflict),
   never with a traceback, and leaves the store as sound as before.

Everything the children do hangs on the fixed instant ``NOW`` (``clock.now`` is
replaced in the driver before it forks), so two runs with the same seed kill the same
commands at the same fractions of their lives: a failure can be replayed with
``python scripts/crash_test.py --seed S --kills N``. Only the machine's speed moves
the exact instant.

Run as a program (``python tests/crashes.py --json ...``) it prints its report as
JSON; ``drive()`` runs it so, in a fresh interpreter, for the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The instant every command runs at: Friday 27 November 2026, 15:00 in Rome.
NOW = 1_795_788_000
PEOPLE = ("vera", "ugo")
FRAMES = 3_000
#: Each journaled table, as ``mansioni.store.writer.TABLES`` has them.
JOURNALED = ("client", "task", "entry", "task_event", "imported")
ALL_TABLES = ("client", "task", "entry", "task_event", "imported", "operation", "journal")

#: The write commands, by the name the summary uses; ``{entry}`` and ``{frames}`` are
#: filled in once the store is prepared.
COMMANDS: dict[str, list[str]] = {
    "start": ["start", "rossi/fatture", "--note", "switch"],
    "stop": ["stop", "--note", "done"],
    "add": ["add", "rossi/fatture", "9:00-9:40", "--date", "2025-06-02", "--note", "late"],
    "edit": ["edit", "{entry}", "--note", "edited", "--atypical"],
    "change": ["change", "rossi/newsletter", "also the social posts", "--estimate", "55m"],
    "delete": ["delete", "{entry}"],
    "undo": ["undo"],
    "task add": ["task", "add", "rossi/Preventivi", "--estimate", "20m", "--rate", "30"],
    "client add": ["client", "add", "Bottega Verdi", "--hour-value", "50", "--rate", "27"],
    "decide": ["decide", "rossi/newsletter", "keep", "--note", "keeps delegating"],
    "import": ["import", "watson", "{frames}"],
}


# --- the prepared store ---------------------------------------------------------------


def write_frames(path: Path, count: int = FRAMES) -> Path:
    """A Watson frames file: ``count`` half-hour frames, one an hour, from September 2020."""
    from helpers import watson_frames

    return watson_frames(path, count, begin=1_600_000_000)


def prepare(folder: Path) -> Path:
    """The store every kill starts from: the demo's, plus a running timer for each person."""
    sys.path.insert(0, str(HERE))
    from helpers import build_demo, checkpoint
    from mansioni.services import timer
    from mansioni.store.quick import QuickStore

    db = build_demo(folder, now=NOW)
    store = QuickStore(str(db))
    for person, task, minutes in (("vera", "caffe/inbox", 40), ("ugo", "ferri/agenda", 90)):
        timer.start(
            store,
            task=task,
            person=person,
            now=NOW,
            zone="Europe/Rome",
            at=NOW - minutes * 60,
        )
    checkpoint(db)
    return db


def last_ended_entry(db: Path) -> int:
    """The newest finished entry of ``vera``: the one edit and delete work on."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT MAX(id) FROM entry WHERE person = 'vera' AND end_utc IS NOT NULL"
        ).fetchone()[0]
    finally:
        conn.close()


# --- what a store must look like ------------------------------------------------------


def dump(db: Path) -> dict[str, list[list]]:
    """Every row of every table, in id order (lists, so it survives JSON)."""
    conn = sqlite3.connect(db)
    try:
        return {
            t: [list(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY id")] for t in ALL_TABLES
        }
    finally:
        conn.close()


def problems(db: Path) -> list[str]:
    """What is wrong with the store at ``db``: an empty list when it is sound."""
    from mansioni.store.db import SqliteDb
    from mansioni.store.writer import Writer, row_json

    found: list[str] = []
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            return [f"integrity_check: {integrity[:5]}"]
        orphans = conn.execute("PRAGMA foreign_key_check").fetchall()
        if orphans:
            found.append(f"foreign_key_check: {orphans[:5]}")
        twice = conn.execute(
            "SELECT person, COUNT(*) FROM entry WHERE end_utc IS NULL "
            "GROUP BY person HAVING COUNT(*) > 1"
        ).fetchall()
        if twice:
            found.append(f"more than one running timer: {twice}")
        bare = conn.execute(
            "SELECT id, command FROM operation WHERE id NOT IN (SELECT operation_id FROM journal)"
        ).fetchall()
        if bare:
            found.append(f"operations without a journal: {bare[:5]}")
        # Replay the journal: the latest after_json of every row it names is that row as
        # stored (None: deleted), and every stored row has a journal.
        conn.row_factory = sqlite3.Row
        latest = {
            (r["table_name"], r["row_id"]): r["after_json"]
            for r in conn.execute("SELECT table_name, row_id, after_json FROM journal ORDER BY id")
        }
        reader = SqliteDb(conn)
        for table in JOURNALED:
            live = {r[0] for r in conn.execute(f"SELECT id FROM {table}")}
            named = {row_id for (t, row_id) in latest if t == table}
            for row_id in sorted(live - named):
                found.append(f"{table} {row_id} has no journal")
            for row_id in sorted(named):
                stored = row_json(Writer.get_row(reader, table, row_id))
                if stored != latest[(table, row_id)]:
                    found.append(
                        f"{table} {row_id}: journal says {latest[(table, row_id)]}, "
                        f"table holds {stored}"
                    )
    finally:
        conn.close()
    return found[:20]


# --- the children ---------------------------------------------------------------------


def _child(argv: list[str], home: Path, output: Path) -> None:
    """In the forked child: run the real command line on ``home``'s store; never returns."""
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        os.chdir(home)
        os.environ["MANSIONI_HOME"] = str(home)
        os.environ.pop("MANSIONI_DB", None)
        sys.argv = ["mansioni", *argv]
        from mansioni.__main__ import main

        main(argv)  # leaves through os._exit with the command's status
    except BaseException:  # noqa: BLE001 - anything escaping main() is a finding
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(99)
    os._exit(98)


def spawn(argv: list[str], home: Path, output: Path) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _child(argv, home, output)
    return pid


def run_to_end(argv: list[str], home: Path, output: Path) -> tuple[int, float]:
    """Run a command to its end: (exit status, seconds it took)."""
    began = time.monotonic()
    pid = spawn(argv, home, output)
    _pid, status = os.waitpid(pid, 0)
    took = time.monotonic() - began
    return os.waitstatus_to_exitcode(status), took


def run_and_kill(
    argv: list[str], home: Path, output: Path, delay: float
) -> tuple[bool, int, float | None]:
    """Run a command and ``SIGKILL`` it after ``delay`` seconds: (was it killed, its
    status, and how long it lived if it ended on its own first)."""
    began = time.monotonic()
    pid = spawn(argv, home, output)
    ended = _wait_for_end(pid, delay)
    lived = time.monotonic() - began if ended else None
    if not ended:
        os.kill(pid, signal.SIGKILL)
    _pid, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    return killed, os.waitstatus_to_exitcode(status), lived


def _wait_for_end(pid: int, delay: float) -> bool:
    """Wait up to ``delay`` seconds for the child to end (without reaping it): did it?"""
    import select

    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux 5.3+: sleep, then look
        time.sleep(delay)
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    try:
        readable, _w, _x = select.select([fd], [], [], delay)
        return bool(readable)
    finally:
        os.close(fd)


def _read(path: Path) -> str:
    """What a child printed (nothing, if it was killed before it opened its output)."""
    return path.read_text(errors="replace") if path.exists() else ""


# --- the loop -------------------------------------------------------------------------


@dataclass
class Kill:
    index: int
    command: str
    fraction: float  # of the command's life, when the signal was sent
    delay: float  # seconds
    killed: bool  # False: the command had already ended
    status: int
    lived: float | None = None  # seconds, when it ended before the signal
    state: str = ""  # "before", "after": which whole state the store holds
    undo_status: int | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    seed: int
    kills: int
    lives: dict[str, float] = field(default_factory=dict)
    runs: list[Kill] = field(default_factory=list)
    store_dir: str = ""

    @property
    def failed(self) -> list[Kill]:
        return [k for k in self.runs if k.problems]

    def summary(self) -> str:
        lines = [
            f"seed {self.seed}: {sum(k.killed for k in self.runs)} kills in {len(self.runs)} runs"
        ]
        for name in self.lives:
            mine = [k for k in self.runs if k.command == name]
            lines.append(
                f"  {name:<11} life {self.lives[name] * 1000:7.1f} ms  "
                f"killed {sum(k.killed for k in mine):4d}  ended {sum(not k.killed for k in mine):3d}  "
                f"left before {sum(k.state == 'before' for k in mine):4d}  "
                f"after {sum(k.state == 'after' for k in mine):4d}  "
                f"failed {sum(bool(k.problems) for k in mine)}"
            )
        for k in self.failed:
            lines.append(
                f"FAILED #{k.index} {k.command} at {k.fraction:.3f} of its life "
                f"({k.delay * 1000:.1f} ms; killed={k.killed}, status {k.status}): "
                + "; ".join(k.problems)
            )
        if self.failed:
            lines.append(f"Stores of the failed runs kept in {self.store_dir}")
        return "\n".join(lines)


def _pin_the_clock() -> None:
    from mansioni import clock

    clock.now = lambda: NOW


def _warm_up() -> None:
    """Import what the commands import, once, so each child's life is the command itself."""
    import importlib

    from mansioni.cli.app import COMMANDS

    for entry in COMMANDS:  # the command line loads a command's module only when it runs
        importlib.import_module(f"mansioni.cli.{entry.module}")
    import mansioni.cli.quick  # noqa: F401
    import mansioni.services.importing  # noqa: F401
    import mansioni.sources.watson  # noqa: F401
    import mansioni.store.orm.engine  # noqa: F401


def kill_loop(
    *, kills: int, seed: int, store_dir: Path, commands: list[str] | None = None
) -> Report:
    """Kill ``kills`` commands (cycling through ``commands``) and check the store each time."""
    os.environ.setdefault("MANSIONI_TZ", "Europe/Rome")
    os.environ.setdefault("MANSIONI_LANG", "en")
    os.environ["MANSIONI_USER"] = "vera"
    os.environ.pop("MANSIONI_DB", None)
    _pin_the_clock()
    _warm_up()
    names = list(commands or COMMANDS)
    unknown = set(names) - set(COMMANDS)
    if unknown:
        raise ValueError(f"unknown commands: {sorted(unknown)}; known: {list(COMMANDS)}")
    store_dir.mkdir(parents=True, exist_ok=True)
    prepared = prepare(store_dir / "prepared")
    frames = write_frames(store_dir / "frames.json")
    fill = {"entry": str(last_ended_entry(prepared)), "frames": str(frames)}
    argvs = {n: [a.format(**fill) for a in COMMANDS[n]] for n in names}
    before = dump(prepared)
    wrong = problems(prepared)
    if wrong:
        raise RuntimeError(f"the prepared store is not sound: {wrong}")

    report = Report(seed=seed, kills=kills, store_dir=str(store_dir))
    after: dict[str, dict] = {}
    for name in names:  # the unkilled runs: each command's life, and the state it leaves
        home = store_dir / f"whole-{name.replace(' ', '-')}"
        home.mkdir()
        shutil.copyfile(prepared, home / "mansioni.db")
        status, took = run_to_end(argvs[name], home, home / "output")
        if status != 0:
            raise RuntimeError(
                f"{name} ({argvs[name]}) exited {status} on the prepared store:\n"
                + (home / "output").read_text(errors="replace")
            )
        report.lives[name] = took
        after[name] = dump(home / "mansioni.db")
        shutil.rmtree(home)

    rng = random.Random(seed)
    for slot in range(kills):
        name = names[slot % len(names)]
        # A command that ended before the signal came is checked too, and drawn again.
        for _attempt in range(TRIES):
            # Skewed towards the end of the life, where the writes are (most of a short
            # command's life is spent before its transaction): the density grows linearly.
            fraction = rng.random() ** 0.5
            run = one_kill(
                len(report.runs) + 1,
                name,
                argvs[name],
                fraction,
                report.lives[name],
                prepared,
                store_dir,
                before,
                after[name],
            )
            report.runs.append(run)
            if run.killed:
                break
            # It ended first: the machine runs quicker now than when the life was
            # measured. Draw the next moment within the life it just had.
            if run.lived is not None:
                report.lives[name] = min(report.lives[name], run.lived)
    return report


#: How many times a kill is tried before moving on, when the command keeps ending first.
TRIES = 8


def one_kill(
    index: int,
    name: str,
    argv: list[str],
    fraction: float,
    life: float,
    prepared: Path,
    store_dir: Path,
    before: dict,
    after: dict,
) -> Kill:
    """Run ``argv`` on a copy of the prepared store, kill it at ``fraction`` of its
    ``life``, and check the store (and ``undo`` on it, if the command was killed)."""
    delay = fraction * life
    home = store_dir / f"kill-{index:04d}"
    home.mkdir()
    db = home / "mansioni.db"
    shutil.copyfile(prepared, db)
    killed, status, lived = run_and_kill(argv, home, home / "output", delay)
    run = Kill(index, name, fraction, delay, killed, status, lived=lived)
    output = _read(home / "output")
    if not killed and status != 0:
        run.problems.append(f"ended on its own with status {status}: {output[-500:]}")
    if "Traceback" in output:
        run.problems.append(f"traceback: {output[-500:]}")
    run.problems += problems(db)
    if not run.problems:
        state = dump(db)
        if state == before:
            run.state = "before"
        elif state == after:
            run.state = "after"
        else:
            run.problems.append("the store holds part of the command's writes")
        if not killed and run.state != "after":
            run.problems.append("the command ended, yet its writes are not all there")
    if killed and not run.problems:
        undo_status, _took = run_to_end(["undo"], home, home / "undo-output")
        run.undo_status = undo_status
        said = _read(home / "undo-output")
        if undo_status not in (0, 1) or "Traceback" in said:
            run.problems.append(f"undo after the crash exited {undo_status}: {said[-500:]}")
        run.problems += [f"after undo: {p}" for p in problems(db)]
    if not run.problems:
        shutil.rmtree(home)
    return run


# --- in a fresh interpreter -----------------------------------------------------------


def drive(*, kills: int, seed: int, store_dir: Path, commands: list[str] | None = None) -> dict:
    """Run ``kill_loop`` in a new interpreter (it forks; a test process should not) and
    return its report, as JSON data."""
    argv = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--json",
        "--kills",
        str(kills),
        "--seed",
        str(seed),
        "--store-dir",
        str(store_dir),
    ]
    if commands:
        argv += ["--commands", ",".join(commands)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    try:
        if done.returncode not in (0, 1):
            raise ValueError(done.returncode)
        return json.loads(done.stdout)
    except ValueError:
        raise RuntimeError(
            f"the kill loop broke (status {done.returncode}):\n{done.stdout[-2000:]}\n"
            f"{done.stderr[-4000:]}"
        ) from None


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="kill -9 mansioni's write commands at random moments and check the store "
        "after each kill."
    )
    parser.add_argument("--kills", type=int, default=300, help="how many kills (default 300)")
    parser.add_argument(
        "--seed", type=int, default=None, help="the random seed (default: a new one, printed)"
    )
    parser.add_argument(
        "--store-dir",
        type=Path,
        default=None,
        help="where the stores go (default: a new temporary folder); a failed run's store "
        "is kept there",
    )
    parser.add_argument(
        "--commands",
        default=None,
        help=f"a comma-separated subset of: {', '.join(COMMANDS)} (default: all)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    store_dir = args.store_dir or Path(tempfile.mkdtemp(prefix="mansioni-crash-"))
    commands = [c.strip() for c in args.commands.split(",")] if args.commands else None
    began = time.monotonic()
    report = kill_loop(kills=args.kills, seed=seed, store_dir=store_dir, commands=commands)
    if not report.failed and args.store_dir is None:
        shutil.rmtree(store_dir, ignore_errors=True)
    if args.json:
        data = asdict(report)
        data["failed"] = [asdict(k) for k in report.failed]
        print(json.dumps(data))
    else:
        print(report.summary())
        print(f"{time.monotonic() - began:.1f} s")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
