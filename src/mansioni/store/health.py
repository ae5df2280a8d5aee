"""What ``mansioni doctor`` reads of a SQLite store: facts, never a change.

The store is opened with ``query_only`` (read-only from a read-only file, folder or
disk: ``sqlite_setup.connect_existing``), so a damaged store is examined as it is.
SQLite-only SQL lives here and in ``sqlite_setup``.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field

from mansioni.store.sqlite_setup import BUSY_TIMEOUT_MS, connect_existing

MAGIC = b"SQLite format 3\x00"
#: At most this many lines of ``PRAGMA integrity_check`` are kept.
MAX_PROBLEMS = 20


@dataclass
class SqliteFacts:
    path: str
    size: int = 0
    #: The first 16 bytes are SQLite's; ``None`` when the file could not be read.
    header_ok: bool | None = None
    page_size: int = 0
    #: Pages the header says the file has, when that count is valid; else ``None``.
    header_pages: int | None = None
    #: The error SQLite gave when the store was opened or read, if any.
    error: str | None = None
    integrity: list[str] = field(default_factory=list)
    #: ``(table, rowid, parent table)`` of each row whose foreign key points nowhere.
    foreign_keys: list[tuple[str, int | None, str]] = field(default_factory=list)
    #: ``alembic_version`` exists (``revision`` may still be ``None``: an empty table).
    versioned: bool = False
    revision: str | None = None
    tables: set[str] = field(default_factory=set)
    #: Bytes in the ``-wal`` file beside the store (changes not yet folded in).
    wal_size: int = 0

    @property
    def truncated(self) -> bool:
        """The file is shorter than its own header says: it was cut."""
        if self.header_pages is None or not self.page_size:
            return False
        return self.header_pages * self.page_size > self.size


def read_header(facts: SqliteFacts) -> None:
    try:
        with open(facts.path, "rb") as f:
            header = f.read(100)
    except OSError as exc:
        facts.error = exc.strerror or str(exc)
        return
    facts.header_ok = header[:16] == MAGIC
    if not facts.header_ok or len(header) < 100:
        facts.header_ok = False
        return
    size = int.from_bytes(header[16:18], "big")
    facts.page_size = 65536 if size == 1 else size
    pages = int.from_bytes(header[28:32], "big")
    change_counter, valid_for = header[24:28], header[92:96]
    if pages and change_counter == valid_for:
        facts.header_pages = pages


def inspect_sqlite(path: str) -> SqliteFacts:
    """Everything ``doctor`` checks of the SQLite store ``path``, read-only."""
    facts = SqliteFacts(path=path, size=os.path.getsize(path))
    wal = path + "-wal"
    facts.wal_size = os.path.getsize(wal) if os.path.exists(wal) else 0
    read_header(facts)
    if not facts.header_ok:
        return facts
    try:
        conn = connect_existing(path)
    except sqlite3.Error as exc:
        facts.error = str(exc)
        return facts
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("BEGIN")  # one snapshot for every check
        facts.tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        facts.integrity = [
            row[0] for row in conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})")
        ]
        if "alembic_version" in facts.tables:
            facts.versioned = True
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            facts.revision = row[0] if row else None
        facts.foreign_keys = [
            (row[0], row[1], row[2]) for row in conn.execute("PRAGMA foreign_key_check")
        ]
    except sqlite3.Error as exc:
        facts.error = str(exc)
    finally:
        conn.close()
    return facts
