"""A throwaway PostgreSQL server for the tests, reached only through a Unix socket.

``PgServer.start()`` runs ``initdb`` and ``pg_ctl`` from the PostgreSQL binaries of
this machine (``/usr/lib/postgresql/*/bin``, version 15 preferred) on a data
directory in a new temporary folder, listening on no TCP port at all: only on a
socket in that folder, so two test processes (``pytest -n 2``) each get their own
server and never meet. ``initdb`` refuses to run as root, so as root the server
runs as the ``postgres`` system user (``runuser``); otherwise as the current user.
Durability is switched off (``fsync``, ``synchronous_commit``, ``full_page_writes``):
the data lives for one test session.

``stop()`` stops the server and removes the folder. Nothing here skips: when no
server can be started, ``PgUnavailable`` says why, and the tests fail with it.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

PREFERRED_MAJOR = 15
SUPERUSER = "postgres"


class PgUnavailable(RuntimeError):
    """No PostgreSQL server could be started; the message says why and what to do."""


def find_bin_dir() -> Path | None:
    """The ``bin`` folder of the installed PostgreSQL: version 15 if present, else the newest."""
    found: dict[int, Path] = {}
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        match = re.search(r"/postgresql/(\d+)/bin/initdb$", initdb)
        if match:
            found[int(match.group(1))] = Path(initdb).parent
    if not found:
        return None
    return found.get(PREFERRED_MAJOR) or found[max(found)]


def _run(cmd: list[str], *, cwd: Path, timeout: float = 120) -> None:
    try:
        done = subprocess.run(
            cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PgUnavailable(f"{' '.join(cmd)} failed: {exc}") from None
    if done.returncode != 0:
        raise PgUnavailable(
            f"{' '.join(cmd)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}".strip()
        )


class PgServer:
    def __init__(self, root: Path, bin_dir: Path, as_postgres: bool) -> None:
        self.root = root  # the temporary folder: data/, the socket, the log
        self.bin_dir = bin_dir
        self.as_postgres = as_postgres
        self.data = root / "data"
        self.socket_dir = root
        self.log = root / "server.log"
        self._counter = 0
        self.running = False

    # -- life cycle --------------------------------------------------------------------
    @classmethod
    def start(cls) -> PgServer:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise PgUnavailable(
                "No PostgreSQL binaries in /usr/lib/postgresql/*/bin: the PostgreSQL tests "
                "cannot run. Install them (as root: apt-get install -y postgresql; "
                ".ci/run does it) and run the tests again."
            )
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise PgUnavailable(
                'psycopg is not installed: pip install -e ".[test]" installs it.'
            ) from None
        as_postgres = os.geteuid() == 0
        # A short path: a Unix socket path must stay under ~107 bytes.
        root = Path(tempfile.mkdtemp(prefix="mansioni-pg-", dir="/tmp"))
        server = cls(root, bin_dir, as_postgres)
        try:
            if as_postgres:
                import pwd

                try:
                    account = pwd.getpwnam(SUPERUSER)
                except KeyError:
                    raise PgUnavailable(
                        "Running as root, but there is no 'postgres' system user to run "
                        "the server as (initdb refuses root)."
                    ) from None
                os.chown(root, account.pw_uid, account.pw_gid)
            server._initdb()
            server._pg_ctl_start()
        except BaseException:
            server.stop()
            raise
        return server

    def _command(self, program: str, *args: str) -> list[str]:
        cmd = [str(self.bin_dir / program), *args]
        if self.as_postgres:
            cmd = ["runuser", "-u", SUPERUSER, "--", *cmd]
        return cmd

    def _initdb(self) -> None:
        _run(
            self._command(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ),
            cwd=self.root,
        )

    def _pg_ctl_start(self) -> None:
        options = " ".join(
            [
                "-c listen_addresses=''",
                f"-c unix_socket_directories='{self.socket_dir}'",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=50",
            ]
        )
        try:
            _run(
                self._command(
                    "pg_ctl",
                    "start",
                    "-w",
                    "-t",
                    "60",
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-o",
                    options,
                ),
                cwd=self.root,
            )
        except PgUnavailable as exc:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise PgUnavailable(f"{exc}\nserver log:\n{log}") from None
        self.running = True

    def stop(self) -> None:
        """Stop the server (if it runs) and remove its folder."""
        if self.running:
            try:
                _run(
                    self._command("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data)),
                    cwd=self.root,
                    timeout=60,
                )
            except PgUnavailable:
                _run(
                    self._command("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data)),
                    cwd=self.root,
                    timeout=60,
                )
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)

    # -- databases ---------------------------------------------------------------------
    def url(self, dbname: str) -> str:
        """The SQLAlchemy URL of a database on this server (psycopg 3, over the socket)."""
        return f"postgresql+psycopg://{SUPERUSER}@/{dbname}?host={self.socket_dir}"

    def connect(self, dbname: str = "postgres", *, autocommit: bool = True):  # noqa: ANN201
        import psycopg

        return psycopg.connect(
            host=str(self.socket_dir), user=SUPERUSER, dbname=dbname, autocommit=autocommit
        )

    def create_database(self) -> str:
        """A new, empty database; returns its name."""
        self._counter += 1
        name = f"mansioni_t{os.getpid()}_{self._counter}"
        with self.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return name

    def drop_database(self, name: str) -> None:
        with self.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
