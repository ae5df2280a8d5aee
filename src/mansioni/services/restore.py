"""Restoring a jsonl backup (``docs/reference/jsonl-format.md``) into an empty store.

``restore`` reads a file written by ``mansioni export --format jsonl`` back, row
for row and id for id, so that exporting the restored store gives the same file
but for ``exported_utc``. The whole restore is one write transaction (the same
lock every command takes): the store is refused unless every table is empty,
moved to the backup's schema, filled, given its id counters, upgraded to this
program's schema, and only then committed. Any bad line, a cut file, a count that
does not match, a killed process: the store is left exactly as it was.

Rows go in by batches of ``BATCH``, one ``executemany`` each, inside a savepoint:
when the database refuses a batch (a duplicate name, a missing task), the batch
is replayed row by row to name the line at fault.

Why one module of this length: every step above runs inside the one transaction
that is the restore's guarantee; split, the steps would pass that transaction and
its state between modules.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from mansioni.errors import ConflictError, InputError
from mansioni.i18n import _
from mansioni.services.export import FORMAT, TABLES, VERSION
from mansioni.store import writer
from mansioni.store.orm import bulk

TYPE_CHECKING = False
if TYPE_CHECKING:
    from sqlalchemy import Connection

    from mansioni.store.orm.engine import AlchemyStore

#: How many rows one ``executemany`` inserts.
BATCH = 2000

_MAKE_ONE = "mansioni export --format jsonl -o backup.jsonl"
_decode = json.JSONDecoder().raw_decode


@dataclass(frozen=True)
class Header:
    """The first line of a backup, checked: its schema and its counts, in file order."""

    schema: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """How many row records the file announces."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup's schema, its rows per table, the schema now."""

    schema: str
    counts: dict[str, int]
    upgraded_to: str


# --- messages ----------------------------------------------------------------------------


def _at(path: Path, line: int, reason: str, hint: str | None = None) -> InputError:
    return InputError(
        _("{file}, line {line}: {reason}").format(file=path, line=line, reason=reason),
        hint=hint
        or _("Nothing was restored. A backup is made with: {command}").format(command=_MAKE_ONE),
    )


def _not_a_backup(path: Path) -> InputError:
    return _at(
        path,
        1,
        _("this is not a mansioni jsonl backup: its first line is not a mansioni-jsonl header."),
        _("Make one with: {command}").format(command=_MAKE_ONE),
    )


def _shown(value: object) -> str:
    """A value as the file has it, cut short for a message."""
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 40 else shown[:37] + "..."


# --- the header --------------------------------------------------------------------------


def _open(path: Path) -> BinaryIO:
    example = _("For example: mansioni import jsonl backup.jsonl")
    if path.is_dir():
        raise InputError(
            _("{path} is a folder; give the backup file.").format(path=path), hint=example
        )
    try:
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:
        raise InputError(
            _("There is no file {path}.").format(path=path),
            hint=_("Make one with: {command}").format(command=_MAKE_ONE),
        ) from None
    except OSError as exc:
        raise InputError(
            _("Could not read {file}: {reason}.").format(file=path, reason=exc.strerror or exc),
            hint=example,
        ) from None


def _header(path: Path, first: bytes) -> Header:
    from mansioni.store.orm.engine import known_revisions

    if not first.strip():
        raise _not_a_backup(path)
    try:
        header = json.loads(first.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
        raise _not_a_backup(path) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise _not_a_backup(path)
    version = header.get("version")
    if version != VERSION or isinstance(version, bool):
        raise _at(
            path,
            1,
            _(
                "the backup is in version {version} of the format; this mansioni reads version {known}."
            ).format(version=_shown(version), known=VERSION),
            _("Upgrade mansioni (pip install -U mansioni), then restore it."),
        )
    schema = header.get("schema")
    if not isinstance(schema, str) or schema not in known_revisions():
        raise _at(
            path,
            1,
            _("the backup is of schema {schema}, which this mansioni does not know.").format(
                schema=_shown(schema)
            ),
            _(
                "It was made by a newer mansioni: upgrade (pip install -U mansioni), then restore it."
            ),
        )
    counts = header.get("counts")
    if (
        not isinstance(counts, dict)
        or any(table not in TABLES for table in counts)
        or any(type(n) is not int or n < 0 for n in counts.values())
        or list(counts) != sorted(counts, key=TABLES.index)
    ):
        raise _at(
            path,
            1,
            _(
                "the header's counts must give the number of records of each table, in this order: {tables}."
            ).format(tables=", ".join(TABLES)),
        )
    return Header(schema, counts)


def read_header(path: Path) -> Header:
    """The checked header of the backup at ``path``, or an ``InputError`` saying what is wrong."""
    with _open(path) as file:
        return _header(path, file.readline())


# --- the restore -------------------------------------------------------------------------


def restore(
    store: AlchemyStore, path: Path, *, on_progress: Callable[[int], object] | None = None
) -> Restored:
    """Restore the backup at ``path`` into ``store``, which must be empty.

    ``on_progress(n)`` is called as rows go in, ``n`` rows at a time; the header's
    counts (``read_header(path).total``) give the total.
    """
    step = on_progress or (lambda n: None)
    with _open(path) as file:
        header = _header(path, file.readline())
        with store.write() as db:
            conn = db.conn
            _refuse_unless_empty(conn)
            bulk.move_to(conn, header.schema)
            tables = _check_tables(conn, path, header)
            _Loader(conn, path, header, tables, step).load(file)
            now = bulk.upgrade_to_head(conn)
            bulk.set_id_counters(conn, TABLES, writer.TABLES)
    return Restored(header.schema, dict(header.counts), now)


def _refuse_unless_empty(conn: Connection) -> None:
    if not bulk.is_empty(conn, TABLES):
        raise ConflictError(
            _("The store already holds data: a backup is restored only into an empty store."),
            hint=_(
                "Restore it into a new store: MANSIONI_HOME=~/restored mansioni import jsonl backup.jsonl (or MANSIONI_DB=postgresql://... for a new database)."
            ),
        )


def _check_tables(conn: Connection, path: Path, header: Header) -> dict[str, bulk.BulkTable]:
    """The store's tables at the backup's schema, which must be the header's."""
    tables = bulk.reflect(conn, TABLES)
    if list(header.counts) != list(tables):
        raise _at(
            path,
            1,
            _(
                "the header's counts name the tables {listed}, but schema {schema} has {tables}."
            ).format(
                listed=", ".join(header.counts), schema=header.schema, tables=", ".join(tables)
            ),
        )
    return {name: bulk.BulkTable.of(table, conn) for name, table in tables.items()}


# --- rows --------------------------------------------------------------------------------


def _booleans() -> str:
    """What a boolean column holds, in a message (translated when shown)."""
    return _("true, false, 0 or 1")


@dataclass
class _Pending:
    """Rows read and not yet inserted (as tuples, in column order), with their line numbers."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


class _Loader:
    def __init__(
        self,
        conn: Connection,
        path: Path,
        header: Header,
        tables: dict[str, bulk.BulkTable],
        step: Callable[[int], object],
    ) -> None:
        self.conn = conn
        self.path = path
        self.header = header
        self.order = list(header.counts)
        self.columns = tables
        self.native_bool = conn.dialect.name != "sqlite"
        self.step = step
        self.pending = _Pending()
        #: ``operation.undone_by``, set back once every operation is in: (undone_by, id), lines.
        self.undone = _Pending()

    def bad(self, line: int, reason: str) -> InputError:
        return _at(self.path, line, reason)

    def load(self, file: BinaryIO) -> None:
        position = 0  # index in self.order of the table being read
        seen = 0  # its records so far
        last_id = 0
        number = 1
        for number, raw in enumerate(file, start=2):  # noqa: B007 - used after the loop
            table, row = self.record(number, raw)
            if table != self.order[position]:
                index = self.order.index(table)
                if index < position:
                    raise self.bad(
                        number,
                        _(
                            "a {table} record after the {current} records: tables come in this order: {tables}."
                        ).format(
                            table=table,
                            current=self.order[position],
                            tables=", ".join(self.order),
                        ),
                    )
                while position < index:
                    self.close(number, position, seen, at_end=False)
                    position, seen, last_id = position + 1, 0, 0
            seen += 1
            if seen > self.header.counts[table]:
                raise self.bad(
                    number,
                    _("more {table} records than the {count} the header announces.").format(
                        table=table, count=self.header.counts[table]
                    ),
                )
            values = self.convert(number, table, row)
            row_id = row["id"]
            if seen > 1 and row_id <= last_id:
                raise self.bad(
                    number,
                    _(
                        "{table} {id} comes after {table} {last}: each table comes in id order."
                    ).format(table=table, id=row_id, last=last_id),
                )
            last_id = row_id
            self.pending.rows.append(values)
            self.pending.lines.append(number)
            if len(self.pending.rows) >= BATCH:
                self.flush(table)
        while position < len(self.order):
            self.close(number + 1, position, seen, at_end=True)
            position, seen = position + 1, 0

    def record(self, number: int, raw: bytes) -> tuple[str, dict[str, Any]]:
        try:
            line = raw.decode("utf-8")
            record, end = _decode(line)  # twice as quick as json.loads
            if line[end:].strip():
                raise ValueError(f"extra data after column {end}")
        except (ValueError, RecursionError) as exc:  # RecursionError: absurdly nested JSON
            if not raw.endswith(b"\n"):
                raise self.bad(
                    number, _("the file ends in the middle of this line: it was cut short.")
                ) from None
            raise self.bad(number, _("not a JSON record ({error}).").format(error=exc)) from None
        if (
            type(record) is not dict
            or len(record) != 2
            or type(record.get("row")) is not dict
            or type(record.get("table")) is not str
        ):
            raise self.bad(
                number, _('not a row record: a line holds an object with "table" and "row".')
            )
        table = record["table"]
        if table not in self.columns:
            raise self.bad(
                number,
                _("a record of table {table}, which schema {schema} does not have.").format(
                    table=_shown(table), schema=self.header.schema
                ),
            )
        return table, record["row"]

    def convert(self, number: int, table: str, row: dict[str, Any]) -> tuple[Any, ...]:
        """Check ``row`` against the table's columns; its values, as this database takes them."""
        columns = self.columns[table]
        try:
            values = columns.values(row)
        except KeyError:
            values = None
        if values is None or len(row) != len(values):
            raise self.wrong_columns(number, table, row)
        signature = tuple(map(type, values))
        if signature not in columns.good:
            self.check(number, columns, values)
            columns.good.add(signature)
        if not (columns.booleans or columns.binaries or table == "operation"):
            return values
        converted = list(values)
        for i in columns.booleans:
            value = values[i]
            if value is None:
                continue
            if value not in (0, 1):
                raise self.bad(number, self.wrong(columns.specs[i][0], value, _booleans()))
            converted[i] = bool(value) if self.native_bool else int(value)
        for i in columns.binaries:
            if values[i] is not None:
                converted[i] = self.binary(number, columns.specs[i][0], values[i])
        if table == "operation" and row["undone_by"] is not None:
            # It names a later operation: set it once every operation is in (docs, rule 3).
            self.undone.rows.append((row["undone_by"], row["id"]))
            self.undone.lines.append(number)
            converted[columns.index("undone_by")] = None
        return tuple(converted)

    def wrong_columns(self, number: int, table: str, row: dict[str, Any]) -> InputError:
        names = {spec[0] for spec in self.columns[table].specs}
        return self.bad(
            number,
            _(
                "the row's columns are not those of {table}: missing {missing}; unknown {extra}."
            ).format(
                table=table,
                missing=", ".join(sorted(names - row.keys())) or "-",
                extra=", ".join(sorted(row.keys() - names)) or "-",
            ),
        )

    def check(self, number: int, columns: bulk.BulkTable, values: tuple[Any, ...]) -> None:
        """Refuse a value of the wrong type, or a null where the column takes none."""
        for (name, kind, nullable), value in zip(columns.specs, values, strict=True):
            if value is None:
                if not nullable:
                    raise self.bad(number, _("column {column} cannot be null.").format(column=name))
            elif kind == bulk.INTEGER and type(value) is not int:
                raise self.bad(number, self.wrong(name, value, _("an integer")))
            elif kind == bulk.TEXT and type(value) is not str:
                raise self.bad(number, self.wrong(name, value, _("text")))
            elif kind == bulk.BOOLEAN and type(value) not in (bool, int):
                raise self.bad(number, self.wrong(name, value, _booleans()))

    def binary(self, number: int, name: str, value: object) -> bytes:
        try:
            if type(value) is not dict or list(value) != ["base64"]:
                raise ValueError
            return base64.b64decode(value["base64"], validate=True)
        except (ValueError, TypeError):
            raise self.bad(number, self.wrong(name, value, '{"base64": "..."}')) from None

    @staticmethod
    def wrong(column: str, value: object, kind: str) -> str:
        return _("column {column} holds {value}, but must hold {kind}.").format(
            column=column, value=_shown(value), kind=kind
        )

    def close(self, number: int, position: int, seen: int, *, at_end: bool) -> None:
        """The records of ``self.order[position]`` end at line ``number``: check their count."""
        table = self.order[position]
        self.flush(table)
        expected = self.header.counts[table]
        if seen != expected:
            if at_end:
                reason = _(
                    "the file ends here, but its header announces {count} {table} records and only {seen} came: it was cut short."
                )
            else:
                reason = _(
                    "the header announces {count} {table} records, but {seen} came before this line."
                )
            raise self.bad(number, reason.format(count=expected, table=table, seen=seen))
        if table == "operation" and self.undone.rows:
            mark = bulk.placeholder(self.conn)
            self.execute(f"UPDATE operation SET undone_by = {mark} WHERE id = {mark}", self.undone)
            self.undone = _Pending()

    def flush(self, table: str) -> None:
        pending = self.pending
        if not pending.rows:
            return
        columns = self.columns[table]
        self.execute(columns.sql, pending, copy=columns.copy)
        self.step(len(pending.rows))
        self.pending = _Pending()

    def execute(self, sql: str, pending: _Pending, *, copy: str | None = None) -> None:
        """Insert the pending rows; if the database refuses, name the line at fault."""
        try:
            bulk.insert_batch(self.conn, sql, pending.rows, copy=copy)
        except bulk.Refused as refused:
            if refused.value is not None:
                reason = _("{value} is too large a number.").format(value=refused.value)
            elif refused.index is not None:
                reason = _("the database refuses this row: {reason}.").format(reason=refused.reason)
            else:  # refused together, but not one by one: name them all
                reason = _("the database refuses the rows up to line {last}: {reason}.").format(
                    last=pending.lines[-1], reason=refused.reason
                )
            line = pending.lines[refused.index or 0]
            raise self.bad(line, reason) from None
