"""The quick way into a SQLite store: the standard ``sqlite3`` module, no ORM.

Used by ``start``, ``stop``, ``cancel`` and ``status``, which must answer in a few
tens of milliseconds. It only opens a store that exists and whose schema is the
one this program knows (``revision.HEAD``); anything else (a new store, an older
schema to upgrade, a newer one to refuse, another database) goes the full way,
through SQLAlchemy and Alembic.

A store that cannot be written (a read-only file, folder or disk) is opened
read-only: reading commands work, writing ones fail before they start, with the
read-only message. A store marked damaged is read, never written (see
``sqlite_setup``).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from mansioni.store import revision, sqlite_setup
from mansioni.store.db import SqliteDb
from mansioni.store.errors import describe, translate_sqlite_error
from mansioni.store.sqlite_setup import configure


class SchemaMismatch(Exception):
    """The store is not at ``revision.HEAD``: take the full way (it upgrades or refuses)."""


class QuickStore:
    def __init__(self, path: str, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: str | None) -> QuickStore | None:
        """A quick store for ``path``, or ``None`` when the full way must be taken."""
        if path is None or not os.path.isfile(path):
            return None
        return cls(path, read_only=not sqlite_setup.can_write(path))

    @classmethod
    def at_head(cls, path: str | None) -> QuickStore | None:
        """A quick store for ``path`` if its schema is ``revision.HEAD`` right now, else
        ``None`` (no such file, or a schema to upgrade or refuse: the full way's job)."""
        store = cls.open(path)
        if store is None:
            return None
        try:
            with store.read():
                pass
        except SchemaMismatch:
            return None
        return store

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            conn = sqlite_setup.connect_read_only(self.path)
        else:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=15)
        try:
            if self.read_only:
                sqlite_setup.configure_read_only(conn)
            else:
                configure(conn, self.path)
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[SqliteDb]:
        if self.read_only and begin != "BEGIN":
            raise describe("attempt to write a readonly database", self.path)
        with translate_sqlite_error(self.path):
            conn = self._connect()
            try:
                if begin == "BEGIN":
                    sqlite_setup.for_reading(conn)
                conn.execute(begin)
                try:
                    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                except sqlite3.OperationalError:
                    row = None
                if row is None or row[0] != revision.HEAD:
                    raise SchemaMismatch(row[0] if row else None)
                yield SqliteDb(conn)
                conn.execute("COMMIT")
            finally:
                try:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                finally:
                    conn.close()

    def read(self) -> AbstractContextManager[SqliteDb]:
        return self._transaction("BEGIN")

    def write(self) -> AbstractContextManager[SqliteDb]:
        return self._transaction("BEGIN IMMEDIATE")
