"""Names, typos and hints that help: "did you mean" for clients, tasks, commands and
options in the user's language, a client's name where a task is wanted, and hints that
name the user's own tasks and only the options of the command typed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers import rows
from mansioni.i18n import set_language


@pytest.fixture
def office(cli) -> None:
    """A store with her own names, none of them the examples' (rossi/newsletter)."""
    cli("client", "add", "Studio Cantù Commercialisti")
    cli("client", "add", "Perù Viaggi")
    cli("client", "add", "Pasticceria Dolce Vita")
    for task in ("cantu/PEC", "cantu/Fatture", "cantu/F24", "peru/Instagram", "dolce/Ordini"):
        cli("task", "add", task)


@pytest.fixture(params=["en", "it"])
def lang(request, monkeypatch) -> str:
    from mansioni.cli.app import holder

    monkeypatch.setenv("MANSIONI_LANG", request.param)
    set_language(None)
    holder.cache_clear()
    yield request.param
    set_language(None)
    holder.cache_clear()


def test_a_clients_name_where_a_task_is_wanted_lists_its_tasks(cli, office, lang, isolated_home):
    result = cli("start", "cantu", ok=False)
    assert result.exit_code == 2
    assert "cantu/f24, cantu/fatture, cantu/pec" in result.output
    assert "Studio Cantù Commercialisti" in result.output
    if lang == "en":
        assert "No task matches" not in result.output
    assert rows(isolated_home, "SELECT count(*) FROM entry") == [(0,)]  # nothing started


def test_the_quick_path_says_the_same(quick, office):
    code, out, err = quick("start", "cantu")
    assert (code, out) == (2, "")
    assert "Name one of its tasks: cantu/f24, cantu/fatture, cantu/pec" in err


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("instagarm", "'peru/instagram'"), ("pasticceria/ordni", "'pasticceria/ordini'")],
)
def test_a_typo_in_a_task_is_answered_with_the_closest(cli, office, lang, typed, meant):
    result = cli("start", typed, ok=False)
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    if lang == "en":
        assert first == f"Error: No task matches {typed!r}. Did you mean {meant}?"
    else:
        assert first.startswith("Errore: ") and first.endswith(f"{meant}?"), first


def test_a_task_typed_in_capitals_is_no_typo(cli, office):
    assert "Perù Viaggi/Instagram" in cli("start", "INSTAGRAM").output


def test_a_typo_in_a_client_is_answered_with_the_closest(cli, office):
    result = cli("report", "--client", "cnatu", ok=False)
    assert result.exit_code == 2
    assert "No client matches 'cnatu'. Did you mean 'cantu'?" in result.output


def test_hints_name_her_own_tasks(cli, quick, office, at):
    for output in (cli("stop", ok=False).output, quick("stop")[2]):
        assert "mansioni start rossi/newsletter" not in output
        assert "mansioni start vita/ordini" in output  # none used yet: the first by name
    at("2026-11-27 09:00")
    cli("start", "peru/insta")
    at("2026-11-27 09:30")
    cli("stop")
    # The latest duty she worked on, in every example of a hint.
    assert "mansioni start peru/instagram" in cli("stop", ok=False).output
    out = cli("start", "nothing/like/this", ok=False).output
    assert "e.g. peru/instagram" in out
    out = cli("task", "add", "cantu", ok=False).output
    assert "mansioni task add peru/newsletter" in out  # a new task: only the client is hers


def test_hints_keep_the_example_when_there_is_nothing_to_name(cli, quick):
    assert "mansioni start rossi/newsletter" in cli("stop", ok=False).output
    cli("client", "add", "Studio Cantù")  # a client, no task yet
    assert "mansioni start rossi/newsletter" in quick("stop")[2]


def test_help_pages_keep_the_generic_example(cli, office):
    assert "rossi/newsletter" in cli("start", "--help").output


@pytest.mark.parametrize(("language", "today"), [("en", "today"), ("it", "oggi")])
def test_add_in_the_future_names_only_what_add_takes(cli, office, monkeypatch, language, today):
    monkeypatch.setenv("MANSIONI_LANG", language)
    set_language(None)
    result = cli("add", "cantu/pec", "16:00-16:30", "--date", today, ok=False)
    assert result.exit_code == 2
    assert "--at" not in result.output
    assert "--date" in result.output


@pytest.mark.parametrize(
    ("args", "meant"),
    [
        (("report", "--clinet", "cantu"), "'--client'"),
        (("report", "--CLIENT", "cantu"), "'--client'"),  # case aside
        (("log", "--wek"), "'--week'"),
        (("--verison",), "'--version'"),
    ],
)
def test_a_typo_in_an_option_is_answered_with_the_closest_it_takes(cli, lang, args, meant):
    result = cli(*args, ok=False)
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    if lang == "en":
        assert first.endswith(f". Did you mean {meant}?"), first
    else:
        assert first.startswith("Errore: Opzione inesistente: "), first
        assert first.endswith(f". Forse intendevi {meant}?"), first
        assert "Did you mean" not in result.output
    assert "Possible options" not in result.output


def test_an_option_of_another_command_is_not_suggested(cli):
    result = cli("client", "show", "x", "--clinet", ok=False)
    assert result.exit_code == 2
    assert "--client" not in result.output.splitlines()[0]


@pytest.mark.parametrize(
    ("args", "meant"),
    [
        (("raport",), "Did you mean 'report'?"),  # the closest, not also import and export
        (("REPORT",), "Did you mean 'report'?"),
        (("rèview",), "Did you mean 'review'?"),
        (("client", "ls"), "Did you mean 'list'?"),
    ],
)
def test_a_typo_in_a_command_is_answered_with_the_closest(cli, args, meant):
    result = cli(*args, ok=False)
    assert result.exit_code == 2
    assert result.output.splitlines()[0].endswith(meant)


@pytest.mark.parametrize(("typed", "client"), [("bianci", "bianchi"), ("rosi", "rossi")])
def test_a_mistyped_client_where_a_task_is_wanted_lists_its_tasks(
    cli, quick, demo, lang, typed, client
):
    """Not 'ferri/annunci' for "bianci", nor nothing for "rosi": the client meant."""
    entries = rows(demo, "SELECT count(*) FROM entry")
    result = cli("start", typed, ok=False)
    assert result.exit_code == 2
    first, hint = result.output.splitlines()[:2]
    assert first.endswith(f"{client!r}?") and "/" not in first
    assert f": {client}/" in hint
    if lang == "en":
        assert first == f"Error: No task matches {typed!r}. Did you mean the client {client!r}?"
        assert hint.strip().startswith("Name one of its tasks: ")
    assert rows(demo, "SELECT count(*) FROM entry") == entries  # nothing started
    code, out, err = quick("start", typed)  # the quick path says the same
    assert (code, out) == (2, "")
    assert err.splitlines()[:2] == result.output.splitlines()[:2]


def test_a_client_is_suggested_as_it_was_being_typed(cli, demo):
    result = cli("report", "--client", "cafe", ok=False)
    assert result.exit_code == 2
    assert "No client matches 'cafe'. Did you mean 'caffe'?" in result.output


def test_several_commands_are_suggested_with_or(cli, isolated_home):
    result = cli("stat", ok=False)
    assert result.exit_code == 2
    first = result.output.splitlines()[0]
    assert first == "Error: No such command 'stat'. Did you mean 'start' or 'status'?"
    env = {**os.environ, "MANSIONI_LANG": "it", "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "mansioni", "stat"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first == "Errore: Comando 'stat' inesistente. Forse intendevi 'start' o 'status'?"


def test_a_typo_in_a_command_is_answered_in_italian_whole(isolated_home):
    """A real process: Typer's own words are Italian only when the catalog is installed
    before Typer is imported, as ``mansioni`` does at start."""
    env = {**os.environ, "MANSIONI_LANG": "it", "COLUMNS": "200"}
    result = subprocess.run(
        [sys.executable, "-m", "mansioni", "REDO"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert first == "Errore: Comando 'REDO' inesistente. Forse intendevi 'redo'?"
    assert "Did you mean" not in result.stderr


PROBE = """
import sys
from mansioni.cli import quick
code = quick.run(sys.argv[1:])
assert code is not None, "the quick path declined"
heavy = sorted({m.split('.')[0] for m in sys.modules} & set(%r))
print('HEAVY:' + ','.join(heavy))
"""


@pytest.mark.parametrize("argv", [["stop"], ["start", "instagarm"]])
def test_the_quick_paths_errors_import_nothing_heavy(office, argv):
    from test_imports import HEAVY

    result = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY,), *argv], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:"
    assert "rossi" not in result.stderr


@pytest.mark.slow
def test_hints_name_her_own_tasks_on_postgres(cli, pg_server, monkeypatch):
    name = pg_server.create_database()
    monkeypatch.setenv("MANSIONI_DB", pg_server.url(name))
    try:
        cli("client", "add", "Studio Cantù Commercialisti")
        cli("task", "add", "cantu/PEC")
        assert "Start one with: mansioni start cantu/pec" in cli("stop", ok=False).output
    finally:
        pg_server.drop_database(name)


def test_a_hint_writes_a_duty_as_a_person_types_it(cli):
    """The client by its distinctive word (not the abbreviation "Avv."), the duty by its
    first word: the same rule as shell completion (``names.task_ref``)."""
    cli("client", "add", "Avv. Bianchi")
    cli("client", "add", "Studio Rossi")
    cli("task", "add", "bianchi/Prima nota")
    cli("task", "add", "rossi/Newsletter")
    result = cli("start", "pirma nota", ok=False)
    assert "Did you mean 'bianchi/prima'?" in result.output


def test_imports_read_the_words_of_a_name_as_the_commands_do():
    """``names.words``: an apostrophe ends a word, so the tag "orto" is L'Orto."""
    from mansioni.domain.names import ClientName, matches
    from mansioni.sources.mapping import Catalog

    catalog = Catalog(clients=(ClientName(1, "L'Orto"), ClientName(2, "Avv. Bianchi")))
    assert matches("orto", "L'Orto")
    assert catalog.client_of_tag("orto") == "L'Orto"
    assert catalog.client_of_tag("bianchi") == "Avv. Bianchi"
