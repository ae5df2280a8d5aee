"""Wall-clock benchmark of whole ``mansioni`` processes against stores of growing size.

Usage (from the repository root, with the virtualenv that has ``mansioni`` installed)::

    python benchmarks/bench.py                       # sizes 0,10000,100000,1000000
    python benchmarks/bench.py --sizes 0,10000 --runs 15 --warmup 2
    python benchmarks/bench.py --keep                # keep the stores for the next run
    python benchmarks/bench.py --rebuild --keep      # rebuild them even if they look fine
    python benchmarks/bench.py --json results.json   # also save every sample
    python benchmarks/bench.py --sizes '' --import-sizes 100000   # only the import, 3 runs
    python benchmarks/bench.py --import-sizes 100000 --import-runs 5  # both

What it does, for each size N:

1. **Fixture.** A store in ``benchmarks/.stores/N/`` (``MANSIONI_HOME`` points
   there). Its schema is made by the real tool (``mansioni client add`` creates and
   migrates the store), its 5 clients and 40 tasks too (``mansioni client add``,
   ``mansioni task add client/task``). Those ~45 slow full-path commands run once,
   into ``benchmarks/.stores/_template/``, and each size starts from a copy of it
   (SQLite backup API). Then N finished entries are bulk-inserted with stdlib
   ``sqlite3`` (one transaction, ``executemany`` over a generator, ``synchronous=OFF``
   during the load only, no undo-journal rows, ``ANALYZE`` at the end): person
   ``bench``, zone ``Europe/Rome``, spread evenly over the five years that end at
   midnight today (local), over the 40 tasks, never overlapping. Durations are drawn
   in 10-120 minutes but capped to the time each entry's slot leaves: five years
   hold only ~40,000 entries of 65 minutes, so at 100,000 entries they are ~10-25
   minutes and at 1,000,000 about 1-2.5 minutes. The generator is seeded: the same
   N on the same day gives the same rows. A store is reused when its side file
   ``fixture.json`` and its entry count say it holds exactly the N bulk entries.
2. **Timing.** Whole processes, ``subprocess.run`` around ``time.perf_counter``, with
   ``MANSIONI_HOME`` = the store, ``MANSIONI_USER=bench``, ``MANSIONI_TZ=Europe/Rome``,
   ``MANSIONI_LANG=en`` (``MANSIONI_DB`` removed), stdout to ``/dev/null``. After
   ``--warmup`` rounds, ``--runs`` rounds; in each round every command runs once, in
   turn (interleaved, so a burst of load on the machine hits all of them alike):

   - ``python -c pass`` with the same interpreter (``sys.executable``): the floor
     every ratio is divided by;
   - the *sqlite3 insert floor*: a ``python -c`` script that connects with stdlib
     ``sqlite3`` to a scratch database (WAL, ``synchronous=FULL``, like the store;
     same file system as the stores), inserts one row and commits;
   - ``mansioni status``;
   - ``mansioni start <client/task>`` then ``mansioni stop``, each timed on its own:
     every start finds no running timer and every stop finds one. The tool refuses
     an entry that ends in the second it started, so the script sleeps (untimed)
     into the next second between the two;
   - ``mansioni log --month``;
   - ``mansioni review``: every task's verdict (the whole of each task's phase);
   - ``mansioni report --month``: this month's report, each task's verdict included.
     A command the tool does not have yet (``mansioni report --help`` fails) is
     skipped, with a note; the other rows are timed as usual.

   Any timed process that exits non-zero stops the benchmark with its stderr.
3. **Report.** A table (rows: commands, columns: sizes, cells: ``median ms
   (xratio to python -c pass)``), the minimums, the machine (CPUs, Python, SQLite,
   load average) and the date; ``--json FILE`` saves all samples in milliseconds.

4. **Import** (only with ``--import-sizes``; none by default). The requirement: a
   store of 100,000 imported entries imports in under a minute. For each size N:

   - *Frames.* A Watson ``frames`` file in ``benchmarks/.stores/import-N/``: a JSON
     list of ``[start, stop, project, id, tags, updated_at]``, written as Watson
     writes it (``indent=1``), in time order. The times are those of the store
     fixture of the same N (same generator, same seed: never overlapping, over the
     five years that end at local midnight today, the same durations); the project
     is one of the 40 ``client/task`` of the store fixture (``Studio Rossi/newsletter``
     ...), so the importer's ``client/task`` convention places every frame and makes
     the clients and tasks as it goes; the id (uuid4 hex) and 0-2 tags come from a second
     seeded generator; ``updated_at`` is the stop. It is reused when its side file
     ``fixture.json`` says N frames, built today, and the file has the size it says.
   - *Timing.* After one untimed import of a one-frame file into a scratch store
     (it fills the bytecode cache for the import's modules and fails early if the
     tool cannot import), ``--import-warmup`` (default 0) untimed and
     ``--import-runs`` (default 3) timed rounds; each round, in turn:

     - the *import floor*: a ``python -c`` stdlib script that ``json``-loads the same
       frames file and inserts its N rows into a new scratch SQLite file (WAL,
       ``synchronous=FULL``, one transaction, ``executemany``); every import ratio is
       divided by it;
     - ``mansioni import watson FRAMES`` into a new, empty store (``MANSIONI_HOME`` =
       ``benchmarks/.stores/import-N/run/``, removed and made again, untimed, before
       it): the store is created and migrated, the frames read, placed, checked and
       written in one transaction;
     - the same command again, on the same store: every frame is found already
       imported and nothing is added (the "no duplicates" path).

     Same environment as above. After each (untimed) the entry count is checked:
     N in the floor's table, N in the store after the import and still N after the
     second one; anything else stops the benchmark.
   - *Report.* A second set of tables (``median s (xratio to the import floor)``,
     minimums, the store and the frames file) and, per size, a line saying whether
     the median import is under 60 s (``pass``/``FAIL``, with the slowest run); the
     samples go into ``--json`` under ``imports``.

Each start/stop pair adds one entry (and its undo-journal rows) to the store, so
a store kept with ``--keep`` grows by ``runs + warmup`` entries per run: they are
after the fixture, have higher ids, and are not counted as bulk entries.
Without ``--keep`` the stores (and the template) this run built are deleted at the
end; stores kept by an earlier run and reused stay. The same holds for the frames
files; the import's scratch store (``import-N/run/``) is deleted at the end unless
``--keep``. ``--rebuild`` writes the frames files again too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
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

COMMANDS = (
    ("python -c pass", "baseline"),
    ("sqlite3 insert floor", "baseline"),
    ("mansioni status", "quick"),
    ("mansioni start", "quick"),
    ("mansioni stop", "quick"),
    ("mansioni log --month", "full"),
    ("mansioni review", "full"),
    ("mansioni report --month", "full"),
)
#: The command line of each full-path row (start and stop are timed in a pair).
FULL_ARGS = {
    "mansioni log --month": ["log", "--month"],
    "mansioni review": ["review"],
    "mansioni report --month": ["report", "--month"],
}
#: Rows timed only when the tool has the command: what to ask ``--help`` of.
OPTIONAL = {"mansioni report --month": ["report", "--help"]}
QUICK_BUDGET_MS = 60.0

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
    )
    return env


def run_checked(cmd: list[str], env: dict[str, str], what: str | None = None) -> float:
    """Run ``cmd`` (stdout discarded); return its wall time in seconds; fail on exit != 0."""
    start = time.perf_counter()
    done = subprocess.run(
        cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        stderr = done.stderr.decode(errors="replace").strip()
        raise BenchError(
            f"{what or ' '.join(cmd)} exited with {done.returncode}"
            f" (MANSIONI_HOME={env.get('MANSIONI_HOME')}):\n{stderr}"
        )
    return elapsed


def available_commands(tool: Path) -> tuple[tuple[str, str], ...]:
    """``COMMANDS`` less the optional ones this tool does not have (with a printed note)."""
    chosen = []
    for name, kind in COMMANDS:
        probe = OPTIONAL.get(name)
        if probe is not None:
            env = tool_env(SCRATCH)  # --help reads no store; the scratch dir holds none
            done = subprocess.run(
                [str(tool), *probe],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if done.returncode != 0:
                print(
                    f"note: `mansioni {' '.join(probe)}` exited with {done.returncode}: "
                    f"this tool has no such command, so `{name}` is skipped",
                    flush=True,
                )
                continue
        chosen.append((name, kind))
    return tuple(chosen)


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


def store_ok(home: Path, n: int) -> dict | None:
    """The fixture description when ``home`` holds exactly the ``n`` bulk entries."""
    meta_path, db = home / FIXTURE_FILE, home / DB_FILE
    if not (meta_path.is_file() and db.is_file()):
        return None
    try:
        meta = json.loads(meta_path.read_text())
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            count = conn.execute(
                "SELECT count(*) FROM entry WHERE id <= ?", (meta["max_id"],)
            ).fetchone()[0]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        finally:
            conn.close()
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error):
        return None
    if meta.get("entries") != n or count != n or revision != meta.get("revision"):
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


def bench_size(
    tool: Path,
    home: Path,
    scratch: Path,
    runs: int,
    warmup: int,
    commands: tuple[tuple[str, str], ...] = COMMANDS,
) -> dict[str, list[float]]:
    env = tool_env(home)
    exe = sys.executable
    samples: dict[str, list[float]] = {name: [] for name, _kind in commands}
    mansioni = str(tool)

    if store_facts(home, date.today())["running"]:  # left over by an interrupted run
        run_checked([mansioni, "stop"], env)

    def one_round(keep: bool) -> None:
        got = {
            "python -c pass": run_checked([exe, "-c", "pass"], env),
            "sqlite3 insert floor": run_checked(
                [exe, "-c", INSERT_FLOOR_SCRIPT, str(scratch)],
                env,
                "the sqlite3 insert floor script",
            ),
            "mansioni status": run_checked([mansioni, "status"], env),
        }
        got["mansioni start"] = run_checked([mansioni, "start", TIMER_TASK], env)
        sleep_into_next_second()
        got["mansioni stop"] = run_checked([mansioni, "stop"], env)
        for name, args in FULL_ARGS.items():
            if name in samples:
                got[name] = run_checked([mansioni, *args], env)
        if keep:
            for name, seconds in got.items():
                samples[name].append(seconds * 1000.0)

    for _ in range(warmup):
        one_round(False)
    tty = sys.stdout.isatty()
    for i in range(runs):
        one_round(True)
        if tty:
            print(f"\r  run {i + 1}/{runs}", end="", flush=True)
    if tty:
        print("\r" + " " * 20 + "\r", end="", flush=True)
    if store_facts(home, date.today())["running"]:
        raise BenchError(f"a timer is still running in {home}")
    return samples


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
) -> dict[str, list[float]]:
    """Rounds of: the floor, the import into a new store, the same import again."""
    env = tool_env(home)
    exe = sys.executable
    floor = SCRATCH / "import-floor.db"
    command = import_command(tool, frames)
    samples: dict[str, list[float]] = {name: [] for name in IMPORT_ROWS}
    first, again = IMPORT_ROWS[1], IMPORT_ROWS[2]

    def one_round(keep: bool) -> None:
        prepare_import_floor(floor)  # untimed, like every set-up and check below
        got = {
            IMPORT_FLOOR: run_checked(
                [exe, "-c", IMPORT_FLOOR_SCRIPT, str(frames), str(floor)],
                env,
                "the import floor script",
            )
        }
        check_count(floor, "t", n, "after the import floor script")
        new_home(home)
        got[first] = run_checked(command, env)
        check_count(home / DB_FILE, "entry", n, "after the import")
        got[again] = run_checked(command, env)
        check_count(home / DB_FILE, "entry", n, "after importing the same frames again")
        if keep:
            for name, seconds in got.items():
                samples[name].append(seconds * 1000.0)

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
    return samples


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


def report_sizes(results: dict, meta: dict) -> None:
    sizes = [int(s) for s in results]
    commands = [tuple(c) for c in meta.get("commands", COMMANDS)]
    names = [name for name, _kind in commands]
    med = {s: {n: statistics.median(results[str(s)]["samples"][n]) for n in names} for s in sizes}
    low = {s: {n: min(results[str(s)]["samples"][n]) for n in names} for s in sizes}
    cols = [size_label(s) for s in sizes]
    by_label = dict(zip(cols, sizes, strict=True))

    def median_cell(row: str, col: str) -> str:
        s = by_label[col]
        base = med[s]["python -c pass"]
        return f"{med[s][row]:.1f} ms (x{med[s][row] / base:.1f})"

    print_table("median (ratio to python -c pass)", names, cols, median_cell)
    print()
    print_table("min", names, cols, lambda r, c: f"{low[by_label[c]][r]:.1f} ms")
    print()
    print_table(
        "store",
        ["entries (after the run)", "entries this month (log --month)", "file size", "fixture"],
        cols,
        lambda r, c: _store_cell(results[str(by_label[c])], r),
    )
    slow = [
        f"{name} at {size_label(s)}: {med[s][name]:.1f} ms"
        for s in sizes
        for name, kind in commands
        if kind == "quick" and med[s][name] > QUICK_BUDGET_MS
    ]
    skipped = [name for name, _kind in COMMANDS if name not in names]
    if skipped:
        print()
        print("not timed (the tool has no such command): " + ", ".join(skipped))
    print()
    if slow:
        print(f"quick-path medians over the ~{QUICK_BUDGET_MS:.0f} ms budget: " + "; ".join(slow))
    else:
        print(f"every quick-path median is under ~{QUICK_BUDGET_MS:.0f} ms")


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
    """The import rounds: medians in seconds with their ratio to the floor, the
    minimums, the store and frames file, and a pass/fail line per size."""
    sizes = [int(s) for s in imports]
    med = {
        s: {r: statistics.median(imports[str(s)]["samples"][r]) for r in IMPORT_ROWS} for s in sizes
    }
    low = {s: {r: min(imports[str(s)]["samples"][r]) for r in IMPORT_ROWS} for s in sizes}
    cols = [size_label(s) for s in sizes]
    by_label = dict(zip(cols, sizes, strict=True))
    print(
        f"import: runs={meta['import_runs']} after warmup={meta['import_warmup']}; each a new "
        "store; times are wall-clock of whole processes, s"
    )
    print()

    def median_cell(row: str, col: str) -> str:
        s = by_label[col]
        return f"{med[s][row] / 1000:.2f} s (x{med[s][row] / med[s][IMPORT_FLOOR]:.1f})"

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
    for s in sizes:
        times = imports[str(s)]["samples"][IMPORT_ROWS[1]]
        worst = max(times) / 1000
        verdict = "pass" if med[s][IMPORT_ROWS[1]] / 1000 < IMPORT_BUDGET_S else "FAIL"
        print(
            f"import of {s:,} frames under {IMPORT_BUDGET_S:.0f} s: {verdict} (median "
            f"{med[s][IMPORT_ROWS[1]] / 1000:.2f} s, slowest {worst:.2f} s of {len(times)})"
        )
    if IMPORT_REQUIRED_N not in sizes:
        print(
            f"(the requirement is stated at {IMPORT_REQUIRED_N:,} entries; "
            f"--import-sizes {IMPORT_REQUIRED_N} checks it)"
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
    parser.add_argument("--json", metavar="FILE", type=Path, help="save all samples (ms) here")
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
        commands = available_commands(tool) if args.sizes else ()
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
            samples = bench_size(tool, home, scratch, args.runs, args.warmup, commands)
            results[str(n)] = {
                "samples": samples,
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
            samples = bench_import(
                tool, folder / FRAMES_FILE, home, n, args.import_runs, args.import_warmup
            )
            facts = store_facts(home, today)
            imports[str(n)] = {
                "samples": samples,
                "frames": frames,
                "reused": reused,
                "store": {"entries": facts["entries"], "bytes": facts["bytes"]},
            }
            meds = ", ".join(f"{k} {statistics.median(v) / 1000:.2f}" for k, v in samples.items())
            print(f"  medians (s): {meds}", flush=True)
    finally:
        if not args.keep:
            for path in dict.fromkeys(made):
                shutil.rmtree(path, ignore_errors=True)

    meta = {
        "machine": machine(),
        "runs": args.runs,
        "warmup": args.warmup,
        "tool": str(tool),
        "bytecode": bytecode,
        "commands": [list(c) for c in commands],
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
            import_command="mansioni import watson FRAMES",
            import_floor_script=IMPORT_FLOOR_SCRIPT,
        )
        saved["imports"] = imports
    report(results, meta, imports)
    if args.json:
        args.json.write_text(json.dumps(saved, indent=2) + "\n")
        print(f"\nsamples saved to {args.json}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"\nbenchmark failed: {exc}", file=sys.stderr)
        sys.exit(1)
