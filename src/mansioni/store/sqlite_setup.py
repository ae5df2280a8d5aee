"""The settings every SQLite connection gets, whichever path opened it.

Both the quick path (stdlib ``sqlite3``) and SQLAlchemy call ``configure`` on the
raw DB-API connection, so the store behaves the same whichever command runs:
write-ahead log, ``synchronous=FULL`` (a committed entry survives a power cut),
foreign keys enforced, and a busy timeout so racing shells wait instead of failing.
This is the only place where SQLite-only SQL is allowed.
"""

from __future__ import annotations

import sqlite3

BUSY_TIMEOUT_MS = 15_000


def configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
