"""What a person types that names a row or a database: an id no store can hold, a
MANSIONI_DB that is not a URL, and a password that must never be printed, not even a
piece of it. No test here reaches the network: every host ends in ``.invalid``."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers import dump
from mansioni.errors import StoreError

MANSIONI = [sys.executable, "-m", "mansioni"]

# -- ids -----------------------------------------------------------------------------

TOO_LARGE = ["9223372036854775808", "99999999999999999999", str(2**200)]
NEVER_IDS = [*TOO_LARGE, "0", "-1", "-9223372036854775809"]


def test_an_id_no_store_can_hold_names_no_entry(cli, rossi, isolated_home):
    cli("add", "rossi/news", "9:00-10:00")
    before = dump(isolated_home)
    for entry_id in NEVER_IDS:
        for command in (["edit", "--note", "x"], ["delete"]):
            result = cli(*command, "--", entry_id, ok=False)
            assert result.exit_code == 2, (command, entry_id, result.output)
            assert f"There is no entry {entry_id}." in result.output
            assert dump(isolated_home) == before


def test_the_largest_id_a_store_holds_is_looked_up(cli, rossi, isolated_home):
    before = dump(isolated_home)
    result = cli("delete", str(2**63 - 1), ok=False)
    assert result.exit_code == 2
    assert f"There is no entry {2**63 - 1}." in result.output
    assert dump(isolated_home) == before


# -- MANSIONI_DB ---------------------------------------------------------------------

#: The password of every URL below, and pieces of it a careless message could show.
PIECES = (":Wr", "Wr@", "Wr%40", "Wr0ng", "ngPw", "ZZ123")

STRAY_AT = [
    "postgresql+psycopg://vera:Wr@ngPw_ZZ123@127.0.0.1:54329/mansioni",
    "postgresql+psycopg://vera:Wr@ngPw_ZZ123@db.invalid/mansioni",
    "postgresql+psycopg://vera:Wr@ng:Pw_ZZ123@db.invalid:5432/mansioni",  # a "port" follows
    "postgresql+psycopg://vera:Wr@ng/Pw_ZZ123@db.invalid/mansioni",  # a "database" follows
    "postgresql+psycopg://vera:Wr@ng?Pw_ZZ123@db.invalid/mansioni",  # a "query" follows
    "postgresql://vera:Wr@ngPw_ZZ123@db.invalid/mansioni?application_name=a@b",
]
#: An @ in a value of the query is no password's: the driver is given these (and finds no
#: server on a socket that does not exist).
AT_IN_QUERY = [
    "postgresql+psycopg://vera:Wr0ngPw_ZZ123@/mansioni?host=/nonexistent&application_name=a@b",
    "postgresql+psycopg://vera:Wr0ngPw_ZZ123@/m?host=/nonexistent&sslrootcert=/home/me@corp/ca.pem",
    "postgresql+psycopg:///m?host=/nonexistent&password=Wr0ngPw_ZZ123&sslrootcert=/me@corp/ca.pem",
]
NOT_URLS = [
    "postgresql+psycopg://vera:Wr0ngPw_ZZ123@127.0.0.1:notaport/mansioni",
    "postgresql+psycopg://vera:Wr0ngPw_ZZ123@db.invalid:54x29/mansioni",
    "postgresql+psycopg//vera:Wr0ngPw_ZZ123@db.invalid/mansioni",
]
#: Read as URLs, refused by the driver (no such host): its words are shown, scrubbed.
UNREACHABLE = [
    "postgresql+psycopg://vera:Wr0ngPw_ZZ123@db.invalid/mansioni",
    "postgresql+psycopg://vera@db.invalid/mansioni?password=Wr0ngPw_ZZ123",
    "postgresql+psycopg://vera@db.invalid/mansioni?sslmode=disable&password=Wr%40ngPw_ZZ123",
    "postgresql+psycopg://vera:Wr%40ngPw_ZZ123@db.invalid:54329/mansioni",
    "postgresql+psycopg://vera:Wr0ng/Pw:ZZ123@db.invalid/mansioni",
    # The driver names the host it could not resolve: here it holds the password.
    "postgresql+psycopg://vera:Wr0ngPw_ZZ123@/mansioni?host=Wr0ngPw_ZZ123.invalid",
]


def assert_no_secret(text: str) -> None:
    for piece in PIECES:
        assert piece not in text, text


@pytest.mark.parametrize("url", STRAY_AT)
def test_a_url_with_more_than_one_at_is_refused_before_any_driver_sees_it(cli, monkeypatch, url):
    import mansioni.store.orm.engine as engine

    def no_engine(url: str) -> None:
        raise AssertionError("the driver was given the URL")

    monkeypatch.setattr(engine, "make_engine", no_engine)
    monkeypatch.setenv("MANSIONI_DB", url)
    for command in (["status"], ["log"], ["info"]):
        result = cli(*command, ok=False)
        assert result.exit_code == 3, result.output
        assert "MANSIONI_DB is not a database URL: it holds more than one @." in result.output
        assert "Write an @ in the password as %40" in result.output
        assert_no_secret(result.output)


@pytest.mark.parametrize("url", AT_IN_QUERY)
def test_an_at_in_a_query_value_is_not_refused(cli, monkeypatch, url):
    monkeypatch.setenv("MANSIONI_DB", url)
    result = cli("status", ok=False)
    assert result.exit_code == 3, result.output
    assert "The store could not be used" in result.output
    assert "more than one @" not in result.output
    assert_no_secret(result.output)


@pytest.mark.parametrize("url", NOT_URLS)
def test_a_url_that_cannot_be_read_is_not_a_database_url(cli, monkeypatch, url):
    monkeypatch.setenv("MANSIONI_DB", url)
    for command in (["status"], ["add", "rossi/news", "9:00-10:00"]):
        result = cli(*command, ok=False)
        assert result.exit_code == 3, result.output
        assert "MANSIONI_DB is not a database URL" in result.output
        assert_no_secret(result.output)


def test_a_port_that_is_not_a_number_is_named(cli, monkeypatch):
    monkeypatch.setenv("MANSIONI_DB", NOT_URLS[0])
    result = cli("status", ok=False)
    assert "127.0.0.1:notaport/mansioni" in result.output


@pytest.mark.parametrize("url", UNREACHABLE)
def test_the_driver_s_words_never_show_a_password(cli, monkeypatch, url):
    monkeypatch.setenv("MANSIONI_DB", url)
    result = cli("status", ok=False)
    assert result.exit_code == 3, result.output
    assert "The store could not be used" in result.output
    assert_no_secret(result.output)


def test_a_failure_after_the_store_opened_never_shows_a_password(monkeypatch):
    """The store opened, then a later connection fails: the same scrubbing applies."""
    import mansioni.store.orm.engine as engine

    monkeypatch.setattr(engine, "ensure_schema", lambda _engine: None)
    store = engine.AlchemyStore(UNREACHABLE[-1])
    try:
        with pytest.raises(StoreError) as caught, store.read():
            pass
    finally:
        store.dispose()
    assert "***.invalid" in caught.value.message  # the driver's words, masked
    assert_no_secret(caught.value.message)


@pytest.mark.parametrize("url", STRAY_AT + NOT_URLS + UNREACHABLE)
def test_a_url_printed_shows_no_password(url):
    from mansioni.store.orm.engine import safe_url

    assert_no_secret(safe_url(url))


def test_a_url_printed_keeps_what_helps():
    from mansioni.store.orm.engine import safe_url

    assert safe_url(UNREACHABLE[0]) == "postgresql+psycopg://vera:***@db.invalid/mansioni"
    assert (
        safe_url(UNREACHABLE[2]) == "postgresql+psycopg://vera@db.invalid/mansioni?sslmode=disable"
    )


@pytest.mark.parametrize("url", [STRAY_AT[0], NOT_URLS[0]])
def test_every_command_refuses_such_a_url_in_a_real_process(isolated_home, url):
    """``status`` first tries the quick path, which reads MANSIONI_DB too."""
    done = subprocess.run(
        [*MANSIONI, "status"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MANSIONI_DB": url},
    )
    assert done.returncode == 3, done.stderr
    assert "MANSIONI_DB is not a database URL" in done.stderr
    assert "Traceback" not in done.stderr
    assert_no_secret(done.stdout + done.stderr)
    assert not isolated_home.exists()  # nothing was created for it


# -- doctor reads MANSIONI_DB too ----------------------------------------------------


@pytest.mark.parametrize("url", STRAY_AT + NOT_URLS)
@pytest.mark.parametrize("as_json", [False, True])
def test_doctor_refuses_such_a_url_and_shows_no_secret(cli, monkeypatch, url, as_json):
    monkeypatch.setenv("MANSIONI_DB", url)
    result = cli("doctor", *(["--json"] if as_json else []), ok=False)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "MANSIONI_DB is not a database URL" in result.output
    assert_no_secret(result.output)


@pytest.mark.parametrize("url", UNREACHABLE[:1] + UNREACHABLE[-1:])
def test_doctor_shows_the_driver_s_words_scrubbed(cli, monkeypatch, url):
    monkeypatch.setenv("MANSIONI_DB", url)
    for args in (("doctor",), ("doctor", "--json")):
        result = cli(*args, ok=False)
        assert result.exit_code == 3, result.output
        assert "The store could not be used" in result.output
        assert_no_secret(result.output)


def test_doctor_in_a_real_process_with_a_port_that_is_not_a_number(isolated_home):
    done = subprocess.run(
        [*MANSIONI, "doctor"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MANSIONI_DB": NOT_URLS[0]},
    )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert_no_secret(done.stdout + done.stderr)
