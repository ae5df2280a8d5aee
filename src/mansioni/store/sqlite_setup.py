"""The settings every SQLite connection gets, whichever path opened it.

Both the quick path (stdlib ``sqlite3``) and SQLAlchemy call ``configure`` on the
raw DB-API connection, so the store behaves the same whichever command runs:
write-ahead log, ``synchronous=FULL`` (a committed entry survives a power cut),
foreign keys enforced, a busy timeout so racing shells wait instead of failing, and a
page cache of 64 MiB, made smaller for a transaction that only reads (``for_reading``)
or writes far more than it reads again (``lean_page_cache``).
This is the only place where SQLite-only SQL is allowed.

Two cases get no writing connection:

- a store that cannot be written (a read-only file, folder or disk) is opened with
  ``connect_read_only`` and ``configure_read_only``: reading commands work, so the
  data can always be rescued, and any write fails before it starts;
- a store marked damaged (a ``mansioni.db.damaged`` file beside it, written the first
  time SQLite reported it malformed or ``mansioni doctor`` found a problem) gets
  ``query_only``: reading goes on as far as SQLite can read, writing stops.
"""

from __future__ import annotations

import errno
import os
import sqlite3

TYPE_CHECKING = False  # see mansioni.store.db
if TYPE_CHECKING:
    from mansioni.store.db import Db

BUSY_TIMEOUT_MS = 15_000
#: Beside a store SQLite once reported damaged: ``mansioni.db`` -> ``mansioni.db.damaged``.
DAMAGED_SUFFIX = ".damaged"

#: SQLite's primary result codes (``sqlite_errorcode & 0xff``) that say the store's
#: bytes are damaged: SQLITE_CORRUPT and SQLITE_NOTADB.
DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
#: Those that say a read-only open needs ``immutable``: the ``-shm`` cannot be made
#: (SQLITE_CANTOPEN, SQLITE_READONLY and its extended codes such as READONLY_CANTINIT).
_NEEDS_IMMUTABLE = frozenset({sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY})


def primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of ``exc``, if it is a SQLite error that carries one."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(exc, sqlite3.Error) and isinstance(code, int) else None


def is_damage(exc: BaseException) -> bool:
    """Whether SQLite itself said, with ``exc``, that the store's bytes are damaged.

    Decided on the error's code, never on its words: a path or another database's
    message may hold "malformed" or "corrupt" and say nothing about the store."""
    return isinstance(exc, sqlite3.DatabaseError) and primary_code(exc) in DAMAGE_CODES


def configure(conn: sqlite3.Connection, path: str | None = None) -> None:
    """Settings for a connection to the store file ``path`` (``None``: in memory)."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    damaged = path is not None and is_marked_damaged(path)
    if not damaged:  # switching to WAL writes the header: not into a damaged store
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    # Up to 64 MiB of page cache, taken only as pages are read (SQLite's default is
    # 2 MiB): a long transaction, such as an import, no longer spills to disk midway.
    conn.execute("PRAGMA cache_size = -65536")
    if damaged:
        conn.execute("PRAGMA query_only = ON")  # even BEGIN IMMEDIATE fails: nothing is written


#: The page cache of a read transaction, in KiB: a report reads each page of a long
#: history once, and the system's file cache holds them anyway; a larger cache would
#: only add the pages read to the process's memory.
READ_CACHE_KIB = 8192


#: The page cache of a transaction that writes far more than it reads again (an import),
#: in KiB: SQLite's own default.
LEAN_CACHE_KIB = 2000


def lean_page_cache(db: Db) -> None:
    """For the rest of a transaction that writes far more than it reads again (an
    import): SQLite's own page cache (2 MB) instead of the store's 64 MiB, so that the
    pages written go on to the WAL as the cache fills, rather than all staying in memory
    until the commit. On a SQLite store only, whose connection is the transaction's own;
    elsewhere nothing."""
    conn = getattr(db, "conn", None)  # a ``Db`` over sqlite3 (``store.db.SqliteDb``)
    if isinstance(conn, sqlite3.Connection):
        conn.execute(f"PRAGMA cache_size = -{LEAN_CACHE_KIB}")


def for_reading(conn: sqlite3.Connection) -> None:
    """Settings for a connection that only reads (one read transaction)."""
    conn.execute(f"PRAGMA cache_size = -{READ_CACHE_KIB}")


def configure_read_only(conn: sqlite3.Connection) -> None:
    """``configure`` for a connection from ``connect_read_only``: nothing that writes
    (no switch to WAL), and ``query_only`` so that a write fails before it starts."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA cache_size = -65536")
    conn.execute("PRAGMA query_only = ON")


def can_write(path: str) -> bool:
    """True when SQLite can write the store ``path``: the file, and the folder (where
    the ``-wal`` and ``-shm`` files go) or those files themselves if they exist."""
    if not os.access(path, os.W_OK):
        return False
    if os.access(os.path.dirname(os.path.abspath(path)), os.W_OK):
        return True
    return all(os.access(path + end, os.W_OK) for end in ("-wal", "-shm"))


def _uri(path: str) -> str:
    absolute = os.path.abspath(path).replace(os.sep, "/")
    for char, code in (("%", "%25"), ("?", "%3f"), ("#", "%23")):
        absolute = absolute.replace(char, code)
    return "file:" + ("" if absolute.startswith("/") else "/") + absolute


def connect_read_only(path: str, *, timeout: float = BUSY_TIMEOUT_MS / 1000) -> sqlite3.Connection:
    """The store ``path`` opened for reading only, from a read-only file, folder or disk.

    ``mode=ro`` first. A store in WAL mode can only be read that way if its ``-shm``
    file exists or can be made; when it cannot (a read-only folder), it is opened
    ``immutable``: SQLite then reads the file as it is, taking no lock. (A ``-wal``
    file left beside it by a command that was interrupted is not read then; ``mansioni
    doctor`` says so.) Any other error (the store busy past ``timeout`` seconds, a
    damaged file) is raised: reading without locks a file a writer is changing could
    read pages from two moments.
    """
    uri = _uri(path)
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=timeout)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.Error as exc:
        conn.close()
        if primary_code(exc) not in _NEEDS_IMMUTABLE:
            raise
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)


def connect_existing(path: str) -> sqlite3.Connection:
    """The existing store ``path`` (never created): read-write when it can be written,
    else read-only (``connect_read_only``). Not configured: for a copy of the store."""
    if not can_write(path):
        return connect_read_only(path)
    return sqlite3.connect(f"{_uri(path)}?mode=rw", uri=True, isolation_level=None)


def damaged_marker(path: str) -> str:
    return path + DAMAGED_SUFFIX


def _identity(path: str) -> str | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return f"{info.st_dev}:{info.st_ino}"


def is_marked_damaged(path: str) -> bool:
    """Whether the damage mark beside ``path`` is about the store file there now.

    The mark records the file's identity (device and inode): a mark left beside a
    store that was moved away, or replaced by a new store or a backup moved in its
    place, is not about that file and is ignored; so is any mark where no store is.
    (A mark without an identity line, from an earlier version, applies.)"""
    try:
        with open(damaged_marker(path), encoding="utf-8", errors="replace") as mark:
            first = mark.readline().strip()
    except OSError:
        return False
    identity = _identity(path)
    if identity is None:
        return False
    if first.startswith("store "):
        return first == "store " + identity
    return True


def mark_damaged(path: str, reason: str) -> bool:
    """Write the damage mark beside the store ``path`` (its identity, then ``reason``);
    False if it cannot be written (a read-only folder, where nothing can be written
    anyway) or there is no store."""
    identity = _identity(path)
    if identity is None:
        return False
    try:
        fd = os.open(damaged_marker(path), os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    except OSError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(f"store {identity}\n{reason.strip()}\n")
    return True


def clear_damaged(path: str) -> bool:
    """Remove the damage marker (``mansioni doctor``, once every check passes)."""
    try:
        os.unlink(damaged_marker(path))
    except FileNotFoundError:
        return False
    return True


def disk_nearly_full(path: str, margin: int = 1 << 20) -> bool:
    """True when the folder of ``path`` has less than ``margin`` bytes free (1 MiB):
    too little for SQLite's ``-shm`` (32 KiB at a time) and a transaction's log; or
    when the store or its log is within ``margin`` of the largest file this process
    may write (``ulimit -f``), which SQLite also reports only as an I/O error."""
    try:
        stats = os.statvfs(os.path.dirname(os.path.abspath(path)))
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False
    return stats.f_bavail * stats.f_frsize < margin or _near_file_size_limit(path, margin)


def _near_file_size_limit(path: str, margin: int) -> bool:
    try:
        import resource
    except ImportError:  # not on Windows
        return False
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit == resource.RLIM_INFINITY:
        return False
    sizes = [0]
    for name in (path, path + "-wal", path + "-journal"):
        try:
            sizes.append(os.path.getsize(name))
        except OSError:
            continue
    return max(sizes) + margin >= limit


#: What an operating system says when a disk has no room left for a write: full, a
#: file grown past the size allowed to it, a quota used up.
NO_ROOM = frozenset(
    code for code in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", None)) if code
)


def no_room(exc: BaseException) -> bool:
    """Whether ``exc`` (an ``OSError`` or a SQLite error) says the disk is full."""
    if isinstance(exc, OSError):
        return exc.errno in NO_ROOM
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or (
            "disk is full" in str(exc).lower()
        )
    return False


class CopyCheckFailed(sqlite3.DatabaseError):
    """A copy of the store failed SQLite's check: the copy, or the store, is damaged
    (``quick_check`` on the store tells which)."""


def quick_check(path: str) -> list[str]:
    """``PRAGMA quick_check`` of the existing store ``path`` (``["ok"]`` when sound),
    read-only where it cannot be written. SQLite's own word that the file is damaged
    (SQLITE_CORRUPT, SQLITE_NOTADB) comes back as the one problem; any other error
    (busy, an I/O error) is raised."""
    try:
        conn = connect_existing(path)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            return [row[0] for row in conn.execute("PRAGMA quick_check(20)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return [str(exc)]
        raise


def damage_of_store(path: str) -> str | None:
    """After a copy of the store ``path`` failed its check: is the store to blame? Its
    own ``quick_check`` decides. If it fails, the store is marked damaged and the first
    problem returned; if it passes, ``None`` (the disk the copy went to is to blame, a
    bad USB stick, say). Any other error (busy, an I/O error) is raised."""
    found = quick_check(path)
    if found == ["ok"]:
        return None
    mark_damaged(path, found[0])
    return found[0]


def copy_into(source: sqlite3.Connection, part: str, *, check: bool = True) -> None:
    """Every page of ``source`` into the file ``part`` (empty or missing), made a single
    file (no ``-wal``) and, unless ``check`` is false, passed through ``PRAGMA
    quick_check`` (``CopyCheckFailed`` otherwise). Not synced: the caller syncs it once."""
    target = sqlite3.connect(part, isolation_level=None)
    try:
        copy_pages(source, target)
        target.execute("PRAGMA journal_mode = DELETE")  # one file, nothing beside it
        problems = [r[0] for r in target.execute("PRAGMA quick_check")] if check else ["ok"]
    finally:
        target.close()
    if problems != ["ok"]:
        raise CopyCheckFailed(f"the copy is malformed: {problems[0]}")


def backup_sqlite(
    source: sqlite3.Connection | str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    check: bool = True,
) -> None:
    """A consistent copy of a live SQLite store at ``dest`` (mode 0600), made in one
    step with SQLite's online backup API: the store as it was at one instant.

    ``source`` is an open connection, or the store's path (opened, then closed).
    The copy is written to a temporary file beside ``dest`` (``copy_into``: a single
    file, checked unless ``check`` is false because the caller runs the full check),
    synced, and only then renamed to ``dest``. Any failure (a full disk:
    ``sqlite3.OperationalError`` or ``OSError``; a failed check: ``CopyCheckFailed``)
    is raised with nothing left behind: no temporary file, and ``dest`` as it was.
    """
    if not isinstance(source, sqlite3.Connection):
        opened = sqlite3.connect(source)
        try:
            backup_sqlite(opened, dest, check=check)
        finally:
            opened.close()
        return
    import tempfile

    dest = os.fspath(dest)
    folder = os.path.dirname(os.path.abspath(dest))
    fd, part = tempfile.mkstemp(dir=folder, prefix=".mansioni-copy-", suffix=".part")  # 0600
    os.close(fd)
    try:
        copy_into(source, part, check=check)
        sync_file(part)
        os.chmod(part, 0o600)
        os.replace(part, dest)
    except BaseException:
        remove_copy(part)
        raise


def sync_file(path: str) -> None:
    """Flush the file ``path`` to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_copy(part: str) -> None:
    """Remove a partial copy and whatever SQLite left beside it."""
    for name in (part, part + "-journal", part + "-wal", part + "-shm"):
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass


def copy_pages(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Every page of ``source`` into ``target``, in one step of SQLite's backup API."""
    source.backup(target)
