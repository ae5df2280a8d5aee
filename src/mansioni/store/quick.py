"""The quick way into a SQLite store: the standard ``sqlite3`` module, no ORM.

Used by ``start``, ``stop``, ``cancel`` and ``status``, which must answer in a few
tens of milliseconds. It only opens a store that exists and whose schema is the
one this program knows (``revision.HEAD``); anything else (a new store, an older
schema to upgrade, a newer one to refuse, another database) goes the full way,
through SQLAlchemy and Alembic.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from mansioni.store import revision
from mansioni.store.db import SqliteDb
from mansioni.store.errors import translate_sqlite_error
from mansioni.store.sqlite_setup import configure


class SchemaMismatch(Exception):
    """The store is not at ``revision.HEAD``: take the full way (it upgrades or refuses)."""


class QuickStore:
    def __init__(self, path: str) -> None:
        self.path = path

    @classmethod
    def open(cls, path: str | None) -> QuickStore | None:
        """A quick store for ``path``, or ``None`` when the full way must be taken."""
        if path is None or not os.path.isfile(path):
            return None
        return cls(path)

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

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[SqliteDb]:
        with translate_sqlite_error():
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=15)
            try:
                configure(conn)
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
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                conn.close()

    def read(self) -> AbstractContextManager[SqliteDb]:
        return self._transaction("BEGIN")

    def write(self) -> AbstractContextManager[SqliteDb]:
        return self._transaction("BEGIN IMMEDIATE")
