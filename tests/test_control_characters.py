"""Terminal control characters: refused in what a person types, shown visibly on the way out.

A name like ``Esc\\x1b]0;PWNED\\x07Co`` would set a terminal's title each time it is
listed. Typed, it is refused (exit 2, naming the field); held by an older store or by
a file being imported, it is printed as ``\\x1b`` wherever a view shows it, while the
JSON output, the exports and the backup keep it exact.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import NOW
from helpers import TABLES, db_file, dump, rows
from mansioni import clock
from mansioni.domain.text import HIDDEN, NOTE_ALLOWED, check_text, one_line, shown
from mansioni.errors import InputError

ESC_TITLE = "Esc\x1b]0;PWNED\x07Co"  # sets the terminal's title when printed raw
TRICKS = ("\x1b", "\x07", "\x9b", "\x7f", "\x00", "\u202e", "\u2066")


def clean(text: str) -> bool:
    """No control character (but line breaks and tabs) and no direction override."""
    return not any(c in HIDDEN - NOTE_ALLOWED for c in text)


# -- the rule itself -------------------------------------------------------------------


@given(st.text())
def test_shown_leaves_no_control_character_and_keeps_plain_text_as_it_is(text):
    out = shown(text)
    assert not any(unicodedata.category(c) == "Cc" or c in HIDDEN for c in out)
    assert shown(out) == out  # shown twice is shown once
    if not any(c in HIDDEN for c in text):
        assert out == text
    kept = shown(text, lines=True)
    assert {c for c in kept if unicodedata.category(c) == "Cc"} <= {"\t", "\n"}
    assert not any(c in HIDDEN for c in one_line(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ESC_TITLE, "Esc\\x1b]0;PWNED\\x07Co"),
        ("a\x9b31mb", "a\\x9b31mb"),
        ("del\x7f", "del\\x7f"),
        ("abc\u202edef", "abc\\u202edef"),
        ("tab\tline\nend", "tab\\x09line\\x0aend"),
        ("Caffè Ôrso / «x» 東京", "Caffè Ôrso / «x» 東京"),
    ],
)
def test_each_hidden_character_is_written_as_its_code(text, expected):
    assert shown(text) == expected


def test_a_note_may_hold_tabs_and_line_breaks_and_a_name_may_not():
    assert check_text("a\tb\nc", field="The note", example="x", note=True) == "a\tb\nc"
    with pytest.raises(InputError) as caught:
        check_text("a\nb", field="The client name", example='"Studio Rossi"')
    assert caught.value.message == (
        "The client name cannot contain control characters: it has \\x0a at character 2."
    )
    assert caught.value.hint == 'For example: "Studio Rossi"'
    for trick in TRICKS:
        with pytest.raises(InputError):
            check_text(f"x{trick}y", field="The note", example="x", note=True)


# -- typed input is refused ------------------------------------------------------------


def stored(home) -> dict[str, list[tuple]]:
    """The store's rows, table by table (no store at all is no rows)."""
    return {table: found for table, found in dump(home, (*TABLES, "task_event")).items() if found}


def refused(cli, home, *args: str, field: str) -> str:
    """Run a command that must be refused for a control character: exit 2, the field
    named, an example given, nothing written. Its stderr."""
    before = stored(home)
    result = cli(*args, ok=False)
    assert result.exit_code == 2, result.output
    assert f"{field} cannot contain control characters" in result.stderr
    assert "For example: " in result.stderr
    assert clean(result.stderr) and clean(result.stdout)
    assert stored(home) == before
    return result.stderr


def test_a_client_name_with_any_of_them_is_refused(cli, isolated_home):
    for trick in TRICKS:
        err = refused(cli, isolated_home, "client", "add", f"Esc{trick}Co", field="The client name")
        assert f"it has {shown(trick)} at character 4." in err


def test_every_typed_name_and_note_is_checked(cli, isolated_home, rossi):
    home = isolated_home
    refused(cli, home, "client", "add", ESC_TITLE, field="The client name")
    refused(cli, home, "client", "add", "Two\nlines", field="The client name")
    refused(cli, home, "client", "edit", "rossi", "--name", "Ro\tssi", field="The client name")
    refused(cli, home, "task", "add", f"rossi/{ESC_TITLE}", field="The task name")
    refused(cli, home, "task", "edit", "rossi/news", "--name", "N\x9bws", field="The task name")
    refused(
        cli,
        home,
        *("task", "add", "rossi/Posta", "--note", "a\x1b[2J"),
        field="The task's description",
    )
    refused(
        cli,
        home,
        *("task", "edit", "rossi/news", "--description", "\u202eevil"),
        field="The task's description",
    )
    refused(cli, home, "add", "rossi/news", "9:00-9:30", "--note", ESC_TITLE, field="The note")
    refused(cli, home, "start", "rossi/news", "--note", ESC_TITLE, field="The note")
    refused(
        cli, home, "change", "rossi/news", f"now {ESC_TITLE}", field="The description of the change"
    )
    cli("add", "rossi/news", "9:00-9:30")
    entry = str(rows(home, "SELECT id FROM entry")[0][0])
    refused(cli, home, "edit", entry, "--note", ESC_TITLE, field="The note")
    cli("start", "rossi/fatt", "--at", "14:00")
    refused(cli, home, "stop", "--note", "\x07", field="The note")


def test_the_quick_path_refuses_a_typed_note_too(cli, quick, isolated_home, rossi):
    before = stored(isolated_home)
    code, out, err = quick("start", "rossi/news", "--note", ESC_TITLE)
    assert code == 2 and out == ""
    assert "The note cannot contain control characters: it has \\x1b at character 4." in err
    assert clean(err)
    assert stored(isolated_home) == before


def test_tabs_and_line_breaks_are_kept_in_notes(cli, isolated_home, rossi):
    cli("add", "rossi/news", "9:00-9:30", "--note", "first\tcolumn\nsecond line")
    cli("task", "edit", "rossi/news", "--description", "weekly:\n\tdraft\n\tsend")
    cli("change", "rossi/news", "now also\nthe posts", "--minor")
    assert rows(isolated_home, "SELECT note FROM entry") == [("first\tcolumn\nsecond line",)]
    assert ("weekly:\n\tdraft\n\tsend",) in rows(isolated_home, "SELECT description FROM task")
    assert ("now also\nthe posts",) in rows(isolated_home, "SELECT text FROM task_event")
    shown_task = cli("task", "show", "rossi/news").stdout
    assert "Description: weekly:\n\tdraft\n\tsend" in shown_task
    assert "first column second line" in cli("log", "--today").stdout  # one line an entry


def test_a_decision_note_is_checked(cli, demo):
    reviewed = json.loads(cli("review", "--json").stdout)
    task = next(r["task"] for r in reviewed if r["verdict"] != "not_enough_data")
    before = stored(demo)
    result = cli("decide", task, "keep", "--note", ESC_TITLE, ok=False)
    assert result.exit_code == 2
    assert "The decision's note cannot contain control characters" in result.stderr
    assert stored(demo) == before


def test_mansioni_user_with_a_control_character_is_refused(cli, quick, monkeypatch, rossi):
    monkeypatch.setenv("MANSIONI_USER", "ve\x1bra")
    result = cli("add", "rossi/news", "9:00-9:30", ok=False)
    assert (
        result.exit_code == 2 and "MANSIONI_USER cannot contain control characters" in result.stderr
    )
    code, _out, err = quick("status")
    assert code == 2 and "MANSIONI_USER cannot contain control characters" in err


def test_a_login_name_with_a_control_character_is_refused(
    cli, quick, monkeypatch, rossi, isolated_home
):
    """Without MANSIONI_USER the login name (LOGNAME first) names who works: the same rule,
    with MANSIONI_USER as the way out."""
    monkeypatch.delenv("MANSIONI_USER")
    monkeypatch.setenv("LOGNAME", "vera" + ESC_TITLE)
    before = dump(isolated_home)
    for args in (("add", "rossi/news", "9:00-9:30"), ("info",)):
        result = cli(*args, ok=False)
        assert result.exit_code == 2, (args, result.output)
        assert "Your login name cannot contain control characters" in result.stderr
        assert "MANSIONI_USER=giulia" in result.stderr
        assert clean(result.output), result.output
    code, _out, err = quick("status")
    assert code == 2 and "Your login name cannot contain control characters" in err
    assert dump(isolated_home) == before
    monkeypatch.setenv("LOGNAME", "vera")
    assert "you are: vera" in cli("info").stdout


def test_info_shows_a_store_path_with_a_control_character_escaped(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("MANSIONI_HOME", str(tmp_path / ESC_TITLE))
    out = cli("info").stdout
    assert clean(out) and "Esc\\x1b]0;PWNED\\x07Co" in out


def test_a_mapping_file_naming_a_person_with_a_control_character_is_refused(cli, tmp_path):
    (tmp_path / "frames").write_text('[[1790000000, 1790001800, "Rossi/Posta", "ab", [], 0]]')
    mapping = tmp_path / "map.toml"
    mapping.write_text('[people]\n"Vera" = "ve\\u001bra"\n', encoding="utf-8")
    result = cli("import", "watson", str(tmp_path), "--map", str(mapping), ok=False)
    assert result.exit_code == 2
    assert "A person's name cannot contain control characters" in result.stderr
    assert clean(result.stderr)


# -- what an older store holds is shown visibly ----------------------------------------

DIRTY_CLIENT = "Ac\x1b]0;PWNED\x07me"
DIRTY_TASK = "Po\x1b[2Jsta\u202e"
DIRTY_NOTE = "call \x1b[31mred\x9b0m"
DIRTY_CHANGE = "now \x1b]2;x\x07 too"


@pytest.fixture(scope="module")
def dirty_db(tmp_path_factory):
    """A store made by the command line, then given control characters by direct SQL, as
    an older version (or another program) could have left them; built once, copied."""
    from typer.testing import CliRunner

    from mansioni.cli.app import app

    home = tmp_path_factory.mktemp("dirty")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MANSIONI_DB", raising=False)
        patch.setenv("MANSIONI_HOME", str(home))
        patch.setenv("MANSIONI_USER", "vera")
        patch.setenv("MANSIONI_TZ", "Europe/Rome")
        patch.setenv("MANSIONI_LANG", "en")
        patch.setattr(clock, "now", lambda: int(NOW.timestamp()))
        for args in (
            ("client", "add", "Acme", "--rate", "30"),
            ("task", "add", "acme/Posta", "--estimate", "20m", "--note", "plain"),
            ("add", "acme/posta", "9:00-9:40", "--note", "plain"),
            ("change", "acme/posta", "plain change", "--minor"),
            ("start", "acme/posta", "--at", "14:00", "--note", "plain"),
        ):
            result = CliRunner().invoke(app, list(args), catch_exceptions=False)
            assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db_file(home))
    with conn:
        conn.execute("UPDATE client SET name = ?", (DIRTY_CLIENT,))
        conn.execute("UPDATE task SET name = ?, description = ?", (DIRTY_TASK, DIRTY_NOTE))
        conn.execute("UPDATE entry SET note = ?", (DIRTY_NOTE,))
        conn.execute("UPDATE task_event SET text = ? WHERE kind = 'change'", (DIRTY_CHANGE,))
    conn.close()
    return db_file(home)


@pytest.fixture
def dirty(at, isolated_home, dirty_db):
    """This test's home holds a copy of the dirty store."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(dirty_db, db_file(isolated_home))
    return isolated_home


#: The dirty client's name as a view shows it: on a terminal or a page, and in Markdown.
ESCAPED_CLIENT = ("Ac\\x1b]0;PWNED\\x07me", "Ac\\\\x1b\\]0;PWNED\\\\x07me")


def visible(text: str) -> None:
    """``text`` shows the dirty names escaped, and holds no control character."""
    assert clean(text), repr(text)
    assert any(form in text for form in ESCAPED_CLIENT), text


#: Every view of a name or a note, read-only ones first (``stop`` writes).
VIEWS = [
    ("log",),
    ("status",),
    ("client", "list"),
    ("client", "show", "ac"),
    ("task", "list"),
    ("task", "show", "ac/po"),
    ("history", "ac/po"),
    ("review",),
    ("review", "ac/po"),
    ("report",),
    ("report", "--format", "md"),
    ("report", "--format", "html"),
    ("review", "--format", "md"),
    ("review", "--format", "html"),
    ("stop",),
]


def test_an_older_stores_names_and_notes_are_shown_escaped(cli, dirty):
    for args in VIEWS:  # one store for all: each view only reads it, but the last
        out = cli(*args).stdout
        assert clean(out), (args, out)
        assert any(form in out for form in ESCAPED_CLIENT), (args, out)
        if args in (("log",), ("status",)):
            assert "call \\x1b[31mred\\x9b0m" in out, (args, out)
        if args == ("history", "ac/po"):
            assert "now \\x1b]2;x\\x07 too" in out, (args, out)
        if args == ("task", "show", "ac/po"):
            assert "Description: call \\x1b[31mred\\x9b0m" in out, (args, out)


def test_the_quick_path_shows_them_escaped(dirty, quick):
    code, out, _err = quick("status")
    assert code == 0
    visible(out)
    assert "Po\\x1b[2Jsta\\u202e" in out and "call \\x1b[31mred\\x9b0m" in out
    code, out, _err = quick("stop")
    assert code == 0
    visible(out)


def test_an_error_naming_them_shows_them_escaped(cli, dirty):
    cli("client", "archive", "ac")
    result = cli("task", "add", "ac/Nuova", ok=False)
    assert result.exit_code == 2
    visible(result.stderr)


def test_json_keeps_them_exact(cli, dirty):
    logged = json.loads(cli("log", "--json").stdout)
    assert {e["note"] for e in logged} == {DIRTY_NOTE}
    assert {e["client"] for e in logged} == {DIRTY_CLIENT}
    raw = cli("client", "list", "--json").stdout
    assert "\x1b" not in raw and "\\u001b" in raw  # JSON's own escape, exact when read
    assert json.loads(raw)[0]["name"] == DIRTY_CLIENT
    status = json.loads(cli("status", "--json").stdout)
    assert status["running"]["note"] == DIRTY_NOTE


@pytest.mark.parametrize(
    "args",
    [
        ("log", "--json"),
        ("client", "list", "--json"),
        ("task", "list", "--json"),
        ("status", "--json"),
        ("review", "--json"),
        ("report", "--format", "json"),
    ],
)
def test_json_on_a_terminal_escapes_what_json_itself_leaves_raw(cli, dirty, args):
    """``json.dumps(..., ensure_ascii=False)`` escapes C0 only: DEL, the C1 codes (U+009B
    is a CSI to many terminals) and direction overrides would reach the terminal raw."""
    raw = cli(*args).stdout
    assert clean(raw), (args, raw)
    assert "\\u00" in raw, (args, raw)  # written as JSON escapes
    json.loads(raw)  # still JSON, and the values read back exact (above)


def test_the_quick_paths_json_escapes_them_too(dirty, quick):
    code, out, _err = quick("status", "--json")
    assert code == 0 and clean(out)
    assert json.loads(out)["running"]["note"] == DIRTY_NOTE


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_the_json_exports_escape_what_json_itself_leaves_raw(cli, dirty, fmt):
    raw = cli("export", "--format", fmt).stdout
    assert clean(raw) and "\\u009b" in raw, raw  # the dirty note's CSI, as a JSON escape
    if fmt == "json":
        notes = {e["note"] for e in json.loads(raw)}
    else:
        notes = {r["row"].get("note") for r in map(json.loads, raw.splitlines()[1:])}
    assert DIRTY_NOTE in notes  # read back exact


def test_the_exports_and_the_backup_keep_them_exact(cli, dirty):
    exported = json.loads(cli("export", "--format", "json").stdout)
    assert {e["note"] for e in exported} == {DIRTY_NOTE}
    assert DIRTY_NOTE in cli("export", "--format", "csv").stdout
    backup = [json.loads(line) for line in cli("export", "--format", "jsonl").stdout.splitlines()]
    held = {(b["table"], b["row"].get("name")) for b in backup if b.get("table")}
    assert ("client", DIRTY_CLIENT) in held and ("task", DIRTY_TASK) in held


# -- a file being imported -------------------------------------------------------------


def frames(folder, *projects: str) -> None:
    folder.mkdir(exist_ok=True)
    data = [
        [1790000000 + 3600 * i, 1790001800 + 3600 * i, project, f"id{i}", [], 0]
        for i, project in enumerate(projects)
    ]
    (folder / "frames").write_text(json.dumps(data), encoding="utf-8")


def test_a_watson_project_with_a_control_character_is_a_bad_row(cli, isolated_home, tmp_path):
    frames(tmp_path / "w", f"{ESC_TITLE}/Posta", "Rossi/Posta")
    result = cli("import", "watson", str(tmp_path / "w"), ok=False)
    assert result.exit_code == 2
    assert (
        "frames, line 1: the client name cannot contain control characters: "
        "it has \\x1b at character 4." in result.stderr
    )
    assert clean(result.stderr) and clean(result.stdout)
    assert not db_file(isolated_home).exists() or rows(isolated_home, "SELECT * FROM entry") == []

    out = cli("import", "watson", str(tmp_path / "w"), "--skip-invalid").stdout
    assert clean(out)
    assert "1 entry imported from Watson." in out
    assert "frames, line 1: the client name cannot contain control characters" in out
    assert rows(isolated_home, "SELECT name FROM client") == [("Rossi",)]
    log = cli("log", "--from", "2026-01-01").stdout
    assert clean(log)


def test_a_watson_note_from_tags_with_a_control_character_is_a_bad_row(cli, tmp_path):
    folder = tmp_path / "w"
    folder.mkdir()
    data = [[1790000000, 1790001800, "Rossi/Posta", "a1", ["ok", "b\x1bad"], 0]]
    (folder / "frames").write_text(json.dumps(data), encoding="utf-8")
    result = cli("import", "watson", str(folder), ok=False)
    assert result.exit_code == 2
    assert "frames, line 1: its note cannot contain control characters" in result.stderr
    assert clean(result.stderr)


def test_the_import_summary_shows_what_the_file_holds_escaped(cli, tmp_path):
    folder = tmp_path / "w"
    frames(folder, f"{ESC_TITLE}/Posta", "Rossi/Posta")
    (folder / "state").write_text(
        json.dumps({"project": ESC_TITLE, "start": 1790009000, "tags": []}), encoding="utf-8"
    )
    out = cli("import", "watson", str(folder), "--skip-invalid").stdout
    assert clean(out)
    assert "1 entry imported from Watson." in out
    assert f"Still running in Watson, not imported: {shown(ESC_TITLE)} (since" in out
    assert "frames, line 1: the client name cannot contain control characters" in out


def test_an_import_into_a_client_whose_stored_name_has_one_asks_to_rename_it(cli, dirty, tmp_path):
    frames(tmp_path / "w", "Posta")
    result = cli("import", "watson", str(tmp_path / "w"), "--client", "ac", ok=False)
    assert result.exit_code == 2
    assert "the client name cannot contain control characters" in result.stderr
    cli("client", "edit", "ac", "--name", "Acme")
    out = cli("import", "watson", str(tmp_path / "w"), "--client", "acme").stdout
    assert "1 entry imported from Watson." in out


def test_a_name_that_looks_like_rich_markup_is_shown_as_written(cli):
    """The tables are drawn with Rich, whose markup would restyle ``[bold]`` and crash
    on a stray ``[/]``: a name is given to it as plain text."""
    name = "Rossi [bold]B[\\bold] [red]"
    cli("client", "add", name)
    cli("task", "add", "rossi/Posta [link=x]")
    cli("add", "rossi/posta", "9:00-9:30")
    assert name in cli("client", "list").stdout
    tasks = cli("task", "list").stdout.splitlines()  # the task under its client's name
    assert name in tasks and "  Posta [link=x]" in "\n".join(tasks)
    assert f"{name}/Posta [link=x]" in cli("report").stdout
