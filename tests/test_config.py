"""The configuration file: where it is, what it sets, what wins over it, and what a bad
one does (a clear error naming the key and the file, exit status 2, the store untouched)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import db_file
from mansioni import config
from mansioni.domain.calendar import key_day, unit_days, unit_key, unit_start
from mansioni.errors import InputError


@pytest.fixture
def conf(tmp_path) -> Path:
    """The configuration file the isolated environment points at (not written yet)."""
    return tmp_path / "user" / "config" / "mansioni" / "config.toml"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def store_bytes(home: Path) -> dict[str, bytes]:
    """The store's files, byte for byte (the database and its write-ahead log)."""
    return {p.name: p.read_bytes() for p in sorted(home.glob("mansioni.db*"))}


# -- where the file is ------------------------------------------------------------------


def test_the_file_is_in_the_user_configuration_folder(cli, conf, monkeypatch, tmp_path):
    assert cli("config", "path").stdout.strip() == str(conf)
    monkeypatch.setenv("MANSIONI_CONFIG", str(tmp_path / "elsewhere.toml"))
    assert cli("config", "path").stdout.strip() == str(tmp_path / "elsewhere.toml")


def test_linux_config_dir_is_the_one_platformdirs_gives(monkeypatch, tmp_path):
    import platformdirs

    for xdg in (str(tmp_path / "xdg"), ""):
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
        expected = os.path.join(platformdirs.user_config_dir("mansioni", appauthor=False), "config.toml")  # fmt: skip
        assert (config.file_path() == expected) or sys.platform != "linux"


# -- set, get, unset, show ---------------------------------------------------------------

ROUND_TRIP = [
    ("name", "Avv. Lucia Mazzà", "Avv. Lucia Mazzà"),
    ("contact", 'vera@example.org "studio"', 'vera@example.org "studio"'),
    ("currency", "chf", "CHF"),
    ("rate", "28,50", "28.50"),
    ("rate", "30", "30.00"),
    ("hour_value", "€90.5", "90.50"),
    ("rounding", "15m", "15m"),
    ("minimum", "1h", "60m"),
    ("week_start", "Domenica", "sunday"),
    ("trial_days", "12w", "84"),
]


@pytest.mark.parametrize(("key", "typed", "shown"), ROUND_TRIP)
def test_set_then_get(cli, conf, key, typed, shown):
    assert "Set" in cli("config", "set", key, typed).stdout
    assert cli("config", "get", key).stdout == shown + "\n"
    table = tomllib.loads(conf.read_text(encoding="utf-8"))
    assert config.parse(key, table[key]) == config.parse(key, typed)


def test_settings_the_environment_wins_over_are_written_and_said(cli, conf):
    result = cli("config", "set", "timezone", "America/New_York")
    assert "MANSIONI_TZ is set, and wins over the file." in result.stderr
    assert tomllib.loads(conf.read_text())["timezone"] == "America/New_York"
    assert cli("config", "get", "timezone").stdout == "Europe/Rome\n"


def test_set_keeps_every_other_line_and_comment(cli, conf):
    write(conf, '# mine\nname = "Vera"  # me\n\nrate = 20 # old\n[other]\nx = 1\n')
    cli("config", "set", "rate", "28.5")
    assert conf.read_text() == '# mine\nname = "Vera"  # me\n\nrate = 28.50\n[other]\nx = 1\n'
    cli("config", "set", "currency", "usd")
    assert conf.read_text().endswith('rate = 28.50\ncurrency = "USD"\n[other]\nx = 1\n')
    cli("config", "unset", "name")
    assert conf.read_text() == '# mine\n\nrate = 28.50\ncurrency = "USD"\n[other]\nx = 1\n'


def test_set_writes_a_new_file_private_and_a_linked_file_stays_linked(cli, conf, tmp_path):
    cli("config", "set", "name", "Vera Bianchi")
    assert conf.stat().st_mode & 0o777 == 0o600
    real = tmp_path / "dotfiles" / "mansioni.toml"
    write(real, 'name = "Vera"\n')
    conf.unlink()
    conf.symlink_to(real)
    cli("config", "set", "contact", "vera@example.org")
    assert conf.is_symlink()
    assert tomllib.loads(real.read_text()) == {"name": "Vera", "contact": "vera@example.org"}
    assert not [p for p in conf.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("timezone", "Mars/Base", "is not a time zone"),
        ("language", "fr", "Choose one of: en, it"),
        ("rate", "-5", "must not be negative"),
        ("rate", "lots", "Cannot understand the amount"),
        ("trial_days", "0", "Cannot understand the trial length"),
        ("week_start", "someday", "Choose one of: monday"),
        ("store", "relative/path.db", "full path"),
        ("name", "Vera\x1b]0;x\x07", "control characters"),
        ("currency", "euro", "is not a currency code"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_written(cli, conf, key, value, said):
    write(conf, 'name = "Vera"\n')
    result = cli("config", "set", key, "--", value, ok=False)
    assert result.exit_code == 2
    assert f"Cannot set {key}:" in result.stderr and said in result.stderr
    assert f"For example: mansioni config set {key} " in result.stderr
    assert conf.read_text() == 'name = "Vera"\n'
    assert "Traceback" not in result.output


def test_unknown_keys_for_get_set_unset(cli, conf):
    for args in (("get", "colour"), ("set", "colour", "red"), ("unset", "colour")):
        result = cli("config", *args, ok=False)
        assert result.exit_code == 2 and "'colour' is not a setting." in result.stderr
    assert not conf.exists()
    result = cli("config", "get", "rate", ok=False)
    assert result.exit_code == 1 and "rate is not set." in result.stderr
    assert "mansioni config set rate 28.5" in result.stderr


def test_show_tells_each_value_and_where_it_comes_from(cli, conf):
    write(conf, 'name = "Vera Bianchi"\ntimezone = "Asia/Tokyo"\n')
    data = json.loads(cli("config", "show", "--json").stdout)
    assert data["file"] == str(conf)
    found = data["settings"]
    assert found["name"] == {"value": "Vera Bianchi", "source": "file", "origin": str(conf)}
    assert found["language"] == {"value": "en", "source": "env", "origin": "MANSIONI_LANG"}
    assert found["timezone"] == {"value": "Europe/Rome", "source": "env", "origin": "MANSIONI_TZ"}
    assert found["trial_days"] == {"value": 90, "source": "default", "origin": None}
    assert found["rate"]["value"] is None
    text = cli("config", "show").stdout
    assert text.splitlines()[0] == f"Configuration file: {conf}"
    assert any(line.split()[:2] == ["name", "Vera"] and "(configuration file)" in line for line in text.splitlines())  # fmt: skip
    info = json.loads(cli("info", "--json").stdout)
    assert info["settings"] == found and info["config_file"] == str(conf)
    assert "(MANSIONI_TZ)" in cli("info").stdout


# -- precedence: the environment, then the file, then the default ---------------------------


def test_timezone_precedence(cli, conf, monkeypatch):
    write(conf, 'timezone = "Asia/Tokyo"\n')
    assert json.loads(cli("info", "--json").stdout)["zone"] == "Europe/Rome"  # MANSIONI_TZ
    monkeypatch.delenv("MANSIONI_TZ")
    monkeypatch.setenv("TZ", "America/New_York")
    assert json.loads(cli("info", "--json").stdout)["zone"] == "Asia/Tokyo"  # the file, then TZ
    conf.unlink()
    assert json.loads(cli("info", "--json").stdout)["zone"] == "America/New_York"


def run(*args: str) -> subprocess.CompletedProcess:
    """A real process: Italian words built in this one would stay in its cached help."""
    return subprocess.run(
        [sys.executable, "-m", "mansioni", *args], capture_output=True, text=True, timeout=60
    )


def test_language_precedence(conf, monkeypatch):
    write(conf, 'language = "it"\n')
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert "Language: en" in run("info").stdout  # MANSIONI_LANG=en wins
    monkeypatch.delenv("MANSIONI_LANG")
    assert "Lingua: it" in run("info").stdout  # the file wins over LANG
    found = json.loads(run("config", "show", "--json").stdout)["settings"]["language"]
    assert found == {"value": "it", "source": "file", "origin": str(conf)}
    conf.unlink()
    found = json.loads(run("config", "show", "--json").stdout)["settings"]["language"]
    assert found == {"value": "en", "source": "env", "origin": "LANG"}


def test_store_and_user_precedence(cli, conf, monkeypatch, tmp_path, isolated_home):
    elsewhere = tmp_path / "kept" / "store.db"
    elsewhere.parent.mkdir()
    write(conf, f'store = "{elsewhere}"\nuser = "giulia"\n')
    cli("client", "add", "Studio Rossi")  # MANSIONI_HOME wins over the file
    assert db_file(isolated_home).exists() and not elsewhere.exists()
    monkeypatch.delenv("MANSIONI_HOME")
    monkeypatch.delenv("MANSIONI_USER")
    cli("client", "add", "Caffè Orso")
    assert elsewhere.exists()
    info = json.loads(cli("info", "--json").stdout)
    assert info["store"] == str(elsewhere) and info["person"] == "giulia"
    assert info["settings"]["store"]["source"] == "file"
    monkeypatch.setenv("MANSIONI_DB", f"sqlite:///{isolated_home / 'mansioni.db'}")
    assert json.loads(cli("info", "--json").stdout)["counts"]["client"] == 1


def test_client_add_and_task_add_take_their_defaults_from_the_file(cli, conf):
    write(conf, 'currency = "CHF"\nrate = 28.5\nhour_value = "90"\nrounding = "15m"\nminimum = 30\ntrial_days = "12w"\n')  # fmt: skip
    cli("client", "add", "Studio Rossi")
    cli("client", "add", "Caffè Orso", "--rate", "20", "--currency", "EUR")  # options win
    cli("task", "add", "rossi/Newsletter")
    cli("task", "add", "rossi/Fatture", "--trial", "30d")
    clients = {c["name"]: c for c in json.loads(cli("client", "list", "--json").stdout)}
    rossi = clients["Studio Rossi"]
    assert (rossi["currency"], rossi["rate_cents"], rossi["hour_value_cents"]) == ("CHF", 2850, 9000)  # fmt: skip
    assert (rossi["rounding_minutes"], rossi["minimum_minutes"]) == (15, 30)
    orso = clients["Caffè Orso"]
    assert (orso["currency"], orso["rate_cents"], orso["hour_value_cents"]) == ("EUR", 2000, 9000)
    tasks = {t["name"]: t for t in json.loads(cli("task", "list", "--json").stdout)}
    assert (tasks["Newsletter"]["trial_days"], tasks["Fatture"]["trial_days"]) == (84, 30)


# -- a bad file: a clear error, exit 2, the store untouched ------------------------------------

BAD_FILES = [
    (
        "timezone = 5\n",
        "timezone in the configuration file",
        "This kind of value does not fit here.",
    ),
    ('timezone = "Mars/Base"\n', "timezone in the configuration file", "is not a time zone"),
    ('language = "fr"\n', "language in the configuration file", "Choose one of: en, it"),
    ("rate = -5\n", "rate in the configuration file", "It must not be negative."),
    ('rate = "-5"\n', "rate in the configuration file", "It must not be negative."),
    ("trial_days = true\n", "trial_days in the configuration file", "does not fit here"),
    ('week_start = "someday"\n', "week_start in the configuration file", "Choose one of: monday"),
    ('store = ""\n', "store in the configuration file", "It is empty."),
    (
        'name = "Vera\nrate = 5\n',
        "is not valid TOML (line 1, column 13)",
        "Each setting is one line",
    ),
    ("rate = [\n", "is not valid TOML (line 2, column 1)", "Each setting is one line"),
    (b"name = '\xff'\n", "is not UTF-8 text", "Save it as UTF-8"),
    (None, "Cannot read the configuration file", "Is a directory"),
]


@pytest.mark.parametrize(("content", "said", "detail"), BAD_FILES)
def test_a_bad_file_stops_every_command_before_the_store(
    cli, quick, rossi, conf, isolated_home, content, said, detail
):
    cli("start", "rossi/news")
    if content is None:  # a folder where the file should be: it cannot be read
        conf.mkdir(parents=True)
    elif isinstance(content, bytes):
        conf.parent.mkdir(parents=True, exist_ok=True)
        conf.write_bytes(content)
    else:
        write(conf, content)
    before = store_bytes(isolated_home)
    for args in (["stop"], ["client", "add", "Nuovo"], ["log"], ["info"], ["config", "show"]):
        result = cli(*args, ok=False)
        assert result.exit_code == 2, (args, result.output)
        assert said in result.stderr and detail in result.stderr, (args, result.stderr)
        assert str(conf) in result.stderr and "Traceback" not in result.output
    with pytest.raises(InputError, match=re.escape(said)):  # main() says it: exit 2 (below)
        quick("stop")
    assert store_bytes(isolated_home) == before
    assert cli("config", "path").stdout.strip() == str(conf)  # what helps fix it still works
    assert "Usage" in cli("--help").stdout


def test_a_bad_file_stops_the_quick_path_in_a_real_process(rossi, conf, isolated_home):
    write(conf, "rate = -1\n")
    before = store_bytes(isolated_home)
    result = subprocess.run(
        [sys.executable, "-m", "mansioni", "start", "rossi/news"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: rate in the configuration file {conf}: ")
    assert store_bytes(isolated_home) == before


def test_a_value_can_be_fixed_while_another_is_bad(cli, conf):
    write(conf, 'rate = -5\nname = "Vera"\n')
    cli("config", "set", "rate", "28")
    cli("config", "unset", "name")
    assert conf.read_text() == "rate = 28\n"


def test_a_file_that_is_not_toml_is_not_rewritten(cli, conf):
    write(conf, "rate = [\n")
    result = cli("config", "set", "rate", "28", ok=False)
    assert result.exit_code == 2 and "is not valid TOML" in result.stderr
    assert conf.read_text() == "rate = [\n"


def test_an_unknown_key_is_a_warning_and_ignored(cli, conf):
    write(conf, 'colour = "red"\n[client]\nrate = 5\n')
    result = cli("client", "add", "Studio Rossi")
    assert "has settings mansioni does not know, ignored: client, colour." in result.stderr
    assert json.loads(cli("client", "list", "--json").stdout)[0]["rate_cents"] is None
    cli("config", "unset", "colour")
    assert conf.read_text() == "[client]\nrate = 5\n"


def test_italian_from_the_file_says_its_errors_in_italian(conf, monkeypatch):
    write(conf, 'language = "it"\nrate = -5\n')
    monkeypatch.delenv("MANSIONI_LANG")
    result = run("log")
    assert result.returncode == 2 and result.stderr.startswith("Errore: ")


# -- the quick path ---------------------------------------------------------------------------

CHILD = """
import sys
from mansioni.cli.quick import run
code = run(["status"])
print("tomllib" in sys.modules, code)
"""


def test_status_imports_no_toml_parser_for_no_file_or_a_plain_one(rossi, conf):
    def child() -> str:
        result = subprocess.run(
            [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[-1]

    assert child() == "False 0"
    write(conf, 'timezone = "Europe/Rome"  # home\nrate = 28.50\n')
    assert child() == "False 0"
    write(conf, 'timezone = "Europe/\\u0052ome"\n')  # an escape: tomllib reads it
    assert child() == "True 0"


# -- week_start ----------------------------------------------------------------------------


def test_week_start_moves_log_and_report_weeks(cli, rossi, conf, at):
    # Saturday 28 November 2026: the Monday week is 23-29, the Sunday week 22-28.
    at("2026-11-28 15:00")
    cli("add", "rossi/news", "9:00-9:30", "--date", "2026-11-22")  # a Sunday
    cli("add", "rossi/news", "9:00-9:45", "--date", "2026-11-23")  # a Monday

    def seen() -> tuple:
        log = [e["seconds"] for e in json.loads(cli("log", "--week", "--json").stdout)]
        period = json.loads(cli("report", "--week", "--format", "json").stdout)["period"]
        rows = json.loads(cli("report", "--month", "--by", "week", "--format", "json").stdout)
        weeks = [(r["key"], r["seconds"]) for r in rows["rows"]]
        return log, (period["from"], period["to"]), weeks

    assert seen() == (
        [45 * 60],
        ("2026-11-23", "2026-11-29"),
        [("2026-11-16", 30 * 60), ("2026-11-23", 45 * 60)],
    )
    write(conf, 'week_start = "sunday"\n')
    assert seen() == ([30 * 60, 45 * 60], ("2026-11-22", "2026-11-28"), [("2026-11-22", 75 * 60)])


@given(st.dates(min_value=date(1900, 1, 8), max_value=date(2200, 12, 24)), st.integers(0, 6))
def test_a_week_starts_on_its_week_start_and_its_key_names_it(day, week_start):
    first = unit_start(day, "week", week_start=week_start)
    assert first.weekday() == week_start and 0 <= (day - first).days < 7
    assert unit_days(day, "week", week_start=week_start) == (first, first + timedelta(days=6))
    key = unit_key(day, "week", week_start=week_start)
    assert key_day(key, "week", week_start=week_start) == first
    assert unit_key(first + timedelta(days=6), "week", week_start=week_start) == key
    assert unit_key(first + timedelta(days=7), "week", week_start=week_start) != key
    if week_start == 0:
        assert key == tuple(day.isocalendar())[:2]


# -- the values and the writing, as functions -------------------------------------------------


@given(st.text())
def test_a_toml_string_reads_back_as_written(text):
    assert tomllib.loads(f"k = {config.toml_string(text)}")["k"] == text


@given(st.integers(0, 99_999_999), st.sampled_from(["rate", "hour_value"]))
def test_an_amount_written_reads_back_the_same(cents, key):
    literal = config.toml_literal(key, f"{cents // 100},{cents % 100:02d}")
    assert config.parse(key, tomllib.loads(f"k = {literal}")["k"]) == cents


SCALARS = st.one_of(st.text(max_size=20), st.integers(-(2**63), 2**63 - 1), st.booleans())
KEYS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=8)


@given(st.dictionaries(KEYS, SCALARS, max_size=5), KEYS, st.none() | SCALARS)
def test_editing_one_key_keeps_the_others(table, key, value):
    text = config.dumps(table)
    assert text is not None and tomllib.loads(text) == table
    literal = None if value is None else config.toml_scalar(value)
    new = config.edited(text, key, literal)
    expected = dict(table)
    expected.pop(key, None)
    if value is not None:
        expected[key] = value
    assert new is not None and tomllib.loads(new) == expected


def test_a_value_over_several_lines_is_rewritten_whole(cli, conf):
    text = 'name = """Vera\nBianchi"""\nrate = 5\n'
    assert config.edited(text, "name", '"Vera"') is None  # not line by line: whole
    write(conf, text)
    cli("config", "set", "name", "Vera")
    assert tomllib.loads(conf.read_text()) == {"name": "Vera", "rate": 5}


LINE = st.one_of(
    st.sampled_from(["", "# a comment", "  ", "[table]", "a.b = 1", 'k = """x"""', "\r"]),
    st.builds(
        lambda key, value, comment: f"{key}{value}{comment}",
        st.sampled_from(["name = ", "rate=", " rate\t= ", "trial_days =", "x-y_1 = ", "a b = "]),
        st.one_of(
            st.text(max_size=6).map(lambda t: f'"{t}"'),
            st.text(max_size=6).map(lambda t: f"'{t}'"),
            st.integers(-(2**64), 2**64).map(str),
            st.floats(allow_nan=False, allow_infinity=False).map(repr),
            st.sampled_from(["true", "false", "0.5", "00", "-0", "1.", ".5", "+1", "1_000", "1e3"]),
            st.text(max_size=6),
        ),
        st.sampled_from(["", " # note", "#", " x"]),
    ),
)


@given(st.lists(LINE, max_size=6).map("\n".join) | st.text(max_size=30))
def test_the_plain_reader_reads_what_tomllib_reads(text):
    plain = config.simple_toml(text)
    if plain is not None:
        assert plain == tomllib.loads(text)


def test_the_plain_reader_takes_what_config_set_writes():
    text = 'name = "Avv. Lucia Mazzà"\nrate = 28.50  # per hour\ntrial_days = 84\n'
    assert config.simple_toml(text) == tomllib.loads(text)
