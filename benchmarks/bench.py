"""Wall-clock benchmark of whole ``mansioni`` processes against stores of growing size.

Usage (from the repository root, with the virtualenv that has ``mansioni`` installed)::

    python benchmarks/bench.py                       # sizes 0,10000,100000,1000000
    python benchmarks/bench.py --sizes 0,10000 --runs 15 --warmup 2
    python benchmarks/bench.py --keep                # keep the stores for the next run
    python benchmarks/bench.py --rebuild --keep      # rebuild them even if they look fine
    python benchmarks/bench.py --json results.json   # also save every sample

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

Each start/stop pair adds one entry (and its undo-journal rows) to the store, so
a store kept with ``--keep`` grows by ``runs + warmup`` entries per run: they are
after the fixture, have higher ids, and are not counted as bulk entries.
Without ``--keep`` the stores (and the template) this run built are deleted at the
end; stores kept by an earlier run and reused stay.
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


def report(results: dict, meta: dict) -> None:
    sizes = [int(s) for s in results]
    commands = [tuple(c) for c in meta.get("commands", COMMANDS)]
    names = [name for name, _kind in commands]
    med = {s: {n: statistics.median(results[str(s)]["samples"][n]) for n in names} for s in sizes}
    low = {s: {n: min(results[str(s)]["samples"][n]) for n in names} for s in sizes}
    cols = [size_label(s) for s in sizes]
    by_label = dict(zip(cols, sizes, strict=True))
    m = meta["machine"]
    print()
    print(f"mansioni benchmark  {m['date']}")
    print(
        f"machine: nproc={m['nproc']} (cpu_count={m['cpu_count']}), load avg {m['loadavg']}, "
        f"{m['platform']}"
    )
    print(f"python {m['python']} ({m['executable']}), sqlite {m['sqlite']}")
    print(
        f"runs={meta['runs']} after warmup={meta['warmup']}; times are wall-clock of whole "
        f"processes, ms; bytecode {meta['bytecode']}"
    )
    print()

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


# -- main --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time whole mansioni processes against stores of 0..N entries.",
    )
    parser.add_argument(
        "--sizes",
        default="0,10000,100000,1000000",
        help="comma-separated entry counts (default: %(default)s)",
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
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes integers separated by commas, e.g. 0,10000,100000")
    if not args.sizes or any(s < 0 for s in args.sizes):
        parser.error("--sizes needs at least one size, none negative")
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    global BYTECODE_CACHE
    tool = find_tool()
    today = date.today()
    STORES.mkdir(parents=True, exist_ok=True)
    print(f"mansioni: {tool}\nstores: {STORES}", flush=True)
    results: dict[str, dict] = {}
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
        if args.warmup < 1:
            print(
                "note: with --warmup 0 the first round also compiles the bytecode cache", flush=True
            )
    print(f"bytecode: {bytecode}", flush=True)
    try:
        scratch = prepare_scratch()
        made.append(SCRATCH)
        commands = available_commands(tool)
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
    report(results, meta)
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
        print(f"\nsamples saved to {args.json}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"\nbenchmark failed: {exc}", file=sys.stderr)
        sys.exit(1)
