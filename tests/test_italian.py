"""Italian that reads as written in Italian: whole sentences whose articles and
prepositions agree with what follows, dates as Italian writes them, one form for one
thing, and no programmer's words in a help page (in English either)."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po

from mansioni.i18n import _, set_language

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src" / "mansioni" / "locale" / "it" / "LC_MESSAGES" / "mansioni.po"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture
def italian(monkeypatch):
    from mansioni.cli.app import holder

    monkeypatch.setenv("MANSIONI_LANG", "it")
    set_language(None)
    holder.cache_clear()  # each command's help is taken in the language in use
    yield
    set_language(None)
    holder.cache_clear()


def _commands() -> list[tuple[str, ...]]:
    """The path of every command and group of mansioni (``("client", "add")``)."""
    import typer.main

    from mansioni.cli.app import app

    found: list[tuple[str, ...]] = []

    def visit(command, path: tuple[str, ...]) -> None:
        found.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            visit(sub, (*path, name))

    visit(typer.main.get_command(app), ())
    return found


#: What only a programmer reads: a type (``<str>``, ``<int range>``), a range
#: (``[1<=x<=100]``), brackets doubled, braces.
PROGRAMMER = re.compile(r"<(str|bool|int|float|path|list|text|datetime)\b|<=|\[\[|[{}]")


@pytest.mark.parametrize("lang", ["en", "it"])
def test_every_help_page_names_values_as_a_person_reads_them(cli, monkeypatch, lang) -> None:
    monkeypatch.setenv("MANSIONI_LANG", lang)
    set_language(None)
    paths = _commands()
    assert len(paths) > 25
    for path in paths:
        text = cli(*path, "--help").output
        found = PROGRAMMER.search(text)
        assert found is None, f"mansioni {' '.join(path)} --help shows {found.group(0)!r}"
        if lang == "it":
            assert "[OPTIONS]" not in text and "COMMAND" not in text, path
    if lang == "it":
        report = cli("report", "--help").output
        assert "Uso: mansioni report [OPZIONI] [MESE]..." in report
        assert "--client          CLIENTE" in report
        assert "Uso: mansioni decide [OPZIONI] MANSIONE DECISIONE" in cli("decide", "--help").output
    else:
        assert re.search(r"--steps +N ", cli("undo", "--help").output)


def test_help_and_version_speak_in_one_form(italian) -> None:
    assert _("Show this message and exit.") == "Mostra questo aiuto ed esci."
    assert _("Show the version and exit.") == "Mostra la versione ed esci."


def test_help_examples_are_written_in_each_language() -> None:
    # In a process of its own: a command's help is taken once, when its module is imported.
    import os
    import subprocess

    english = {
        "start": "issue 42",
        "task add": "weekly, Mailchimp",
        "decide": "client keeps delegating",
        "change": "now also schedules",
    }
    script = (
        "import sys\n"
        "from mansioni.cli.app import run_app\n"
        "for path in sys.argv[1:]:\n"
        "    print('=====', path, flush=True)\n"
        "    run_app([*path.split(), '--help'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *english],
        capture_output=True,
        text=True,
        env={**os.environ, "MANSIONI_LANG": "it", "COLUMNS": "200"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    pages = dict(page.split("\n", 1) for page in result.stdout.split("===== ")[1:])
    assert set(pages) == set(english)
    for path, words in english.items():
        assert "Uso: mansioni" in pages[path]
        assert words not in pages[path], path
    assert "--note 'settimanale, Mailchimp'" in pages["task add"]


def test_a_usage_error_looks_like_every_other_error(cli, italian) -> None:
    missing = cli("start", ok=False)
    assert missing.exit_code == 2
    assert "Errore: Argomento mancante 'MANSIONE'." in missing.output
    assert "Uso: mansioni start [OPZIONI] MANSIONE" in missing.output
    ours = cli("client", "show", "nessuno", ok=False)
    for result in (missing, ours):
        assert "╭" not in result.output and "│" not in result.output
        assert result.output.startswith("Errore: ")


def test_steps_out_of_range_is_said_in_words(cli, italian) -> None:
    result = cli("undo", "--steps", "0", ok=False)
    assert result.exit_code == 2
    assert "--steps va da 1 a 100, non 0." in result.output
    assert "Input should" not in result.output


def test_a_typo_is_answered_in_italian_with_or(italian) -> None:
    from mansioni.i18n import framework

    said = framework.translate_usage_error(
        "Comando 'reprt' inesistente. Did you mean 'report', 'export'?"
    )
    assert said == "Comando 'reprt' inesistente. Forse intendevi 'report' o 'export'?"
    said = framework.translate_usage_error("Option '--home' requires an argument.")
    assert said == "'--home' richiede un valore."


def test_the_timer_starts_for_a_task(cli, italian) -> None:
    cli("client", "add", "Avv. Lucia Mazzà")
    cli("task", "add", "mazza/Posta")
    out = cli("start", "mazza/posta").output
    assert "Timer avviato per Avv. Lucia Mazzà/Posta alle 15:00." in out
    assert " su " not in out


def test_undo_says_what_was_undone_in_words(cli, at, italian) -> None:
    cli("client", "add", "Studio Rossi")
    cli("task", "add", "rossi/newsletter")
    at("2026-11-08 10:00")
    cli("add", "rossi/newsletter", "9:00-9:30")
    cli("delete", "1")
    out = cli("undo").output
    assert out.startswith(_("Undone: {change}.").split("{")[0])
    assert "dom 8 nov 2026 09:00-09:30" in out and "Studio Rossi/newsletter (0:30)" in out
    # The entry, its day and its times: no id, no command, no ISO date.
    rest = out.replace("dom 8 nov 2026 09:00-09:30", "").replace("(0:30)", "")
    assert not any(ch.isdigit() for ch in rest), out
    assert "delete" not in out and not ISO_DATE.search(out)


def test_client_list_and_show_say_minutes_one_way(cli, italian) -> None:
    cli("client", "add", "Studio Rossi", "--rounding", "15m")
    listed = cli("client", "list").output
    shown = cli("client", "show", "rossi").output
    assert "15 minuti" in listed and "15 minuti" in shown
    assert "15m" not in listed


@pytest.mark.parametrize(
    ("first", "last", "said"),
    [
        (date(2026, 11, 1), date(2026, 11, 30), "1–30 nov 2026"),
        (date(2026, 10, 19), date(2026, 11, 16), "19 ott\u2009–\u200916 nov 2026"),
        (date(2025, 12, 29), date(2026, 1, 4), "29 dic 2025\u2009–\u20094 gen 2026"),
    ],
)
def test_a_period_never_pads_its_days(italian, first, last, said) -> None:
    from mansioni.report import period

    assert period.period_text(SimpleNamespace(first=first, last=last)) == said


def test_a_change_after_a_task_name_has_no_second_colon(italian) -> None:
    from mansioni.report import labels

    change = SimpleNamespace(
        kind="change",
        major=True,
        text="ora anche le stories",
        estimate_seconds=None,
        estimate_basis=None,
        rate_cents=None,
        decision=None,
        verdict=None,
    )
    said = labels.event_text(change, "EUR", after_name=True)
    assert said == "modifica sostanziale, «ora anche le stories»"
    assert labels.event_text(change, "EUR") == "Modifica sostanziale: ora anche le stories"


@pytest.mark.parametrize(
    ("decision", "verdict", "said"),
    [
        ("keep", "keep_worth_it", "Decisione: continuare a delegare (come indicava l'esito)"),
        ("renegotiated", "keep_faster", "l'esito era «continuare a delegare (più veloce)»"),
    ],
)
def test_a_decision_is_said_once(italian, decision, verdict, said) -> None:
    from mansioni.report import labels

    event = SimpleNamespace(
        kind="decision",
        major=None,
        text=None,
        estimate_seconds=None,
        estimate_basis=None,
        rate_cents=None,
        decision=decision,
        verdict=verdict,
    )
    text = labels.event_text(event, "EUR")
    assert said in text
    assert text.count("continuare a delegare") == 1


def test_sentences_whose_words_agree(italian) -> None:
    assert "troppo poche esecuzioni" in _(
        "The trial of {name} ended on {date} with too few timings for a verdict ({n} of 5): keep timing it."
    )
    minor = _("Recorded a minor change to {task}: same phase, new comparison baseline.")
    assert minor.format(task="Avv. Lucia Mazzà/Posta").startswith(
        "Registrata una modifica minore della mansione Avv. Lucia Mazzà/Posta:"
    )
    phase = _("Phase {n}: {start} to {end}; estimate {estimate}; {occurrences}; {time} in all.")
    assert " da {start} a " not in phase and "dal {start}" not in phase


#: An article, or a preposition joined with one, right before a placeholder: what follows
#: decides its form ("il 5%" but "l'8%", "dei 60 €" but "degli 80 €", "dal 19 ott" but
#: "dall'8 nov", "a Studio" but "ad Avv."), and the catalog cannot know it.
AGREES_WITH_WHAT_FOLLOWS = re.compile(
    r"(?<![\w'’])(il|lo|i|gli|dal|al|del|nel|sul|dai|ai|dei|nei|sui|a)\s+\{(?!n\})(?![^}]*!r)[^}]*\}"
)


def test_no_article_is_glued_to_a_placeholder() -> None:
    with open(PO, "rb") as f:
        catalog = read_po(f)
    glued = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            for match in AGREES_WITH_WHAT_FOLLOWS.finditer(text or ""):
                glued.append(f"{match.group(0)!r} in {text!r}")
    assert not glued, "Phrase these so nothing needs to agree:\n" + "\n".join(glued)


def test_no_iso_date_in_the_italian_prose_of_a_period_report(cli, italian) -> None:
    cli("client", "add", "Studio Rossi", "--rate", "28")
    cli("task", "add", "rossi/newsletter")
    cli("add", "rossi/newsletter", "9:00-9:30")
    cli("start", "rossi/newsletter")
    out = cli("report", "--month", "--format", "md").output
    assert (
        "avviato il giorno ven 27 nov 2026 alle 15:00" in out
        or "avviato il giorno 27 nov 2026 alle 15:00" in out
    )
    assert not ISO_DATE.search(out.split("\n", 1)[1]), out


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
