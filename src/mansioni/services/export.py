"""Getting data out of the store: time entries for a spreadsheet, a whole-store backup.

Three things live here, all plain data, none of them printing:

- ``entries``: every finished time entry (every person's), in start order, as plain
  dicts with the keys of ``ENTRY_COLUMNS``, for the ``csv`` and ``json`` exports.
- ``everything``: every row of every table, exactly as stored, for the ``jsonl``
  backup (``docs/reference/jsonl-format.md``); ``jsonl_line`` is its one encoder.
- ``backup``: a consistent copy of a SQLite store file, made with SQLite's online
  backup API while other shells may be writing.

Both exports read inside one read transaction, so they show the store as it was
at one instant, and both come in batches read by key (``WHERE key > :last ORDER BY
key LIMIT n``), so memory holds one batch, not the whole history.

Why one module of this length: the three share the batched, keyed reading and the
one read transaction, which is what makes each export a consistent snapshot.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from mansioni.domain.names import ClientName, resolve_client
from mansioni.domain.text import json_text
from mansioni.errors import ConflictError, InputError, StoreError
from mansioni.i18n import _
from mansioni.store.errors import describe
from mansioni.store.paths import is_store_file
from mansioni.store.sqlite_setup import (
    connect_existing,
    copy_into,
    damage_of_store,
    is_damage,
    no_room,
    remove_copy,
    sync_file,
)

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from typing import Any

    from mansioni.store.base import Store
    from mansioni.store.db import Db, Row

#: How many rows one query reads: memory holds one batch at a time.
BATCH = 5000

#: The keys of an exported entry, in the order of the CSV columns.
ENTRY_COLUMNS = (
    "id",
    "task",
    "client",
    "person",
    "start",
    "end",
    "zone",
    "seconds",
    "hours",
    "occurrence",
    "atypical",
    "note",
)

FORMAT = "mansioni-jsonl"
VERSION = 1
#: Every table of the store, in an order a restore can insert with foreign keys on
#: (``operation.undone_by`` points forward: see docs/reference/jsonl-format.md).
TABLES = (
    "client",
    "task",
    "operation",
    "journal",
    "task_event",
    "invoice",
    "entry",
    "imported",
)


@dataclass
class Batches:
    """What an export reads: how many rows in all, and the rows, one batch at a time."""

    total: int
    batches: Iterator[list[Any]]


# --- time entries, for a spreadsheet ----------------------------------------------------

_ENTRY_SQL = (
    "SELECT entry.id AS id, task.name AS task, client.name AS client, entry.person AS person,"
    " entry.start_utc AS start_utc, entry.end_utc AS end_utc, entry.zone AS zone,"
    " COALESCE(entry.occurrence_id, entry.id) AS occurrence, entry.atypical AS atypical,"
    " entry.note AS note"
    " FROM entry JOIN task ON task.id = entry.task_id JOIN client ON client.id = task.client_id"
)


def _entry_filter(lo: int | None, hi: int | None, client_id: int | None) -> tuple[str, dict]:
    """The WHERE clause shared by the count and the batches: finished entries only."""
    where = ["entry.end_utc IS NOT NULL"]
    params: dict[str, object] = {}
    if lo is not None:
        where.append("entry.start_utc >= :lo")
        params["lo"] = lo
    if hi is not None:
        where.append("entry.start_utc < :hi")
        params["hi"] = hi
    if client_id is not None:
        where.append("task.client_id = :client")
        params["client"] = client_id
    return " WHERE " + " AND ".join(where), params


def exported_entry(row: Row) -> dict[str, Any]:
    """One entry as the csv and json exports show it (docs/reference/export-json.md)."""
    zone = ZoneInfo(row["zone"])
    start, end = int(row["start_utc"]), int(row["end_utc"])
    seconds = end - start
    return {
        "id": int(row["id"]),
        "task": row["task"],
        "client": row["client"],
        "person": row["person"],
        "start": datetime.fromtimestamp(start, zone).isoformat(),
        "end": datetime.fromtimestamp(end, zone).isoformat(),
        "zone": row["zone"],
        "seconds": seconds,
        "hours": round(seconds / 3600, 4),
        "occurrence": int(row["occurrence"]),
        "atypical": bool(row["atypical"]),
        "note": row["note"],
    }


def _entry_batches(db: Db, where: str, params: dict) -> Iterator[list[dict[str, Any]]]:
    after: tuple[int, int] | None = None
    while True:
        sql, page = _ENTRY_SQL + where, {**params, "batch": BATCH}
        if after is not None:
            # The first condition lets the database walk the start index from where it was.
            sql += (
                " AND entry.start_utc >= :after_start AND (entry.start_utc > :after_start"
                " OR entry.id > :after_id)"
            )
            page["after_start"], page["after_id"] = after
        rows = db.rows(sql + " ORDER BY entry.start_utc, entry.id LIMIT :batch", page)
        if not rows:
            return
        yield [exported_entry(row) for row in rows]
        last = rows[-1]
        after = (int(last["start_utc"]), int(last["id"]))
        if len(rows) < BATCH:
            return


@contextmanager
def entries(
    store: Store, *, lo: int | None = None, hi: int | None = None, client: str | None = None
) -> Iterator[Batches]:
    """Finished entries of every person starting in ``[lo, hi)``, oldest first.

    ``client`` is a name as a user types it. Running timers are left out: they have
    no end yet. The batches are read inside the block, in one read transaction.
    """
    with store.read() as db:
        client_id = None
        if client is not None:
            clients = [
                ClientName(int(r["id"]), r["name"]) for r in db.rows("SELECT id, name FROM client")
            ]
            client_id = resolve_client(client, clients).id
        where, params = _entry_filter(lo, hi, client_id)
        count = db.rows(
            "SELECT COUNT(*) AS n FROM entry JOIN task ON task.id = entry.task_id" + where, params
        )
        yield Batches(int(count[0]["n"]), _entry_batches(db, where, params))


# --- the whole store, for a backup --------------------------------------------------------


def _table_batches(db: Db) -> Iterator[list[tuple[str, Row]]]:
    for table in TABLES:
        last = None
        while True:
            if last is None:
                sql, params = f"SELECT * FROM {table} ORDER BY id LIMIT :batch", {"batch": BATCH}
            else:
                sql = f"SELECT * FROM {table} WHERE id > :last ORDER BY id LIMIT :batch"
                params = {"batch": BATCH, "last": last}
            rows = db.rows(sql, params)
            if rows:
                yield [(table, row) for row in rows]
                last = rows[-1]["id"]
            if len(rows) < BATCH:
                break


@contextmanager
def everything(store: Store, *, exported_utc: int) -> Iterator[tuple[dict[str, Any], Batches]]:
    """The header of a jsonl backup, and every row of every table in ``TABLES`` order.

    Each row is a dict of every column the database returns (``SELECT *``), values
    exactly as stored, so a column added by a later schema is carried too.
    """
    with store.read() as db:
        schema = db.rows("SELECT version_num FROM alembic_version")
        counts = {
            table: int(db.rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]) for table in TABLES
        }
        header = {
            "format": FORMAT,
            "version": VERSION,
            "schema": schema[0]["version_num"] if schema else None,
            "exported_utc": exported_utc,
            "counts": counts,
        }
        yield header, Batches(sum(counts.values()), _table_batches(db))


def _stored_value(value: object) -> object:
    """A value ``json`` cannot write as it is: bytes (a BLOB column) as base64."""
    if isinstance(value, bytes | bytearray | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot write {type(value).__name__} to jsonl")


def jsonl_line(record: dict[str, Any]) -> str:
    """One line of a jsonl backup: compact, UTF-8 as it is, keys in the record's order;
    control characters and direction overrides as ``\\uXXXX`` escapes (``json_text``), so
    a backup printed on a terminal shows them, and reads back exact."""
    return (
        json_text(
            record, indent=None, separators=(",", ":"), default=_stored_value, allow_nan=False
        )
        + "\n"
    )


def row_record(table: str, row: Row) -> dict[str, Any]:
    """The record of one stored row: the table, then the columns in name order."""
    return {"table": table, "row": dict(sorted(row.items()))}


# --- a copy of a SQLite store file ---------------------------------------------------------


#: What ``backup`` reports to ``on_step``: the copy, its check, its sync to disk.
BACKUP_STEPS = 3


@dataclass(frozen=True)
class BackupDone:
    path: str
    size: int
    clients: int
    tasks: int
    entries: int


def refuse_special(
    path: str,
    example: Callable[[str], str],
    *,
    shown: str | None = None,
    name_in_folder: str = "mansioni.out",
) -> None:
    """Refuse ``path`` if something other than a regular file stands there: it is never replaced.

    A folder is refused with a file name inside it to write instead
    (``name_in_folder``). A symbolic link is refused even when it points to a regular
    file (the file written is always the one named, never one elsewhere); so are a
    named pipe, a device (``/dev/null`` replaced by a file would break the whole
    system) and a socket. ``example(path)`` is the command to show with another path;
    ``shown`` is the path as the user typed it, if not ``path``.
    """
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return  # nothing there: writing will say what else is wrong
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError(
            _("{path} is a folder; give a file name.").format(path=shown or path),
            hint=_("For example: {example}").format(
                example=example(os.path.join(shown or path, name_in_folder))
            ),
        )
    if stat.S_ISLNK(mode):
        kind = _("a symbolic link")
    elif stat.S_ISFIFO(mode):
        kind = _("a named pipe (FIFO)")
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = _("a device")
    elif stat.S_ISSOCK(mode):
        kind = _("a socket")
    else:
        kind = _("a special file")
    real = os.path.realpath(path)
    if stat.S_ISLNK(mode) and os.path.isfile(real):
        hint = _("To write the file it points to, name that file: {example}").format(
            example=example(real)
        )
    else:
        name = os.path.basename(os.path.normpath(path)) or "mansioni.out"
        hint = _("For example: {example}").format(example=example(os.path.join("~", name)))
    raise InputError(
        _("{path} is not a regular file but {kind}: it is left as it is.").format(
            path=shown or path, kind=kind
        ),
        hint=hint,
    )


def check_backup_target(target: str, store: str) -> str:
    """The absolute path to write a backup to, or an ``InputError`` saying why not."""
    example = _("For example: mansioni backup ~/mansioni-backup.db")
    if target == "-":  # elsewhere "-" is the terminal; a SQLite copy is no text for it
        raise InputError(
            _("A backup is a SQLite file: it cannot go to the terminal."),
            hint=example + " " + _("(or, as text: mansioni export --format jsonl)"),
        )
    path = os.path.abspath(os.path.expanduser(target))
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        raise InputError(
            _("There is no folder {folder} to write {file} in.").format(
                folder=folder, file=os.path.basename(path)
            ),
            hint=example,
        )
    _refuse_special_backup(path, target)
    if is_store_file(path, store):
        raise InputError(
            _("{path} is the store itself: a backup must go to another file.").format(path=target),
            hint=example,
        )
    return path


def _refuse_special_backup(path: str, target: str) -> None:
    refuse_special(
        path,
        lambda other: f"mansioni backup {other}",
        shown=target,
        name_in_folder="mansioni-backup.db",
    )


def backup(
    target: str, *, store_file: str | None, on_step: Callable[[], object] | None = None
) -> BackupDone:
    """Copy the SQLite store ``store_file`` to ``target``, whole and checked.

    ``on_step``, if given, is called after each of the ``BACKUP_STEPS`` steps (the
    copy, its check, its sync to disk), for a progress bar.

    The copy is made with SQLite's backup API in one step, inside one read
    transaction of the store: other shells may keep writing (the store is in WAL
    mode), and the copy is the store as it was at one instant. It is written to a
    temporary file next to ``target``, passed through ``PRAGMA integrity_check``,
    made a single file (no ``-wal``), synced to disk with mode 0600, and only then
    renamed over ``target``: a failure leaves ``target`` as it was.
    """
    if store_file is None:
        raise InputError(
            _(
                "This store is not a SQLite file (MANSIONI_DB names another database): mansioni backup copies a store file."
            ),
            hint=_("Back it up with: mansioni export --format jsonl -o backup.jsonl"),
        )
    path = check_backup_target(target, store_file)
    if not os.path.isfile(store_file):
        raise ConflictError(
            _("There is no store at {path} yet: nothing to back up.").format(path=store_file),
            hint=_("mansioni info shows where the store is; MANSIONI_HOME or MANSIONI_DB move it."),
        )
    folder = os.path.dirname(path)
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".mansioni-backup-", suffix=".part")
        os.close(fd)
    except OSError as exc:
        raise write_failed(target, exc) from None
    step = on_step or (lambda: None)
    try:
        counts = _copy(store_file, temporary, target, step)
        sync_file(temporary)  # the one sync of the copy
        step()
        os.chmod(temporary, 0o600)
        # Again at the last moment: what stands at the path now is what is replaced.
        _refuse_special_backup(path, target)
        os.replace(temporary, path)
        _sync_folder(folder)
    except (OSError, sqlite3.Error) as exc:
        raise write_failed(target, exc) from None
    finally:
        remove_copy(temporary)  # nothing, once renamed
    return BackupDone(path, os.path.getsize(path), *counts)


def _copy(
    store_file: str, temporary: str, target: str, step: Callable[[], object]
) -> tuple[int, int, int]:
    """Copy the store into ``temporary`` (one file, no ``-wal``); check it; return its
    clients, tasks and entries."""
    from pathlib import Path

    try:
        # The store as it is, never created; read-only from a read-only file or folder.
        source = connect_existing(str(Path(store_file).resolve()))
        try:
            source.execute("PRAGMA busy_timeout = 15000")
            # The integrity check below is the full one: no quick check first.
            copy_into(source, temporary, check=False)
        finally:
            source.close()
        step()
        copy = sqlite3.connect(temporary, isolation_level=None)
        try:
            problems = [r[0] for r in copy.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise _copy_failed(store_file, target, problems[0])
            counts = tuple(
                copy.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("client", "task", "entry")
            )
            step()
        finally:
            copy.close()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise StoreError(
                _("{path} is not a mansioni store: nothing was written.").format(path=store_file),
                hint=_("mansioni info shows where the store is."),
            ) from None
        if _writing_failed(exc):
            raise  # the copy could not be written: ``backup`` says so, naming the file
        raise describe(exc, store_file) from None
    except sqlite3.Error as exc:
        if _writing_failed(exc):
            raise
        if is_damage(exc):  # in the store, or in the copy just written?
            raise _copy_failed(store_file, target, str(exc)) from None
        raise describe(exc, store_file) from None
    return counts  # type: ignore[return-value]


def _copy_failed(store_file: str, target: str, problem: str) -> StoreError:
    """The copy is damaged: the store is blamed (and marked) only if it fails its own
    check too; else the disk the copy went to is (a bad USB stick, say)."""
    try:
        damage = damage_of_store(store_file)
    except sqlite3.Error as exc:
        return describe(exc, store_file)
    if damage is not None:
        return StoreError(
            _("The copy failed SQLite's integrity check ({problem}); nothing was written.").format(
                problem=damage
            ),
            hint=_(
                "The store itself may be damaged: run mansioni info, and keep your earlier backups."
            ),
        )
    return StoreError(
        _(
            "The copy written for {path} failed SQLite's integrity check ({problem}), though the store itself is sound: nothing was written."
        ).format(path=target, problem=problem),
        hint=_("The disk it was written to may be failing: back up to another disk."),
    )


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _writing_failed(exc: sqlite3.Error) -> bool:
    """Whether SQLite could not write (a full disk, an I/O error), rather than read."""
    return no_room(exc) or getattr(exc, "sqlite_errorcode", None) in (
        sqlite3.SQLITE_IOERR_WRITE,
        sqlite3.SQLITE_IOERR_FSYNC,
        sqlite3.SQLITE_IOERR_TRUNCATE,
    )


def write_failed(path: str, exc: OSError | sqlite3.Error) -> StoreError:
    """What to say when the file ``path`` could not be written; nothing of it was left."""
    if no_room(exc):
        return StoreError(
            _("The disk is full: {path} was not written.").format(path=path),
            hint=_("Free some space, then run the command again."),
        )
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return StoreError(
        _("Could not write {path}: {reason}.").format(path=path, reason=reason),
        hint=_("Check the folder is writable and the disk has room; nothing was written."),
    )
