"""Opening a store the full way: engine, connection settings, schema upgrades.

- A SQLite store's folder is created 0700 and its file 0600 before SQLite sees it
  (SQLite would create it 0644); its ``-wal`` and ``-shm`` files inherit the mode.
- Every SQLite connection gets ``sqlite_setup.configure``; a write transaction
  starts with ``BEGIN IMMEDIATE``.
- The schema is created and upgraded only by the Alembic migrations shipped in
  ``mansioni/store/migrations``, inside one write transaction, so two shells that
  open a new store at once cannot both create it. An existing store is copied
  with SQLite's backup API before it is upgraded; a store written by a newer
  program (an unknown revision) is refused and left untouched.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from mansioni.errors import StoreError
from mansioni.i18n import _
from mansioni.store import revision, sqlite_setup
from mansioni.store.errors import describe, disk_full_error
from mansioni.store.orm.db import AlchemyDb
from mansioni.store.paths import scrub, sqlite_path, stray_at
from mansioni.store.sqlite_setup import backup_sqlite, configure, no_room

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_WRITE = "mansioni_write"
#: The advisory lock key write transactions take on PostgreSQL ("mansioni" in ASCII, truncated).
PG_WRITE_LOCK = 0x6D616E73696F6E69


def prepare_sqlite_file(path: Path) -> None:
    """Create the folder (0700) and an empty store file (0600) if they are missing."""
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)
    if not path.exists():
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:  # another shell was quicker: fine
            return
        os.close(fd)
        os.chmod(path, 0o600)
        # A damage mark left beside no store (the damaged one moved away) is not about
        # this new one: it goes, so that nothing, and no one reading the folder, takes it to be.
        sqlite_setup.clear_damaged(str(path))


def make_engine(url: str) -> Engine:
    path = sqlite_path(url)
    read_only = False
    if path is not None:
        # A store on a read-only file, folder or disk is opened read-only, as on the quick
        # path: the catalog can be read, and a write fails with the read-only message.
        read_only = os.path.isfile(path) and not sqlite_setup.can_write(path)
        if not read_only:
            prepare_sqlite_file(Path(path))
    if read_only:
        assert path is not None
        engine = create_engine(
            url, poolclass=NullPool, creator=lambda: sqlite_setup.connect_read_only(path)
        )
    else:
        engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
            if read_only:
                sqlite_setup.configure_read_only(dbapi_conn)
            else:
                configure(dbapi_conn, path)

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            write = conn.get_execution_options().get(_WRITE, False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    elif engine.dialect.name == "postgresql":

        @event.listens_for(engine, "begin")
        def _on_begin_pg(conn: Connection) -> None:
            # One writer at a time, like SQLite's BEGIN IMMEDIATE: a transaction-scoped
            # advisory lock, released by COMMIT or ROLLBACK.
            if conn.get_execution_options().get(_WRITE, False):
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")
            else:
                # A read sees the store at one instant, as a SQLite read transaction does
                # (PostgreSQL's default takes a new snapshot for each statement, so a
                # report's tables could disagree). Read-only: it never fails a conflict.
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")

    return engine


def alembic_config(conn: Connection | None = None):  # noqa: ANN201 - alembic is imported lazily
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def ensure_schema(engine: Engine) -> str | None:
    """Bring the store to ``revision.HEAD``; return the backup made first, if any.

    The common case (already at HEAD) costs one read, no lock and no Alembic import.
    """
    with engine.connect() as conn:
        if current_revision(conn) == revision.HEAD:
            return None
    from alembic import command

    made: str | None = None
    with engine.execution_options(**{_WRITE: True}).connect() as conn, conn.begin():
        current = current_revision(conn)  # again, under the lock: another shell may have won
        if current == revision.HEAD:
            return None
        if current is not None and current not in known_revisions():
            raise StoreError(
                _("This store was written by a newer version of mansioni (schema {rev}).").format(
                    rev=current
                ),
                hint=_("Upgrade mansioni (pip install -U mansioni); the store was not touched."),
            )
        file = sqlite_path(engine.url.render_as_string(hide_password=False))
        if current is not None and file is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            dest = Path(f"{file}.{current}.{stamp}.bak")
            # We hold the write lock and have written nothing: a second connection reads
            # exactly the store as it was. (SQLite cannot back up from the connection
            # that holds the write transaction itself.) The copy takes its name only
            # once whole and checked; if it cannot be made, nothing is upgraded.
            try:
                backup_sqlite(file, dest)
            except (sqlite3.Error, OSError) as exc:
                raise _backup_failed(exc, file) from None
            made = str(dest)
        command.upgrade(alembic_config(conn), "head")
    return made


def scratch_copy(file: str) -> str:
    """A new temporary folder holding a checked copy of the store ``file`` (if there is
    one) as ``mansioni.db``, for a command that must change nothing (a dry run); the
    caller removes the folder. If the copy cannot be made: a ``StoreError`` (a full disk
    called full), and nothing left behind."""
    import shutil
    import tempfile

    scratch = None
    try:
        scratch = tempfile.mkdtemp(prefix="mansioni-dry-run-")
        if os.path.exists(file):
            backup_sqlite(file, os.path.join(scratch, "mansioni.db"))
    except (sqlite3.Error, OSError) as exc:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        raise _backup_failed(exc, file) from None
    return scratch


def _backup_failed(exc: sqlite3.Error | OSError, file: str) -> StoreError:
    """The copy made before an upgrade could not be written: nothing was upgraded.

    A copy that fails its check, or that SQLite reports damaged, blames the store only
    if the store fails its own check too: a failing disk under the copy is not the
    store's fault."""
    if no_room(exc):
        return disk_full_error()
    if isinstance(exc, sqlite_setup.CopyCheckFailed) or sqlite_setup.is_damage(exc):
        try:
            damage = sqlite_setup.damage_of_store(file)
        except sqlite3.Error as again:
            return describe(again, file)
        if damage is not None:
            from mansioni.store.errors import damaged_error

            return damaged_error()
    elif not getattr(exc, "sqlite_errorname", "").startswith("SQLITE_IOERR"):
        return describe(exc, file)
    return StoreError(
        _(
            "The store could not be copied before its upgrade ({reason}): nothing was changed and the store is intact."
        ).format(reason=exc),
        hint=_(
            "Check that the store's folder is writable and has room (mansioni info shows where it is)."
        ),
    )


def safe_url(url: str) -> str:
    """A URL fit to print: without its password, or any part of one."""
    if not stray_at(url):
        try:
            from sqlalchemy.engine import make_url

            parsed = make_url(url)
        except (ArgumentError, ValueError):  # ValueError: a port that is not a number
            pass
        else:
            # A password may hide in the query too (``?password=…``): keep only harmless keys.
            query = {k: v for k, v in parsed.query.items() if k in ("host", "port", "sslmode")}
            return scrub(parsed.set(query=query).render_as_string(hide_password=True), url)
    # Not a URL SQLAlchemy reads: what follows the last @, without the query, masked.
    scheme, sep, rest = url.partition("://") if "://" in url else ("", "", url)
    return scrub(scheme + sep + rest.rpartition("@")[2].split("?")[0], url)


def open_engine(url: str) -> Engine:
    """The engine for ``url``, or a ``StoreError`` that shows no part of a password: an
    ``@`` too many (a password's unencoded ``@``), a URL SQLAlchemy cannot read (a port
    that is not a number), a driver that is not installed. Nothing connects yet."""
    if stray_at(url):
        raise StoreError(
            _("MANSIONI_DB is not a database URL: it holds more than one @."),
            hint=_(
                "Write an @ in the password as %40, e.g. postgresql+psycopg://me:s3cr%40t@host/mansioni"
            ),
        )
    try:
        return make_engine(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreError(
            _("MANSIONI_DB is not a database URL: {url}").format(url=safe_url(url)),
            hint=_(
                "For example: sqlite:////home/me/mansioni.db or postgresql+psycopg://me@host/mansioni"
            ),
        ) from None
    except ImportError as exc:
        raise StoreError(
            _("The driver for this database is not installed ({module}).").format(
                module=exc.name or exc
            ),
            hint=_('For PostgreSQL: pip install "psycopg[binary]"'),
        ) from None


def describe_driver_error(exc: DBAPIError | OSError, url: str) -> StoreError:
    """``describe`` for an error the driver raised while using ``url``: its words (which
    may echo the host, the user, the URL) scrubbed of every secret."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return describe(orig, sqlite_path(url), message=scrub(str(orig), url))


class AlchemyStore:
    """A store reached through SQLAlchemy: any database, every command."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = open_engine(url)
        try:
            self.upgraded_from_backup = ensure_schema(self.engine)
        except (DBAPIError, OSError) as exc:
            raise describe_driver_error(exc, url) from None

    @contextmanager
    def _connection(self, write: bool) -> Iterator[Connection]:
        engine = self.engine.execution_options(**{_WRITE: True}) if write else self.engine
        try:
            with engine.connect() as conn, conn.begin():
                yield conn
        except DBAPIError as exc:
            raise describe_driver_error(exc, self.url) from None

    @contextmanager
    def read(self) -> Iterator[AlchemyDb]:
        with self._connection(False) as conn:
            yield AlchemyDb(conn)

    @contextmanager
    def write(self) -> Iterator[AlchemyDb]:
        with self._connection(True) as conn:
            yield AlchemyDb(conn)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[tuple[Session, AlchemyDb]]:
        """A SQLModel session and a ``Db`` sharing one connection and one transaction."""
        with self._connection(write) as conn:
            with Session(bind=conn, expire_on_commit=False) as session:
                yield session, AlchemyDb(conn)
                session.flush()

    def dispose(self) -> None:
        self.engine.dispose()
