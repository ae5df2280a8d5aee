"""What ``mansioni doctor`` reads of a store: facts, never a change.

A SQLite store is opened with ``query_only`` (read-only from a read-only file, folder
or disk: ``sqlite_setup.connect_existing``), so a damaged store is examined as it is.
A database server is asked, in one read transaction, for its schema revision and the
rows it holds. The SQL of both lives here (SQLite-only SQL here and in
``sqlite_setup``), so that the service only weighs the facts.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field

from mansioni.store.sqlite_setup import BUSY_TIMEOUT_MS, connect_existing, is_damage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.errors import StoreError

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
    #: Pages the store has, as SQLite counts them inside the read snapshot (the -wal's
    #: latest size when it holds changes); ``None`` when the store could not be read.
    page_count: int | None = None
    #: The error SQLite gave when the store was opened or read, if any.
    error: str | None = None
    #: That error says the file's bytes are damaged (SQLITE_CORRUPT, SQLITE_NOTADB).
    error_is_damage: bool = False
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
        """The file is shorter than the store it holds: it was cut.

        Never said while a ``-wal`` holds changes: a checkpoint writes the header (with
        the new size) before the file grows, and a store that grew in the ``-wal`` is
        longer than its file until the next checkpoint: both are sound."""
        pages = self.page_count if self.page_count is not None else self.header_pages
        if pages is None or not self.page_size or self.wal_size:
            return False
        return pages * self.page_size > self.size


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


def _sizes(facts: SqliteFacts) -> None:
    facts.size = os.path.getsize(facts.path)
    wal = facts.path + "-wal"
    try:
        facts.wal_size = os.path.getsize(wal)
    except OSError:  # none: every change is in the file
        facts.wal_size = 0


def inspect_sqlite(path: str) -> SqliteFacts:
    """Everything ``doctor`` checks of the SQLite store ``path``, read-only."""
    facts = SqliteFacts(path=path)
    _sizes(facts)
    read_header(facts)
    if not facts.header_ok:
        return facts
    try:
        conn = connect_existing(path)
    except sqlite3.Error as exc:
        _failed(facts, exc)
        return facts
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("BEGIN")  # one snapshot for every check, taken at the first read
        facts.tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        # The size inside the snapshot, and the files measured once it is held: no
        # checkpoint can fold in changes this snapshot does not see.
        facts.page_count = conn.execute("PRAGMA page_count").fetchone()[0]
        _sizes(facts)
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
        _failed(facts, exc)
    finally:
        conn.close()
    return facts


def _failed(facts: SqliteFacts, exc: sqlite3.Error) -> None:
    facts.error = str(exc)
    facts.error_is_damage = is_damage(exc)


def expected_tables() -> set[str]:
    """The tables a store at this program's schema holds."""
    from sqlmodel import SQLModel

    import mansioni.store.orm.models  # noqa: F401 - registers the tables

    return set(SQLModel.metadata.tables) | {"alembic_version"}


# --- a database server -----------------------------------------------------------------------

#: The tables whose rows doctor counts on a server, in the order it lists them.
COUNTED = ("client", "task", "entry", "operation", "journal")


@dataclass
class ServerFacts:
    #: The URL as it may be shown: no part of a password.
    store: str
    #: Why the store could not be reached or read (its message shows no secret), if so.
    error: StoreError | None = None
    revision: str | None = None
    tables: set[str] = field(default_factory=set)
    #: Rows of each ``COUNTED`` table, when the schema is this program's; else empty.
    counts: dict[str, int] = field(default_factory=dict)
    #: Entries whose task does not exist.
    lone_entries: int = 0


def inspect_server(url: str) -> ServerFacts:
    """Everything ``doctor`` checks of the store on the database server ``url``, in one
    read transaction. Every error (a URL that is not one, a driver missing, a server
    that does not answer) is in ``error``, its words scrubbed of the URL's secrets."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import DBAPIError

    from mansioni.errors import StoreError
    from mansioni.store import revision
    from mansioni.store.orm.engine import (
        current_revision,
        describe_driver_error,
        open_engine,
        safe_url,
    )

    facts = ServerFacts(store=safe_url(url))
    try:
        engine = open_engine(url)
    except StoreError as exc:
        facts.error = exc
        return facts
    try:
        with engine.connect() as conn, conn.begin():
            facts.revision = current_revision(conn)
            facts.tables = set(inspect(conn).get_table_names())
            if facts.revision == revision.HEAD and set(COUNTED) <= facts.tables:
                facts.counts = {
                    table: conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() or 0
                    for table in COUNTED
                }
                facts.lone_entries = (
                    conn.execute(
                        text(
                            "SELECT COUNT(*) FROM entry WHERE task_id NOT IN (SELECT id FROM task)"
                        )
                    ).scalar()
                    or 0
                )
    except (DBAPIError, OSError) as exc:
        facts.error = describe_driver_error(exc, url)
    finally:
        engine.dispose()
    return facts
