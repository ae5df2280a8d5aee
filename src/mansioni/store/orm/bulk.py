"""Rows in bulk, through SQLAlchemy: what a restore needs of the database itself.

``services.restore`` reads and checks a backup; this module is the database side of
it, inside the restore's one write transaction: whether the store is empty, moving
its schema, each table's columns as the database has them, inserting a batch of
rows (``executemany``, or PostgreSQL's ``COPY``) and the id counters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    inspect,
    text,
)
from sqlalchemy.exc import DataError, IntegrityError

from mansioni.store import revision
from mansioni.store.db import MAX_INTEGER
from mansioni.store.orm.engine import alembic_config, current_revision

#: What a column holds, as a restore checks and converts it.
INTEGER, TEXT, BOOLEAN, BINARY, OTHER = range(5)


def is_empty(conn: Connection, tables: Iterable[str]) -> bool:
    return all(
        conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first() is None for table in tables
    )


def move_to(conn: Connection, schema: str) -> None:
    """Move an empty store to ``schema``, down or up, inside the open transaction."""
    from alembic import command
    from alembic.script import ScriptDirectory

    current = current_revision(conn)
    if current == schema:
        return
    config = alembic_config(conn)
    newest_first = [r.revision for r in ScriptDirectory.from_config(config).walk_revisions()]
    if current in newest_first and newest_first.index(schema) > newest_first.index(current):
        command.downgrade(config, schema)
    else:
        command.upgrade(config, schema)


def upgrade_to_head(conn: Connection) -> str:
    """Upgrade to this program's schema, inside the open transaction; the schema now."""
    from alembic import command

    command.upgrade(alembic_config(conn), "head")
    return current_revision(conn) or revision.HEAD


def reflect(conn: Connection, names: Iterable[str]) -> dict[str, Table]:
    """The tables among ``names`` that the store has, as it has them."""
    present = set(inspect(conn).get_table_names())
    wanted = [name for name in names if name in present]
    metadata = MetaData()
    metadata.reflect(conn, only=wanted)
    return {name: metadata.tables[name] for name in wanted}


def _kind(column: Any) -> int:
    kind = column.type
    if isinstance(kind, Boolean):
        return BOOLEAN
    if isinstance(kind, Integer):
        return INTEGER
    if isinstance(kind, String):
        return TEXT
    if isinstance(kind, LargeBinary):
        return BINARY
    return OTHER


def placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


@dataclass
class BulkTable:
    """One table's columns: how to check and convert a row, and the SQL to insert it."""

    #: (name, what it holds, nullable), in the table's order: the order of ``sql``'s values.
    specs: tuple[tuple[str, int, bool], ...]
    sql: str
    #: The same rows through PostgreSQL's COPY (many times quicker than INSERTs there),
    #: or None where the database has no COPY.
    copy: str | None
    #: A row's values in that order (a ``KeyError`` if a column is missing).
    values: Callable[[dict[str, Any]], tuple[Any, ...]]
    #: The positions of the values to convert for the database: booleans, binaries.
    booleans: tuple[int, ...]
    binaries: tuple[int, ...]
    #: The types of values already found right, column by column: most rows repeat one.
    good: set[tuple[type, ...]] = field(default_factory=set)

    @classmethod
    def of(cls, table: Table, conn: Connection) -> BulkTable:
        quote = conn.dialect.identifier_preparer.quote
        mark = placeholder(conn)
        columns = list(table.columns)
        names = [c.name for c in columns]
        kinds = [_kind(c) for c in columns]
        listed = "{table} ({names})".format(
            table=quote(table.name), names=", ".join(quote(n) for n in names)
        )
        pick = itemgetter(*names)
        return cls(
            specs=tuple(zip(names, kinds, (bool(c.nullable) for c in columns), strict=True)),
            sql="INSERT INTO {listed} VALUES ({marks})".format(
                listed=listed, marks=", ".join(mark for _n in names)
            ),
            copy=f"COPY {listed} FROM STDIN" if conn.dialect.driver == "psycopg" else None,
            values=pick if len(names) > 1 else lambda row: (pick(row),),
            booleans=tuple(i for i, k in enumerate(kinds) if k == BOOLEAN),
            binaries=tuple(i for i, k in enumerate(kinds) if k == BINARY),
        )

    def index(self, name: str) -> int:
        return [spec[0] for spec in self.specs].index(name)


class Refused(Exception):
    """The database refused a batch: ``index`` is the row at fault (None when the rows
    were refused together but each alone was taken); ``value`` an integer too large
    for 64 bits, when that was the fault; ``reason`` what the database said."""

    def __init__(self, index: int | None, reason: str, value: int | None = None) -> None:
        super().__init__(reason)
        self.index = index
        self.reason = reason
        self.value = value


def insert_batch(
    conn: Connection, sql: str, rows: list[tuple[Any, ...]], *, copy: str | None = None
) -> None:
    """``executemany`` (or ``copy``) in a savepoint; if the database refuses, find the
    row at fault by running ``sql`` row by row, and raise ``Refused``."""
    dbapi = conn.dialect.dbapi
    refused = (IntegrityError, DataError, dbapi.IntegrityError, dbapi.DataError)
    try:
        with conn.begin_nested():
            if copy is None:
                conn.exec_driver_sql(sql, rows)
            else:
                with conn.connection.driver_connection.cursor() as cursor:
                    with cursor.copy(copy) as sink:
                        for values in rows:
                            sink.write_row(values)
    except (OverflowError, *refused) as exc:
        # An integer past 64 bits: SQLite's driver cannot even send it.
        for index, values in enumerate(rows):
            for value in values:
                if type(value) is int and not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
                    raise Refused(index, "too large", value) from None
        if isinstance(exc, OverflowError):
            raise
        for index, values in enumerate(rows):
            try:
                conn.exec_driver_sql(sql, values)
            except (IntegrityError, DataError) as one:
                raise Refused(index, _said(one)) from None
        raise Refused(None, _said(exc)) from None


def _said(exc: BaseException) -> str:
    """What the database said, on one line."""
    return " ".join(str(getattr(exc, "orig", None) or exc).split())


def set_id_counters(conn: Connection, tables: Iterable[str], journaled: Iterable[str]) -> None:
    """Never hand out an id again: not one in ``tables``, not one the journal names for
    a ``journaled`` table (a row deleted before the backup lives on there)."""
    journaled = set(journaled)
    named = {
        name: int(highest)
        for name, highest in conn.execute(
            text("SELECT table_name, MAX(row_id) FROM journal GROUP BY table_name")
        )
        if name in journaled and highest is not None
    }
    sqlite = conn.dialect.name == "sqlite"
    for table in tables:
        own = conn.execute(text(f"SELECT MAX(id) FROM {table}")).scalar()
        highest = max(int(own or 0), named.get(table, 0))
        if highest == 0:
            continue
        if not sqlite:
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"),
                {"t": table, "n": highest},
            )
            continue
        seq = conn.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table}
        ).scalar()
        if seq is None:
            conn.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :n)"),
                {"t": table, "n": highest},
            )
        elif seq < highest:
            conn.execute(
                text("UPDATE sqlite_sequence SET seq = :n WHERE name = :t"),
                {"t": table, "n": highest},
            )
