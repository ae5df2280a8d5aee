"""Wall-clock benchmark of whole ``mansioni`` processes against stores of growing size.

Usage (from the repository root, with the virtualenv that has ``mansioni`` installed)::

    python benchmarks/bench.py                       # sizes 0,10000,100000,1000000
    python benchmarks/bench.py --sizes 0,10000 --runs 15 --warmup 2
    python benchmarks/bench.py --only status,log     # a few rows (python -c pass always)
    python benchmarks/bench.py --keep                # keep the stores for the next run
    python benchmarks/bench.py --rebuild --keep      # rebuild them even if they look fine
    python benchmarks/bench.py --json results.json   # also save every sample
    python benchmarks/bench.py --sizes '' --import-sizes 100000   # only the import, 3 runs
    python benchmarks/bench.py --import-sizes 100000 --import-runs 5  # both

What it does, for each size N (benchmarks/README.md tells it whole):

1. **Fixture.** A store in ``benchmarks/.stores/N/`` (``MANSIONI_HOME`` points
   there). Its schema, 5 clients and 40 tasks are made by the real tool (``client
   add``, ``task add client/task``), once, into ``benchmarks/.stores/_template/``,
   which each size copies (SQLite backup API). Then N finished entries are
   bulk-inserted with stdlib ``sqlite3`` (one transaction, no undo-journal rows,
   ``ANALYZE`` at the end): person ``bench``, zone ``Europe/Rome``, spread evenly
   over the five years that end at midnight today (local), over the 40 tasks, never
   overlapping, durations of 10-120 minutes capped to each entry's slot; seeded. No
   task has an estimate, a rate or an event. A store is reused when its side file
   ``fixture.json`` says it holds exactly those N entries, clients and tasks, and
   nothing a run of this script writes is left in it.
2. **Timing.** Whole processes, started with ``subprocess.Popen`` and reaped with
   ``os.wait4`` between two ``time.perf_counter`` calls (the wall time) and the
   child's peak memory (``ru_maxrss``), with ``MANSIONI_HOME`` = the store,
   ``MANSIONI_USER=bench``, ``MANSIONI_TZ=Europe/Rome``, ``MANSIONI_LANG=en``
   (``MANSIONI_DB`` removed), stdout to ``/dev/null``. After ``--warmup`` rounds,
   ``--runs`` rounds; in each round every row (``ROWS``; ``--only`` picks some)
   runs once, in turn (interleaved, so a burst of load hits all of them alike):
   the floors (``python -c pass``, which every ratio is divided by, and a stdlib
   ``sqlite3`` insert), ``status``, ``start``/``stop``, ``add``/``edit``/``undo``/
   ``delete`` of one entry the round adds, ``log --month``, ``client list``/``show``,
   ``task list``/``show``, ``info``, ``history``, the answers to a shell's Tab
   (``mansioni __complete``: a client's duties, the newest entry ids; each checked
   once, untimed, to offer them), ``change``/``estimate``/``decide``
   (each undone, untimed, at once), ``review``, ``report --month`` and the
   whole-history report. Writes leave the store as they found it but for the
   timer's entry and the journal; that is checked after the rounds. A row whose
   command the tool does not have (its ``--help`` fails) is skipped with a note;
   any other timed process that exits non-zero stops the benchmark with its stderr.
3. **Report.** Tables (rows: commands, columns: each row's goal and the sizes,
   cells: ``median ms (xratio to python -c pass)``; the minimums; the peak memory),
   each goal held against the medians, the stores, the machine and the date;
   ``--json FILE`` saves every sample (ms) and every peak (MiB).
4. **Import** (only with ``--import-sizes``). A Watson ``frames`` file of N frames
   (the times of the store fixture of the same N, the 40 ``client/task`` projects)
   in ``benchmarks/.stores/import-N/``; rounds of the floor (``json`` + ``sqlite3``
   insert of the same frames), ``mansioni import watson FRAMES`` into a new store,
   and the same import again (nothing added); the counts are checked after each.
   Time and peak memory against the requirement (100,000 frames under a minute)
   and the goal (10 s, 100 MiB).

Without ``--keep`` the stores (and the template) this run built are deleted at the
end; stores kept by an earlier run and reused stay.

One file, longer than the project's modules, on purpose: it runs from a checkout with
nothing but the interpreter the tool is installed in, imports nothing of the tool's
but its schema revision (it times the tool from outside), and reads top to bottom:
the rows and goals, the tool, the fixtures, the timing, the report, ``main``.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
STORES = HERE / ".stores"
TEMPLATE = STORES / "_template"
SCRATCH = STORES / "_scratch"
FIXTURE_FILE = "fixture.json"
DB_FILE = "mansioni.db"  # mansioni.store.paths.DB_FILENAME

PERSON = "bench"
ZONE = "Europe/Rome"
YEARS = 5
SEED = 20_261_127

#: 5 clients x 8 tasks = 40 tasks. The timer benchmark uses the first task.
CLIENTS = ("Studio Rossi", "Bottega Verdi", "Caffè Orso", "Farmacia Neri", "Hotel Bianchi")
TASKS = (
    "newsletter",
    "inbox",
    "invoices",
    "social",
    "calendar",
    "travel",
    "bookkeeping",
    "support",
)
TIMER_TASK = "rossi/newsletter"
#: The task of ``history`` and of the writes to a task's story (``change``,
#: ``estimate``, ``decide``): a fixture task, each write undone in the same round.
STORY_TASK = "rossi/inbox"
SHOW_CLIENT = "rossi"
#: What a shell asks at Tab (``mansioni.complete``'s protocol, zsh's form: values with
#: their descriptions): ``mansioni start ro<Tab>`` (the duties of the one client that
#: matches) and ``mansioni edit <Tab>`` (the newest entry ids, with duty and day).
COMPLETE_TASK = ("__complete", "zsh", "--", "start", "ro")
COMPLETE_ID = ("__complete", "zsh", "--", "edit", "")
#: ``add`` records this slot on the day before the fixture's first day (nothing is
#: there), ``edit`` moves its end, ``delete`` removes it.
ADD_SLOT = ("09:00", "10:00", "10:30")  # start, end, end after the edit


@dataclass(frozen=True)
class Goal:
    """A performance goal (the "Goals" table of benchmarks/README.md), held against a
    row's medians: a bound on the median time, on its ratio to ``python -c pass``, on
    the peak memory (max RSS), stated at one size (``size``) or at every size (None)."""

    text: str
    ms: float | None = None
    ratio: float | None = None
    mib: float | None = None
    size: int | None = None

    def applies(self, n: int) -> bool:
        return self.size is None or n == self.size

    def misses(self, ms: float, ratio: float, mib: float | None) -> list[str]:
        """What the median (and the peak) exceed; empty when the goal is met."""
        out = []
        if self.ms is not None and ms > self.ms:
            out.append(f"{ms:.0f} ms > {self.ms:g} ms")
        if self.ratio is not None and ratio > self.ratio:
            out.append(f"x{ratio:.1f} > x{self.ratio:g}")
        if self.mib is not None and mib is not None and mib > self.mib:
            out.append(f"{mib:.0f} MiB > {self.mib:g} MiB")
        return out


#: A command that touches a few rows: as quick as Watson's status, whatever the size.
LIGHT = Goal("<=150 ms, <=x7.5", ms=150, ratio=7.5)
QUICK = Goal("<=x3", ratio=3)
AT_1M = Goal("<=300 ms at 1M", ms=300, size=1_000_000)
WHOLE = Goal("<=2 s, <=100 MiB at 1M", ms=2000, mib=100, size=1_000_000)
IMPORT_GOAL = Goal("<=10 s, <=100 MiB at 100k", ms=10_000, mib=100, size=100_000)
#: A shell's Tab: the answer of ``mansioni __complete`` (names and ids read from the store).
COMPLETION = Goal("<=100 ms", ms=100)


@dataclass(frozen=True)
class Row:
    """One row of the table: ``key`` for ``--only``, ``name`` as printed, the goal, and
    the commands the row needs (``mansioni CMD --help`` must exit 0, else it is skipped;
    none for the baselines and the quick path, which every version has)."""

    key: str
    name: str
    goal: Goal | None = None
    needs: tuple[tuple[str, ...], ...] = ()


_ENTRY = (("add",), ("delete",))
ROWS = (
    Row("pass", "python -c pass"),
    Row("floor", "sqlite3 insert floor"),
    Row("status", "mansioni status", QUICK),
    Row("start", "mansioni start", QUICK),
    Row("stop", "mansioni stop", QUICK),
    Row("add", "mansioni add", LIGHT, _ENTRY),
    Row("edit", "mansioni edit", LIGHT, (*_ENTRY, ("edit",), ("undo",))),
    Row("undo", "mansioni undo", LIGHT, (*_ENTRY, ("edit",), ("undo",))),
    Row("delete", "mansioni delete", LIGHT, _ENTRY),
    Row("log", "mansioni log --month", LIGHT, (("log",),)),
    Row("client-list", "mansioni client list", LIGHT, (("client", "list"),)),
    Row("client-show", "mansioni client show", LIGHT, (("client", "show"),)),
    Row("task-list", "mansioni task list", LIGHT, (("task", "list"),)),
    Row("task-show", "mansioni task show", LIGHT, (("task", "show"),)),
    Row("info", "mansioni info", LIGHT, (("info",),)),
    Row("history", "mansioni history", LIGHT, (("history",),)),
    Row("complete-task", "completion: start TASK", COMPLETION, (("completion",),)),
    Row("complete-id", "completion: edit ID", COMPLETION, (("completion",),)),
    Row("change", "mansioni change", LIGHT, (("change",), ("undo",))),
    Row("estimate", "mansioni estimate", LIGHT, (("estimate",), ("undo",))),
    Row("decide", "mansioni decide", LIGHT, (("estimate",), ("decide",), ("undo",))),
    Row("review", "mansioni review", AT_1M, (("review",),)),
    Row("report-month", "mansioni report --month", AT_1M, (("report",),)),
    Row("report-all", "mansioni report (whole history)", WHOLE, (("report",),)),
)
ROW_BY_KEY = {row.key: row for row in ROWS}
ROW_BY_NAME = {row.name: row for row in ROWS}
BASELINE = "python -c pass"

INSERT_FLOOR_SCRIPT = (
    "import sqlite3,sys\n"
    "c=sqlite3.connect(sys.argv[1])\n"
    "c.execute('PRAGMA synchronous=FULL')\n"
    "c.execute('INSERT INTO t(x) VALUES (1)')\n"
    "c.commit()\n"
    "c.close()\n"
)

#: The import benchmark (``--import-sizes``): Watson's frames file of N frames,
#: imported into a new store. The requirement: 100,000 entries in under a minute.
IMPORT_BUDGET_S = 60.0
IMPORT_REQUIRED_N = 100_000
FRAMES_FILE = "frames"  # Watson's name for it
FRAMES_FORMAT = 1  # bump when frame_rows changes, so that kept frames files are rewritten
WATSON_TAGS = ("email", "call", "meeting", "admin", "urgent")
IMPORT_FLOOR = "import floor (json + sqlite3)"
IMPORT_ROWS = (IMPORT_FLOOR, "mansioni import watson", "mansioni import watson (again)")
IMPORT_FLOOR_SCRIPT = (
    "import json,sqlite3,sys\n"
    "with open(sys.argv[1],'rb') as f:\n"
    " frames=json.load(f)\n"
    "c=sqlite3.connect(sys.argv[2],isolation_level=None)\n"
    "c.execute('PRAGMA synchronous=FULL')\n"
    "c.execute('BEGIN')\n"
    "c.executemany('INSERT INTO t(start,stop,project,key,tags,updated) VALUES (?,?,?,?,?,?)',"
    "((f[0],f[1],f[2],f[3],','.join(f[4]),f[5]) for f in frames))\n"
    "c.execute('COMMIT')\n"
    "c.close()\n"
)


class BenchError(RuntimeError):
    pass


# -- the tool ----------------------------------------------------------------------------


def find_tool() -> Path:
    """The ``mansioni`` script next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / ("mansioni.exe" if os.name == "nt" else "mansioni")
    if beside.is_file():
        return beside
    found = shutil.which("mansioni")
    if found:
        return Path(found)
    raise BenchError("cannot find the mansioni command (next to sys.executable or on PATH)")


#: Set by ``main``: where the timed processes keep their bytecode (None: as inherited).
BYTECODE_CACHE: Path | None = None


def tool_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("MANSIONI_DB", None)  # it would win over MANSIONI_HOME
    if BYTECODE_CACHE is not None:
        # With PYTHONDONTWRITEBYTECODE set (common in containers and CI) an editable
        # install never gets its .pyc files, and every process compiles our modules
        # again: tens of ms that no installed copy pays. Keep the bytecode of every
        # module in a cache of our own instead (nothing is written next to the sources).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(BYTECODE_CACHE)
    env.update(
        MANSIONI_HOME=str(home),
        MANSIONI_USER=PERSON,
        MANSIONI_TZ=ZONE,
        MANSIONI_LANG="en",
        # a configuration file of the person running it must not change the figures
        MANSIONI_CONFIG=str(home / "no-config.toml"),
    )
    return env


#: ``ru_maxrss`` is in KiB on Linux and the BSDs, in bytes on macOS.
_RSS_UNIT = 1 if sys.platform == "darwin" else 1024

#: The spawner: a small Python process that starts each timed command for us and
#: reaps it. A child's max RSS starts from its parent's high-water mark (the memory
#: it was forked from counts until the exec), so a command started by this script,
#: which may have held a million fixture rows, would never show less than that peak.
#: Started by a process that never grows (about 9 MiB: ``python -c pass``'s own peak),
#: the command's max RSS is its own. One JSON line in per command (argv, environment,
#: a file for its stderr), one out: wall seconds, exit status, ``ru_maxrss``.
SPAWNER_SCRIPT = (
    "import json,os,sys,time\n"
    "null=os.open(os.devnull,os.O_RDWR)\n"
    "for line in sys.stdin:\n"
    " cmd,env,err=json.loads(line)\n"
    " fd=os.open(err,os.O_WRONLY|os.O_CREAT|os.O_TRUNC,0o600)\n"
    " acts=[(os.POSIX_SPAWN_DUP2,null,0),(os.POSIX_SPAWN_DUP2,null,1),"
    "(os.POSIX_SPAWN_DUP2,fd,2)]\n"
    " t=time.perf_counter()\n"
    " pid=os.posix_spawn(cmd[0],cmd,env,file_actions=acts)\n"
    " _,status,usage=os.wait4(pid,0)\n"
    " t=time.perf_counter()-t\n"
    " os.close(fd)\n"
    " print(json.dumps([t,os.waitstatus_to_exitcode(status),usage.ru_maxrss]),flush=True)\n"
)


class Spawner:
    """The spawner process (``SPAWNER_SCRIPT``), started on first use."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.folder: Path | None = None

    def run(self, cmd: list[str], env: dict[str, str]) -> tuple[float, int, float, bytes]:
        """Run ``cmd``: its wall seconds, exit status, max RSS (MiB) and stderr."""
        if self.proc is None:
            self.folder = Path(tempfile.mkdtemp(prefix="mansioni-bench-"))
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", SPAWNER_SCRIPT],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        assert self.proc.stdin and self.proc.stdout and self.folder
        err = self.folder / "stderr"
        try:
            self.proc.stdin.write(json.dumps([cmd, env, str(err)]) + "\n")
            self.proc.stdin.flush()
            answer = self.proc.stdout.readline()
            seconds, code, rss = json.loads(answer)
        except (OSError, ValueError) as exc:
            self.close()
            raise BenchError(f"the spawner process failed running {' '.join(cmd)}: {exc}") from exc
        return seconds, code, rss * _RSS_UNIT / 2**20, err.read_bytes()

    def close(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin
            self.proc.stdin.close()
            self.proc.wait()
            self.proc = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


SPAWNER = Spawner()
atexit.register(SPAWNER.close)


def run_measured(
    cmd: list[str], env: dict[str, str], what: str | None = None
) -> tuple[float, float | None]:
    """Run ``cmd`` (stdout discarded); return its wall time in seconds and its peak
    memory (max RSS) in MiB, None where the system cannot tell; fail on exit != 0."""
    if hasattr(os, "posix_spawn") and hasattr(os, "wait4"):
        elapsed, code, mib, err = SPAWNER.run(cmd, env)
    else:  # pragma: no cover - Windows: the time alone
        start = time.perf_counter()
        done = subprocess.run(
            cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        elapsed, code, mib, err = time.perf_counter() - start, done.returncode, None, done.stderr
    if code != 0:
        stderr = err.decode(errors="replace").strip()
        raise BenchError(
            f"{what or ' '.join(cmd)} exited with {code}"
            f" (MANSIONI_HOME={env.get('MANSIONI_HOME')}):\n{stderr}"
        )
    return elapsed, mib


def run_checked(cmd: list[str], env: dict[str, str], what: str | None = None) -> float:
    """``run_measured`` without the memory: the wall time in seconds."""
    return run_measured(cmd, env, what)[0]


def available_rows(tool: Path, keys: list[str]) -> tuple[list[Row], list[str]]:
    """The rows of ``keys`` whose commands this tool has, and a note for each one left
    out: ``mansioni CMD --help`` is asked once of each command a row needs."""
    env = tool_env(SCRATCH)  # --help reads no store; the scratch dir holds none
    # A tool that cannot even say its help is broken, not short of a command: say why.
    run_checked([str(tool), "--help"], env)
    known: dict[tuple[str, ...], int] = {}
    chosen, notes = [], []
    for key in keys:
        row = ROW_BY_KEY[key]
        missing = []
        for command in row.needs:
            if command not in known:
                known[command] = subprocess.run(
                    [str(tool), *command, "--help"],
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                ).returncode
            if known[command] != 0:
                missing.append(
                    f"`mansioni {' '.join(command)} --help` exited with {known[command]}"
                )
        if missing:
            notes.append(f"{row.name}: " + "; ".join(missing))
            print(f"note: {notes[-1]}: the row is skipped", flush=True)
        else:
            chosen.append(row)
    return chosen, notes


# -- fixtures ----------------------------------------------------------------------------


def build_template(tool: Path) -> None:
    """Schema, 5 clients and 40 tasks, all made by the real tool (the full path)."""
    if TEMPLATE.exists():
        shutil.rmtree(TEMPLATE)
    TEMPLATE.mkdir(parents=True)
    env = tool_env(TEMPLATE)
    t0 = time.perf_counter()
    for client in CLIENTS:
        run_checked([str(tool), "client", "add", client], env)
    for client in CLIENTS:
        for task in TASKS:
            run_checked([str(tool), "task", "add", f"{client}/{task}"], env)
    with sqlite3.connect(TEMPLATE / DB_FILE) as conn:
        tasks = conn.execute("SELECT count(*) FROM task").fetchone()[0]
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    if tasks != len(CLIENTS) * len(TASKS):
        raise BenchError(f"the template has {tasks} tasks, expected {len(CLIENTS) * len(TASKS)}")
    print(
        f"  template: schema, {len(CLIENTS)} clients, {tasks} tasks made by the tool "
        f"in {time.perf_counter() - t0:.1f} s",
        flush=True,
    )


def template_ok() -> bool:
    """Whether a kept template holds the 40 tasks at the schema this program writes."""
    try:
        conn = sqlite3.connect(f"file:{TEMPLATE / DB_FILE}?mode=ro", uri=True)
        try:
            tasks = conn.execute("SELECT count(*) FROM task").fetchone()[0]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    head = _head_revision()
    return tasks == len(CLIENTS) * len(TASKS) and (head is None or revision == head)


def fixture_span(today: date) -> tuple[int, int]:
    """``[lo, hi)``: local midnight five years before today, and local midnight today."""
    tz = ZoneInfo(ZONE)
    try:
        first = today.replace(year=today.year - YEARS)
    except ValueError:  # 29 February
        first = today.replace(year=today.year - YEARS, day=28)
    lo = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    hi = datetime.combine(today, datetime.min.time(), tzinfo=tz)
    return int(lo.timestamp()), int(hi.timestamp())


def fixture_rows(n: int, task_ids: list[int], lo: int, hi: int) -> Iterator[tuple]:
    """``n`` non-overlapping finished entries in ``[lo, hi)``, one per equal slot."""
    rng = random.Random(SEED + n)
    slot = (hi - lo) / n
    if slot < 3:
        raise BenchError(f"{n} entries do not fit in {YEARS} years with whole seconds")
    randint, choice = rng.randint, rng.choice
    for i in range(n):
        s0 = lo + int(i * slot)
        room = lo + int((i + 1) * slot) - s0 - 1  # a one-second gap before the next slot
        if room >= 600:
            seconds = min(randint(600, 7200), room)
        else:
            seconds = randint(max(1, room // 2), room)
        start = s0 + randint(0, room - seconds)
        end = start + seconds
        yield (choice(task_ids), PERSON, start, end, ZONE, end)


def store_state(conn: sqlite3.Connection, max_id: int, lo: int) -> dict:
    """What a round must leave as it found it: the fixture's entries (ids up to
    ``max_id``), no entry before the fixture's first instant ``lo`` (``add``'s, each
    deleted in its round), and the clients, tasks (estimates, rates, states) and task
    events, as a digest (``change``, ``estimate`` and ``decide`` are each undone)."""
    entries = conn.execute("SELECT count(*) FROM entry WHERE id <= ?", (max_id,)).fetchone()[0]
    before = conn.execute("SELECT count(*) FROM entry WHERE start_utc < ?", (lo,)).fetchone()[0]
    digest = hashlib.sha256()
    for table in ("client", "task", "task_event"):
        digest.update(table.encode())
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
            digest.update(repr(row).encode())
    return {"entries": entries, "before": before, "story": digest.hexdigest()}


def store_ok(home: Path, n: int) -> dict | None:
    """The fixture description when ``home`` holds exactly the ``n`` bulk entries, its
    clients, tasks and events as built, and nothing a run left (``store_state``)."""
    meta_path, db = home / FIXTURE_FILE, home / DB_FILE
    if not (meta_path.is_file() and db.is_file()):
        return None
    try:
        meta = json.loads(meta_path.read_text())
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            state = store_state(conn, meta["max_id"], meta["span_utc"][0])
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        finally:
            conn.close()
    except (OSError, ValueError, KeyError, TypeError, IndexError, sqlite3.Error):
        return None
    if (
        meta.get("entries") != n
        or state != {"entries": n, "before": 0, "story": meta.get("story")}
        or revision != meta.get("revision")
    ):
        return None
    head = _head_revision()
    if head is not None and revision != head:
        return None  # the quick path would refuse it and fall back to the full path
    return meta


def _head_revision() -> str | None:
    try:
        from mansioni.store import revision
    except Exception:  # noqa: BLE001 - only a sanity check
        return None
    return revision.HEAD


def build_store(home: Path, n: int, today: date) -> dict:
    """Copy the template into ``home`` and bulk-insert ``n`` entries; return its description."""
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    t0 = time.perf_counter()
    src = sqlite3.connect(TEMPLATE / DB_FILE)
    dst = sqlite3.connect(home / DB_FILE)
    src.backup(dst)
    src.close()
    dst.close()
    shutil.copymode(TEMPLATE / DB_FILE, home / DB_FILE)  # the tool makes it private (0600)

    conn = sqlite3.connect(home / DB_FILE, isolation_level=None)
    try:
        task_ids = [r[0] for r in conn.execute("SELECT id FROM task ORDER BY id")]
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        lo, hi = fixture_span(today)
        max_id = 0
        if n:
            conn.execute("PRAGMA synchronous = OFF")  # bulk fixture: a crash just means rebuild
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO entry (task_id, person, start_utc, end_utc, zone, note,"
                " occurrence_id, atypical, created_utc) VALUES (?, ?, ?, ?, ?, NULL, NULL, 0, ?)",
                fixture_rows(n, task_ids, lo, hi),
            )
            conn.execute("COMMIT")
            conn.execute("PRAGMA synchronous = FULL")  # what the tool uses (sqlite_setup)
            max_id = conn.execute("SELECT max(id) FROM entry").fetchone()[0]
        conn.execute("ANALYZE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        count = conn.execute("SELECT count(*) FROM entry").fetchone()[0]
        story = store_state(conn, max_id, lo)["story"]
    finally:
        conn.close()
    if count != n:
        raise BenchError(f"store {home} has {count} entries after the load, expected {n}")
    meta = {
        "entries": n,
        "max_id": max_id,
        "revision": revision,
        "built": today.isoformat(),
        "span_utc": [lo, hi],
        "story": story,
        "build_seconds": round(time.perf_counter() - t0, 2),
    }
    (home / FIXTURE_FILE).write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def store_facts(home: Path, today: date) -> dict:
    """Sizes worth printing: file size, entries in all and in this month (what log shows)."""
    tz = ZoneInfo(ZONE)
    first = today.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    lo = int(datetime.combine(first, datetime.min.time(), tzinfo=tz).timestamp())
    hi = int(datetime.combine(nxt, datetime.min.time(), tzinfo=tz).timestamp())
    conn = sqlite3.connect(f"file:{home / DB_FILE}?mode=ro", uri=True)
    try:
        total = conn.execute("SELECT count(*) FROM entry").fetchone()[0]
        month = conn.execute(
            "SELECT count(*) FROM entry WHERE person = ? AND start_utc >= ? AND start_utc < ?",
            (PERSON, lo, hi),
        ).fetchone()[0]
        running = conn.execute(
            "SELECT count(*) FROM entry WHERE person = ? AND end_utc IS NULL", (PERSON,)
        ).fetchone()[0]
    finally:
        conn.close()
    size = sum(p.stat().st_size for p in home.glob(DB_FILE + "*"))
    return {"entries": total, "month_entries": month, "running": running, "bytes": size}


def frame_rows(n: int, lo: int, hi: int) -> Iterator[list]:
    """``n`` Watson frames ``[start, stop, project, id, tags, updated_at]`` in time order.

    The times are those of the store fixture of the same N (``fixture_rows``, same
    seed); the project is ``client/task``, one of the 40 of the store fixture; the id
    a uuid4 hex and the tags (0-2 of ``WATSON_TAGS``) come from a second seeded
    generator; ``updated_at`` is the stop, as for a frame never edited.
    """
    rng = random.Random(f"watson frames {n}")  # a str seed is hashed the same in every run
    projects = [f"{client}/{task}" for client in CLIENTS for task in TASKS]
    for task, _person, start, end, _zone, _created in fixture_rows(
        n, list(range(len(projects))), lo, hi
    ):
        key = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        tags = rng.sample(WATSON_TAGS, rng.choice((0, 0, 1, 1, 2)))
        yield [start, end, projects[task], key, tags, end]


def frames_ok(folder: Path, n: int, today: date) -> dict | None:
    """The description of ``folder``'s frames file when it holds today's ``n`` frames."""
    try:
        meta = json.loads((folder / FIXTURE_FILE).read_text())
        size = (folder / FRAMES_FILE).stat().st_size
    except (OSError, ValueError):
        return None
    if (
        not isinstance(meta, dict)
        or meta.get("frames") != n
        or meta.get("format") != FRAMES_FORMAT
        or meta.get("built") != today.isoformat()
        or meta.get("bytes") != size
    ):
        return None
    return meta


def build_frames(folder: Path, n: int, today: date) -> dict:
    """Write ``folder/frames`` as Watson does (JSON, ``indent=1``); return its description."""
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    lo, hi = fixture_span(today)
    frames = list(frame_rows(n, lo, hi))
    part = folder / (FRAMES_FILE + ".part")
    part.write_text(json.dumps(frames, indent=1, ensure_ascii=False), encoding="utf-8")
    part.replace(folder / FRAMES_FILE)
    meta = {
        "frames": n,
        "format": FRAMES_FORMAT,
        "built": today.isoformat(),
        "span_utc": [lo, hi],
        "projects": len({f[2] for f in frames}),
        "bytes": (folder / FRAMES_FILE).stat().st_size,
        "build_seconds": round(time.perf_counter() - t0, 2),
    }
    (folder / FIXTURE_FILE).write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def row_count(db: Path, table: str) -> int | None:
    """``count(*)`` of ``table`` in ``db``; None when it cannot be read."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def check_count(db: Path, table: str, n: int, when: str) -> None:
    """Fail unless ``table`` of ``db`` holds ``n`` rows."""
    count = row_count(db, table)
    if count != n:
        shown = "no readable table" if count is None else f"{count:,} rows"
        raise BenchError(f"{db} has {shown} in {table} {when}, expected {n:,}")


# -- timing ------------------------------------------------------------------------------


def prepare_scratch() -> Path:
    """A scratch database for the insert floor, set up like a store (WAL), table made."""
    SCRATCH.mkdir(parents=True, exist_ok=True)
    path = SCRATCH / "floor.db"
    for p in SCRATCH.glob("floor.db*"):
        p.unlink()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER)")
    conn.commit()
    conn.close()
    return path


def sleep_into_next_second() -> None:
    """The tool counts whole seconds: a stop in the start's second would be refused."""
    now = time.time()
    time.sleep(int(now) + 1 - now + 0.02)


#: The rows that only read, in the order of a round, and their command lines.
READS = (
    ("log", ("log", "--month")),
    ("client-list", ("client", "list")),
    ("client-show", ("client", "show", SHOW_CLIENT)),
    ("task-list", ("task", "list")),
    ("task-show", ("task", "show", TIMER_TASK)),
    ("info", ("info",)),
    ("history", ("history", STORY_TASK)),
    ("complete-task", COMPLETE_TASK),
    ("complete-id", COMPLETE_ID),
)
ENTRY_ROWS = {"add", "edit", "undo", "delete"}


def added_entry(home: Path, start_utc: int) -> int:
    """The id of the entry ``add`` just recorded (untimed, read-only)."""
    conn = sqlite3.connect(f"file:{home / DB_FILE}?mode=ro", uri=True)
    try:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM entry WHERE person = ? AND start_utc = ?", (PERSON, start_utc)
            )
        ]
    finally:
        conn.close()
    if len(ids) != 1:
        raise BenchError(f"{home}: {len(ids)} entries where `mansioni add` put one")
    return ids[0]


def story_entries(home: Path) -> int:
    """How many entries ``STORY_TASK`` has (``decide`` needs some, for a verdict)."""
    client, task = STORY_TASK.split("/")
    conn = sqlite3.connect(f"file:{home / DB_FILE}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT count(*) FROM entry JOIN task ON task.id = entry.task_id"
            " JOIN client ON client.id = task.client_id"
            " WHERE task.name = ? AND instr(lower(client.name), ?) > 0",
            (task, client),
        ).fetchone()[0]
    finally:
        conn.close()


def check_state(home: Path, fixture: dict) -> None:
    """Fail unless the rounds left the store as ``store_ok`` wants it."""
    conn = sqlite3.connect(f"file:{home / DB_FILE}?mode=ro", uri=True)
    try:
        state = store_state(conn, fixture["max_id"], fixture["span_utc"][0])
    finally:
        conn.close()
    want = {"entries": fixture["entries"], "before": 0, "story": fixture["story"]}
    if state != want:
        changed = ", ".join(k for k in want if state[k] != want[k])
        raise BenchError(f"the rounds changed the fixture of {home} ({changed}): {state}")


def check_completion(mansioni: str, env: dict[str, str], keys: set[str], entries: int) -> None:
    """The completion rows time answers that hold what they ask for: a store the answer
    could not read would be answered fast, and with nothing (untimed, before the rounds)."""
    wanted = [("complete-task", COMPLETE_TASK, f"{TIMER_TASK}\t")]
    if entries:  # at N=0 no entry is there to offer before the rounds add one
        wanted.append(("complete-id", COMPLETE_ID, "\t"))
    for key, args, expected in wanted:
        if key not in keys:
            continue
        got = subprocess.run(
            [mansioni, *args], env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True
        )
        if got.returncode != 0 or expected not in got.stdout.partition("\n")[2]:
            raise BenchError(
                f"`mansioni {' '.join(args)}` gave no {expected.strip() or 'entry id'}"
                f" (exit {got.returncode}):\n{got.stdout}{got.stderr}"
            )


def bench_size(
    tool: Path,
    home: Path,
    scratch: Path,
    runs: int,
    warmup: int,
    rows: list[Row],
    fixture: dict,
    today: date,
) -> dict[str, dict[str, list[float]]]:
    """``warmup`` untimed and ``runs`` timed rounds of ``rows`` (``python -c pass``
    always); the samples (ms) and the peak memories (MiB) of each row, by name."""
    env = tool_env(home)
    exe = sys.executable
    mansioni = str(tool)
    keys = {row.key for row in rows} | {"pass"}
    if "decide" in keys and not story_entries(home):
        # A decision needs a verdict, and a verdict occurrences: none at N=0.
        keys.discard("decide")
        print(f"  note: {STORY_TASK} has no entries: nothing to decide on, decide not timed")
    timed = [row.name for row in ROWS if row.key in keys]  # in the table's order
    samples: dict[str, list[float]] = {name: [] for name in timed}
    peaks: dict[str, list[float]] = {name: [] for name in timed}
    tz = ZoneInfo(ZONE)
    first = datetime.fromtimestamp(fixture["span_utc"][0], tz).date()
    day = (first - timedelta(days=1)).isoformat()  # no entry there: add's slot
    add_start = int(datetime.fromisoformat(f"{day} {ADD_SLOT[0]}").replace(tzinfo=tz).timestamp())
    whole = ("report", "--from", first.isoformat(), "--to", today.isoformat())
    judged = (
        ("review", ("review",)),
        ("report-month", ("report", "--month")),
        ("report-all", whole),
    )

    if store_facts(home, today)["running"]:  # left over by an interrupted run
        run_checked([mansioni, "stop"], env)
    check_completion(mansioni, env, keys, store_facts(home, today)["entries"])

    def one_round(keep: bool) -> None:
        got: dict[str, tuple[float, float | None]] = {}

        def step(name: str | None, cmd: list[str], what: str | None = None) -> None:
            """Run ``cmd``; keep its time as row ``name``'s when that row is timed."""
            measured = run_measured(cmd, env, what)
            if name in timed:
                got[name] = measured

        def tool_step(name: str | None, *args: str) -> None:
            step(name, [mansioni, *args])

        step(BASELINE, [exe, "-c", "pass"])
        if "floor" in keys:
            step(
                "sqlite3 insert floor",
                [exe, "-c", INSERT_FLOOR_SCRIPT, str(scratch)],
                "the sqlite3 insert floor script",
            )
        if "status" in keys:
            tool_step("mansioni status", "status")
        if keys & {"start", "stop"}:
            tool_step("mansioni start", "start", TIMER_TASK)
            sleep_into_next_second()
            tool_step("mansioni stop", "stop")
        if keys & ENTRY_ROWS:  # one entry, added and deleted; edited and undone between
            tool_step("mansioni add", "add", TIMER_TASK, f"{day} {ADD_SLOT[0]}-{ADD_SLOT[1]}")
            entry = str(added_entry(home, add_start))
            if keys & {"edit", "undo"}:
                tool_step("mansioni edit", "edit", entry, "--end", f"{day} {ADD_SLOT[2]}")
                tool_step("mansioni undo", "undo")
            tool_step("mansioni delete", "delete", entry)
        for key, args in READS:
            if key in keys:
                tool_step(ROW_BY_KEY[key].name, *args)
        if "change" in keys:
            tool_step("mansioni change", "change", STORY_TASK, "a change the benchmark undoes")
            tool_step(None, "undo")
        if keys & {"estimate", "decide"}:  # decide needs a verdict, so an estimate
            tool_step("mansioni estimate", "estimate", STORY_TASK, "50m")
            if "decide" in keys:
                tool_step("mansioni decide", "decide", STORY_TASK, "keep", "--early")
            tool_step(None, "undo", "--steps", "2" if "decide" in keys else "1")
        for key, args in judged:
            if key in keys:
                tool_step(ROW_BY_KEY[key].name, *args)
        if keep:
            for name, (seconds, mib) in got.items():
                samples[name].append(seconds * 1000.0)
                if mib is not None:
                    peaks[name].append(mib)

    for _ in range(warmup):
        one_round(False)
    tty = sys.stdout.isatty()
    for i in range(runs):
        one_round(True)
        if tty:
            print(f"\r  run {i + 1}/{runs}", end="", flush=True)
    if tty:
        print("\r" + " " * 20 + "\r", end="", flush=True)
    if store_facts(home, today)["running"]:
        raise BenchError(f"a timer is still running in {home}")
    check_state(home, fixture)
    return {"samples": samples, "max_rss_mib": peaks}


def prepare_import_floor(path: Path) -> None:
    """A new scratch database for the import floor: WAL, like a store, table made."""
    for p in path.parent.glob(path.name + "*"):
        p.unlink()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, start INTEGER, stop INTEGER,"
        " project TEXT, key TEXT, tags TEXT, updated INTEGER)"
    )
    conn.commit()
    conn.close()


def new_home(home: Path) -> None:
    """An empty ``MANSIONI_HOME``: the import makes and migrates the store itself."""
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)


def import_command(tool: Path, frames: Path) -> list[str]:
    return [str(tool), "import", "watson", str(frames)]


def warm_import(tool: Path, today: date) -> None:
    """One untimed import of a one-frame file into a scratch store: it fills the
    bytecode cache for the import's modules (the import rounds have no warmup by
    default) and stops the benchmark early, with the tool's stderr, if it fails."""
    folder = SCRATCH / "watson-1"
    frames = folder / FRAMES_FILE
    if frames_ok(folder, 1, today) is None:
        build_frames(folder, 1, today)
    home = SCRATCH / "import-home"
    new_home(home)
    run_checked(import_command(tool, frames), tool_env(home))
    check_count(home / DB_FILE, "entry", 1, "after importing a one-frame file")
    shutil.rmtree(home)


def bench_import(
    tool: Path, frames: Path, home: Path, n: int, runs: int, warmup: int
) -> dict[str, dict[str, list[float]]]:
    """Rounds of: the floor, the import into a new store, the same import again; the
    samples (ms) and the peak memories (MiB) of each, as ``bench_size``'s."""
    env = tool_env(home)
    exe = sys.executable
    floor = SCRATCH / "import-floor.db"
    command = import_command(tool, frames)
    samples: dict[str, list[float]] = {name: [] for name in IMPORT_ROWS}
    peaks: dict[str, list[float]] = {name: [] for name in IMPORT_ROWS}
    first, again = IMPORT_ROWS[1], IMPORT_ROWS[2]

    def one_round(keep: bool) -> None:
        prepare_import_floor(floor)  # untimed, like every set-up and check below
        got = {
            IMPORT_FLOOR: run_measured(
                [exe, "-c", IMPORT_FLOOR_SCRIPT, str(frames), str(floor)],
                env,
                "the import floor script",
            )
        }
        check_count(floor, "t", n, "after the import floor script")
        new_home(home)
        got[first] = run_measured(command, env)
        check_count(home / DB_FILE, "entry", n, "after the import")
        got[again] = run_measured(command, env)
        check_count(home / DB_FILE, "entry", n, "after importing the same frames again")
        if keep:
            for name, (seconds, mib) in got.items():
                samples[name].append(seconds * 1000.0)
                if mib is not None:
                    peaks[name].append(mib)

    for _ in range(warmup):
        one_round(False)
    tty = sys.stdout.isatty()
    for i in range(runs):
        one_round(True)
        if tty:
            print(f"\r  run {i + 1}/{runs}", end="", flush=True)
    if tty:
        print("\r" + " " * 20 + "\r", end="", flush=True)
    for p in floor.parent.glob(floor.name + "*"):
        p.unlink()
    return {"samples": samples, "max_rss_mib": peaks}


# -- report ------------------------------------------------------------------------------


def machine() -> dict:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": usable,
        "cpu_count": os.cpu_count(),
        "loadavg": load,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


def size_label(n: int) -> str:
    return f"N={n:,}"


def short_size(n: int) -> str:
    """1000000 -> 1M, 100000 -> 100k, 10 -> 10."""
    for unit, word in ((1_000_000, "M"), (1_000, "k")):
        if n >= unit and n % unit == 0:
            return f"{n // unit}{word}"
    return str(n)


def print_table(title: str, rows: list[str], cols: list[str], cell) -> None:  # noqa: ANN001
    first = max(len(title), *(len(r) for r in rows))
    cells = [[cell(r, c) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[j]) for row in cells)) for j, c in enumerate(cols)]
    print(
        title.ljust(first) + "".join("  " + c.rjust(w) for c, w in zip(cols, widths, strict=True))
    )
    print("-" * first + "".join("  " + "-" * w for w in widths))
    for r, row in zip(rows, cells, strict=True):
        print(r.ljust(first) + "".join("  " + v.rjust(w) for v, w in zip(row, widths, strict=True)))


def report(results: dict, meta: dict, imports: dict | None = None) -> None:
    m = meta["machine"]
    print()
    print(f"mansioni benchmark  {m['date']}")
    print(
        f"machine: nproc={m['nproc']} (cpu_count={m['cpu_count']}), load avg {m['loadavg']}, "
        f"{m['platform']}"
    )
    print(f"python {m['python']} ({m['executable']}), sqlite {m['sqlite']}")
    if results:
        print(
            f"runs={meta['runs']} after warmup={meta['warmup']}; times are wall-clock of whole "
            f"processes, ms; bytecode {meta['bytecode']}"
        )
        print()
        report_sizes(results, meta)
    else:
        print(f"bytecode {meta['bytecode']}")
    if imports:
        print()
        report_imports(imports, meta)


def peak(result: dict, name: str) -> float | None:
    """The largest max RSS (MiB) of a row's timed runs; None when not measured."""
    values = result.get("max_rss_mib", {}).get(name)
    return max(values) if values else None


def report_sizes(results: dict, meta: dict) -> None:
    sizes = [int(s) for s in results]
    timed = {s: results[str(s)]["samples"] for s in sizes}
    seen = {name for s in sizes for name in timed[s]}  # decide is not timed at N=0
    names = [row.name for row in ROWS if row.name in seen]
    names += sorted(seen - set(names))  # rows of a newer script in an older --json
    med = {s: {n: statistics.median(v) for n, v in timed[s].items()} for s in sizes}
    low = {s: {n: min(v) for n, v in timed[s].items()} for s in sizes}
    labels = [size_label(s) for s in sizes]
    by_label = dict(zip(labels, sizes, strict=True))

    def goal_of(row: str) -> Goal | None:
        found = ROW_BY_NAME.get(row)
        return found.goal if found else None

    def median_cell(row: str, col: str) -> str:
        goal = goal_of(row)
        if col == "goal":
            return goal.text if goal else ""
        s = by_label[col]
        if row not in med[s]:
            return "-"
        text = f"{med[s][row]:.1f} ms (x{med[s][row] / med[s][BASELINE]:.1f})"
        mib = peak(results[str(s)], row)
        if goal is not None and goal.mib is not None and mib is not None:
            text += f", {mib:.0f} MiB"
        return text

    print_table("median (ratio to python -c pass)", names, ["goal", *labels], median_cell)
    print()

    def min_cell(row: str, col: str) -> str:
        s = by_label[col]
        return f"{low[s][row]:.1f} ms" if row in low[s] else "-"

    print_table("min", names, labels, min_cell)
    print()

    def peak_cell(row: str, col: str) -> str:
        mib = peak(results[str(by_label[col])], row)
        return "-" if mib is None else f"{mib:.0f} MiB"

    print_table("peak memory (max RSS of the runs)", names, labels, peak_cell)
    print()
    print_table(
        "store",
        ["entries (after the run)", "entries this month (log --month)", "file size", "fixture"],
        labels,
        lambda r, c: _store_cell(results[str(by_label[c])], r),
    )
    if meta.get("skipped"):
        print()
        print("not timed (the tool has no such command):")
        for note in meta["skipped"]:
            print(f"  {note}")
    judged = [name for name in names if goal_of(name) is not None]
    if not judged:
        return
    growth = f"{labels[0]} to {labels[-1]}" if len(sizes) > 1 else None
    missed = 0

    def goal_cell(row: str, col: str) -> str:
        nonlocal missed
        goal = goal_of(row)
        assert goal is not None
        if col == "goal":
            return goal.text
        if col == growth:  # "flat": the median at the largest size over the smallest's
            where = [s for s in sizes if row in med[s]]
            if goal.size is not None or len(where) < 2:
                return ""
            return f"x{med[where[-1]][row] / med[where[0]][row]:.2f}"
        s = by_label[col]
        if not goal.applies(s) or row not in med[s]:
            return "-"
        base = med[s][BASELINE]
        misses = goal.misses(med[s][row], med[s][row] / base, peak(results[str(s)], row))
        missed += bool(misses)
        return "ok" if not misses else "over: " + ", ".join(misses)

    print()
    cols = ["goal", *labels, *([growth] if growth else [])]
    print_table("goals (medians; - where stated at another size)", judged, cols, goal_cell)
    print()
    print(
        f"goals missed: {missed}" if missed else "every goal met at the sizes run",
        "(judged at this machine's load; the ratios are the ones to compare across runs)",
    )


def markdown(results: dict, imports: dict) -> str:
    """The figures as the tables of benchmarks/README.md ("Figures"): each row's goal,
    its median (ratio to ``python -c pass``; the peak where the goal bounds memory) at
    each size, and whether the goal is met at the sizes it is stated for."""

    def table(rows: list[str], by_size: dict[int, dict], base: str, unit: str) -> list[str]:
        sizes = list(by_size)
        out = [
            "| row | goal | " + " | ".join(size_label(s) for s in sizes) + " | goal met |",
            "| --- | --- | " + " | ".join("---" for _ in sizes) + " | --- |",
        ]
        for name in rows:
            goal = IMPORT_GOAL if unit == "s" and name == IMPORT_ROWS[1] else None
            goal = goal or (ROW_BY_NAME[name].goal if name in ROW_BY_NAME else None)
            cells, missed_at, judged = [], {}, False
            for s in sizes:
                samples = by_size[s]["samples"]
                if name not in samples:
                    cells.append("-")
                    continue
                ms = statistics.median(samples[name])
                ratio = ms / statistics.median(samples[base])
                mib = peak(by_size[s], name)
                text = f"{ms:.0f} ms" if unit == "ms" else f"{ms / 1000:.2f} s"
                text += f" (x{ratio:.1f})"
                if mib is not None and (unit == "s" or (goal is not None and goal.mib)):
                    text += f", {mib:.0f} MiB"
                cells.append(text)
                if goal is not None and goal.applies(s):
                    judged = True
                    for miss in goal.misses(ms, ratio, mib):  # "160 ms > 150 ms"
                        missed_at.setdefault(miss.split(" > ")[1], []).append(short_size(s))
            met = "; ".join(f"over {bound} at {', '.join(at)}" for bound, at in missed_at.items())
            met = "" if not judged else f"no: {met}" if met else "yes"
            text = goal.text if goal else ""
            out.append(f"| `{name}` | {text} | " + " | ".join(cells) + f" | {met} |")
        return out

    lines: list[str] = []
    if results:
        by_size = {int(s): r for s, r in results.items()}
        seen = {name for r in by_size.values() for name in r["samples"]}
        rows = [row.name for row in ROWS if row.name in seen]
        lines += table(rows, by_size, BASELINE, "ms")
    if imports:
        by_size = {int(s): r for s, r in imports.items()}
        lines += ["", *table(list(IMPORT_ROWS), by_size, IMPORT_FLOOR, "s")]
    return "\n".join(lines) + "\n"


def _store_cell(result: dict, row: str) -> str:
    facts = result["store"]
    if row.startswith("entries this"):
        return f"{facts['month_entries']:,}"
    if row.startswith("entries"):
        return f"{facts['entries']:,}"
    if row == "file size":
        return f"{facts['bytes'] / 1e6:.1f} MB"
    fixture = result["fixture"]
    how = "reused" if result["reused"] else f"built {fixture['build_seconds']:.0f} s"
    return f"{how}, {fixture['built']}"


def report_imports(imports: dict, meta: dict) -> None:
    """The import rounds: medians in seconds with their ratio to the floor and the
    peak memory, the minimums, the store and frames file, and per size a line on the
    requirement (under a minute) and one on the goal (``IMPORT_GOAL``)."""
    sizes = [int(s) for s in imports]
    med = {
        s: {r: statistics.median(imports[str(s)]["samples"][r]) for r in IMPORT_ROWS} for s in sizes
    }
    low = {s: {r: min(imports[str(s)]["samples"][r]) for r in IMPORT_ROWS} for s in sizes}
    cols = [size_label(s) for s in sizes]
    by_label = dict(zip(cols, sizes, strict=True))
    print(
        f"import: runs={meta['import_runs']} after warmup={meta['import_warmup']}; each a new "
        "store; times are wall-clock of whole processes, s; peak memory is the max RSS"
    )
    print()

    def median_cell(row: str, col: str) -> str:
        s = by_label[col]
        text = f"{med[s][row] / 1000:.2f} s (x{med[s][row] / med[s][IMPORT_FLOOR]:.1f})"
        mib = peak(imports[str(s)], row)
        return text if mib is None else f"{text}, {mib:.0f} MiB"

    print_table("import: median (ratio to the floor)", list(IMPORT_ROWS), cols, median_cell)
    print()
    print_table(
        "import: min", list(IMPORT_ROWS), cols, lambda r, c: f"{low[by_label[c]][r] / 1000:.2f} s"
    )
    print()
    print_table(
        "import: store",
        ["entries (after the re-run)", "store file size", "frames file"],
        cols,
        lambda r, c: _import_cell(imports[str(by_label[c])], r),
    )
    print()
    name = IMPORT_ROWS[1]
    for s in sizes:
        times = imports[str(s)]["samples"][name]
        worst = max(times) / 1000
        verdict = "pass" if med[s][name] / 1000 < IMPORT_BUDGET_S else "FAIL"
        print(
            f"import of {s:,} frames under {IMPORT_BUDGET_S:.0f} s: {verdict} (median "
            f"{med[s][name] / 1000:.2f} s, slowest {worst:.2f} s of {len(times)})"
        )
        if IMPORT_GOAL.applies(s):
            mib = peak(imports[str(s)], name)
            misses = IMPORT_GOAL.misses(med[s][name], med[s][name] / med[s][IMPORT_FLOOR], mib)
            shown = "-" if mib is None else f"{mib:.0f} MiB"
            print(
                f"goal {IMPORT_GOAL.text}: {'ok' if not misses else 'over: ' + ', '.join(misses)}"
                f" (median {med[s][name] / 1000:.2f} s, peak {shown})"
            )
    if IMPORT_REQUIRED_N not in sizes:
        print(
            f"(the requirement and the goal are stated at {IMPORT_REQUIRED_N:,} entries; "
            f"--import-sizes {IMPORT_REQUIRED_N} checks them)"
        )


def _import_cell(result: dict, row: str) -> str:
    facts = result["store"]
    if row.startswith("entries"):
        return f"{facts['entries']:,}"
    if row == "store file size":
        return f"{facts['bytes'] / 1e6:.1f} MB"
    frames = result["frames"]
    how = "reused" if result["reused"] else f"built {frames['build_seconds']:.1f} s"
    return f"{frames['bytes'] / 1e6:.1f} MB, {how}, {frames['built']}"


# -- main --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time whole mansioni processes against stores of 0..N entries.",
        epilog="rows (--only): " + ", ".join(row.key for row in ROWS),
    )
    parser.add_argument(
        "--sizes",
        default="0,10000,100000,1000000",
        help="comma-separated entry counts (default: %(default)s); empty ('') "
        "with --import-sizes to time only the imports",
    )
    parser.add_argument("--runs", type=int, default=15, help="timed rounds (default: %(default)s)")
    parser.add_argument(
        "--warmup", type=int, default=2, help="untimed rounds first (default: %(default)s)"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the stores built by this run for the next one (default: delete them)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="rebuild the stores even when they hold the right entries",
    )
    parser.add_argument(
        "--only",
        metavar="ROWS",
        default="",
        help="comma-separated rows to time, e.g. status,log (default: every row; "
        "python -c pass is always timed, the ratios need it)",
    )
    parser.add_argument("--json", metavar="FILE", type=Path, help="save all samples (ms, MiB) here")
    parser.add_argument(
        "--markdown",
        metavar="FILE",
        type=Path,
        help="also write the figures as the Markdown tables of benchmarks/README.md",
    )
    parser.add_argument(
        "--inherit-bytecode",
        action="store_true",
        help="run the processes with the bytecode settings of this environment "
        "(default: a bytecode cache in benchmarks/.stores/_pycache, so that "
        "PYTHONDONTWRITEBYTECODE does not make every process compile the sources)",
    )
    parser.add_argument(
        "--import-sizes",
        default="",
        metavar="SIZES",
        help="comma-separated frame counts: also time `mansioni import watson` of a Watson "
        "frames file that many frames long, into a new store, e.g. 100000 (default: none)",
    )
    parser.add_argument(
        "--import-runs",
        type=int,
        default=3,
        help="timed import rounds per import size (default: %(default)s)",
    )
    parser.add_argument(
        "--import-warmup",
        type=int,
        default=0,
        help="untimed import rounds first (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes integers separated by commas, e.g. 0,10000,100000")
    try:
        args.import_sizes = [
            int(s.replace("_", "")) for s in args.import_sizes.split(",") if s.strip()
        ]
    except ValueError:
        parser.error("--import-sizes takes integers separated by commas, e.g. 10000,100000")
    if not (args.sizes or args.import_sizes) or any(s < 0 for s in args.sizes):
        parser.error("--sizes needs a size (or --import-sizes one), none negative")
    if any(s < 1 for s in args.import_sizes):
        parser.error("--import-sizes must be at least 1 each")
    only = [key.strip() for key in args.only.split(",") if key.strip()]
    unknown = [key for key in only if key not in ROW_BY_KEY]
    if unknown:
        parser.error(
            f"--only: no row {', '.join(unknown)}; the rows are "
            + ", ".join(row.key for row in ROWS)
        )
    chosen = set(only) | {"pass"} if only else set(ROW_BY_KEY)
    args.rows = [row.key for row in ROWS if row.key in chosen]
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    if args.import_runs < 1 or args.import_warmup < 0:
        parser.error("--import-runs must be at least 1 and --import-warmup at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    global BYTECODE_CACHE
    tool = find_tool()
    today = date.today()
    STORES.mkdir(parents=True, exist_ok=True)
    print(f"mansioni: {tool}\nstores: {STORES}", flush=True)
    results: dict[str, dict] = {}
    imports: dict[str, dict] = {}
    made: list[Path] = []  # what this run built: deleted at the end unless --keep
    if args.inherit_bytecode:
        bytecode = (
            f"inherited (PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r})"
        )
    else:
        BYTECODE_CACHE = STORES / "_pycache"
        bytecode = f"cached in {BYTECODE_CACHE} (PYTHONPYCACHEPREFIX)"
        if not BYTECODE_CACHE.exists():
            made.append(BYTECODE_CACHE)
        if args.warmup < 1 and args.sizes:
            print(
                "note: with --warmup 0 the first round also compiles the bytecode cache", flush=True
            )
    print(f"bytecode: {bytecode}", flush=True)
    try:
        scratch = prepare_scratch()
        made.append(SCRATCH)
        rows, skipped = available_rows(tool, args.rows) if args.sizes else ([], [])
        for n in args.sizes:
            home = STORES / str(n)
            print(f"{size_label(n)}:", flush=True)
            fixture = None if args.rebuild else store_ok(home, n)
            reused = fixture is not None
            if fixture is None:
                if TEMPLATE not in made and (args.rebuild or not template_ok()):
                    build_template(tool)
                    made.append(TEMPLATE)
                made.append(home)
                fixture = build_store(home, n, today)
                print(f"  built {n:,} entries in {fixture['build_seconds']:.1f} s", flush=True)
            else:
                print(f"  reusing {home} (built {fixture['built']})", flush=True)
                if fixture["built"] != today.isoformat():
                    print(
                        "  note: the fixture ends before yesterday; --rebuild for a fresh one",
                        flush=True,
                    )
            timed = bench_size(tool, home, scratch, args.runs, args.warmup, rows, fixture, today)
            samples = timed["samples"]
            results[str(n)] = {
                **timed,
                "fixture": fixture,
                "reused": reused,
                "store": store_facts(home, today),
            }
            meds = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in samples.items())
            print(f"  medians (ms): {meds}", flush=True)
        if args.import_sizes:
            warm_import(tool, today)
        for n in args.import_sizes:
            folder = STORES / f"import-{n}"
            print(f"import {size_label(n)}:", flush=True)
            frames = None if args.rebuild else frames_ok(folder, n, today)
            reused = frames is not None
            if frames is None:
                if not folder.exists():
                    made.append(folder)
                frames = build_frames(folder, n, today)
                print(
                    f"  wrote {n:,} Watson frames ({frames['bytes'] / 1e6:.1f} MB) "
                    f"in {frames['build_seconds']:.1f} s",
                    flush=True,
                )
            else:
                print(f"  reusing {folder / FRAMES_FILE} (built {frames['built']})", flush=True)
            home = folder / "run"
            made.append(home)
            timed = bench_import(
                tool, folder / FRAMES_FILE, home, n, args.import_runs, args.import_warmup
            )
            samples = timed["samples"]
            facts = store_facts(home, today)
            imports[str(n)] = {
                **timed,
                "frames": frames,
                "reused": reused,
                "store": {"entries": facts["entries"], "bytes": facts["bytes"]},
            }
            meds = ", ".join(f"{k} {statistics.median(v) / 1000:.2f}" for k, v in samples.items())
            print(f"  medians (s): {meds}", flush=True)
    finally:
        SPAWNER.close()
        if not args.keep:
            for path in dict.fromkeys(made):
                shutil.rmtree(path, ignore_errors=True)

    meta = {
        "machine": machine(),
        "runs": args.runs,
        "warmup": args.warmup,
        "tool": str(tool),
        "bytecode": bytecode,
        "rows": [[row.key, row.name] for row in rows],
        "skipped": skipped,
        "story_task": STORY_TASK,
        "timer_task": TIMER_TASK,
        "zone": ZONE,
        "person": PERSON,
    }
    saved: dict = {"meta": meta, "results": results}
    if args.import_sizes:
        meta.update(
            import_runs=args.import_runs,
            import_warmup=args.import_warmup,
            import_budget_s=IMPORT_BUDGET_S,
            import_goal=IMPORT_GOAL.text,
            import_command="mansioni import watson FRAMES",
            import_floor_script=IMPORT_FLOOR_SCRIPT,
        )
        saved["imports"] = imports
    report(results, meta, imports)
    if args.json:
        args.json.write_text(json.dumps(saved, indent=2) + "\n")
        print(f"\nsamples saved to {args.json}")
    if args.markdown:
        args.markdown.write_text(markdown(results, imports))
        print(f"\nMarkdown tables written to {args.markdown}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"\nbenchmark failed: {exc}", file=sys.stderr)
        sys.exit(1)
