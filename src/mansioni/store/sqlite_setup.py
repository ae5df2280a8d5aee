"""The settings every SQLite connection gets, whichever path opened it.

Both the quick path (stdlib ``sqlite3``) and SQLAlchemy call ``configure`` on the
raw DB-API connection, so the store behaves the same whichever command runs:
write-ahead log, ``synchronous=FULL`` (a committed entry survives a power cut),
foreign keys enforced, a page cache that fits a large import, and a busy timeout so racing shells wait instead of failing.
This is the only place where SQLite-only SQL is allowed.
"""

from __future__ import annotations

import os
import sqlite3

BUSY_TIMEOUT_MS = 15_000


def configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    # Up to 64 MiB of page cache, taken only as pages are read (SQLite's default is
    # 2 MiB): a long transaction, such as an import, no longer spills to disk midway.
    conn.execute("PRAGMA cache_size = -65536")


def backup_sqlite(
    source: sqlite3.Connection | str | os.PathLike[str], dest: str | os.PathLike[str]
) -> None:
    """A consistent copy of a live SQLite store at ``dest`` (mode 0600), made in one
    step with SQLite's online backup API: the store as it was at one instant.

    ``source`` is an open connection, or the store's path (opened, then closed).
    """
    if not isinstance(source, sqlite3.Connection):
        opened = sqlite3.connect(source)
        try:
            backup_sqlite(opened, dest)
        finally:
            opened.close()
        return
    fd = os.open(dest, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        target.close()
    os.chmod(dest, 0o600)
