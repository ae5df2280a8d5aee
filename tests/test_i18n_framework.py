"""The framework's own words (Typer) in Italian: catalog and runtime.

The catalog ``src/mansioni/locale/it/LC_MESSAGES/framework.po`` holds Typer's gettext
msgids; ``mansioni.i18n.framework`` installs it before Typer is imported. The texts
Typer writes without gettext (the usage line, ``--help``, the usage errors) are said by
``mansioni.cli.app``'s command classes with msgids of the ``mansioni`` catalog, through
Typer's public API only.
"""

from __future__ import annotations

import io
import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from mansioni.i18n import framework

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src" / "mansioni" / "locale" / "it" / "LC_MESSAGES" / "framework.po"
TYPER_DIR = Path(typer.__file__).resolve().parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def key(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def fields(text: str) -> list[str]:
    """Every replacement field of a ``str.format`` template, as written, in order."""
    return [
        "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
        for _literal, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    ]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with open(PO, "rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def typer_messages() -> set[str]:
    return {
        key(message)
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            TYPER_DIR, [("**.py", "python")], keywords=KEYWORDS
        )
    }


def run(*args: str, lang: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MANSIONI_LANG": lang, "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "mansioni", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


# --- the catalog -------------------------------------------------------------------


def test_every_msgid_still_exists_in_typer(catalog, typer_messages) -> None:
    assert {"Options", "Arguments", "Commands", "[required]"} <= typer_messages
    stale = sorted(m.id for m in catalog if m.id and key(m.id) not in typer_messages)
    assert not stale, f"framework.po lists msgids Typer no longer has: {stale}"


def test_the_help_and_error_words_are_covered(catalog, typer_messages) -> None:
    present = {key(m.id) for m in catalog if m.id}
    wanted = {
        "Options",
        "Arguments",
        "Commands",
        "Error",
        "[required]",
        "[default: {}]",
        "No such command {name!r}.",
        "Try [blue]'{command_path} {help_option}'[/] for help.",
    }
    assert wanted <= present
    assert sorted(typer_messages - present) == []


def test_everything_is_translated_and_nothing_is_fuzzy(catalog) -> None:
    assert not catalog.fuzzy
    for message in catalog:
        if message.id:
            assert not message.fuzzy, message.id
            assert all(forms(message.string)), message.id
            assert forms(message.string) != forms(message.id), message.id


def test_the_compiled_catalog_is_up_to_date(catalog) -> None:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    mo = PO.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing"
    assert mo.read_bytes() == buf.getvalue(), f"{mo} is stale: compile framework.po"
    assert framework.catalog_path("it") == str(mo)


def test_placeholders_are_kept_exactly(catalog) -> None:
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = forms(message.id)
        for index, translated in enumerate(forms(message.string)):
            original = ids[min(index, len(ids) - 1)]
            if fields(translated) != fields(original):
                problems.append(f"{original!r}: {fields(original)} != {fields(translated)}")
            if ("[blue]" in original) != ("[blue]" in translated):
                problems.append(f"{original!r}: Rich markup changed")
    assert not problems, "\n".join(problems)


def test_the_translated_typer_texts_are_still_in_typer() -> None:
    source = "".join(path.read_text(encoding="utf-8") for path in sorted(TYPER_DIR.rglob("*.py")))
    for english in framework.LITERALS:
        assert english in source, f"Typer no longer writes {english!r}"


def test_nothing_of_typer_is_patched() -> None:
    """Only Typer's public names: no private module, no attribute of Typer replaced."""
    src = ROOT / "src" / "mansioni"
    for path in (src / "i18n" / "framework.py", src / "cli" / "app.py"):
        text = path.read_text(encoding="utf-8")
        assert "_click" not in text, path
        assert "rich_utils." not in text, path


@pytest.fixture
def italian():
    from mansioni.i18n import set_language

    set_language("it")
    yield
    set_language(None)


def test_usage_errors_stay_english_in_english() -> None:
    assert framework.translate_usage_error("Missing argument 'TASK'.") == (
        "Missing argument 'TASK'."
    )


def test_error_messages_are_rewritten_at_the_start_only(italian) -> None:
    rewrite = framework.translate_usage_error
    assert rewrite("Missing argument 'TASK'.") == "Argomento mancante 'TASK'."
    assert rewrite("Missing option '--at'.") == "Opzione mancante '--at'."
    assert (
        rewrite("No such option: --vers (Possible options: --version)")
        == "Opzione inesistente: --vers (Opzioni possibili: --version)"
    )
    assert (
        rewrite("Invalid value for '--at': non valido")
        == "Valore non valido per '--at': non valido"
    )
    assert (
        rewrite("Nessun timer in corso. Missing argument")
        == "Nessun timer in corso. Missing argument"
    )
    assert (
        rewrite("Comando 'lgo' inesistente. Did you mean 'log'?")
        == "Comando 'lgo' inesistente. Forse intendevi 'log'?"
    )
    assert rewrite("Got unexpected extra argument(s) (x y)") == "Argomenti in eccesso (x y)"


def test_english_installs_nothing() -> None:
    assert framework.install("en") is False


# --- the command line --------------------------------------------------------------


def test_help_in_italian() -> None:
    result = run("--help", lang="it")
    assert result.returncode == 0, result.stderr
    assert "Opzioni" in result.stdout
    assert "Comandi" in result.stdout
    assert "Uso: mansioni" in result.stdout
    assert "Mostra questo aiuto ed esci." in result.stdout
    for english in ("Options", "Commands", "Usage:", "Show this message and exit."):
        assert english not in result.stdout


def test_help_in_english_is_unchanged() -> None:
    result = run("--help", lang="en")
    assert result.returncode == 0, result.stderr
    assert "Options" in result.stdout
    assert "Usage: mansioni" in result.stdout
    assert "Show this message and exit." in result.stdout
    assert "Opzioni" not in result.stdout


def test_command_help_in_italian() -> None:
    result = run("start", "--help", lang="it")
    assert result.returncode == 0, result.stderr
    assert "Argomenti" in result.stdout
    assert "[obbligatorio]" in result.stdout
    assert "Arguments" not in result.stdout
    assert "[required]" not in result.stdout


def test_a_missing_argument_in_italian() -> None:
    result = run("start", lang="it")
    assert result.returncode == 2
    assert "Errore: Argomento mancante 'MANSIONE'." in result.stderr
    assert "  Uso: mansioni start [OPZIONI] MANSIONE" in result.stderr
    assert "  Aiuto: mansioni start --help" in result.stderr
    assert "Missing argument" not in result.stderr


def test_a_missing_argument_in_english() -> None:
    result = run("start", lang="en")
    assert result.returncode == 2
    assert "Error: Missing argument 'TASK'." in result.stderr
    assert "  Usage: mansioni start [OPTIONS] TASK" in result.stderr
    assert "  Help: mansioni start --help" in result.stderr


def test_unknown_option_and_command_in_italian() -> None:
    result = run("start", "x", "--bogus", lang="it")
    assert result.returncode == 2
    assert "Opzione inesistente: --bogus" in result.stderr
    result = run("frobnicate", lang="it")
    assert result.returncode == 2
    assert "Comando 'frobnicate' inesistente." in result.stderr


def test_a_typo_in_italian_is_answered_in_italian() -> None:
    result = run("lgo", lang="it")
    assert result.returncode == 2
    assert "Uso: mansioni [OPZIONI] COMANDO [ARGOMENTI]..." in result.stderr
    assert "Comando 'lgo' inesistente. Forse intendevi 'log'?" in result.stderr
    result = run("client", "lst", lang="it")
    assert "Uso: mansioni client [OPZIONI] COMANDO [ARGOMENTI]..." in result.stderr
    assert "Forse intendevi 'list'?" in result.stderr


def test_a_group_command_help_in_italian() -> None:
    result = run("client", "add", "--help", lang="it")
    assert result.returncode == 0, result.stderr
    assert "Uso: mansioni client add" in result.stdout
    assert "Mostra questo aiuto ed esci." in result.stdout
    assert "Argomenti" in result.stdout and "[obbligatorio]" in result.stdout


def test_the_quick_path_does_not_import_the_framework_translation() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from mansioni.cli import quick"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "mansioni.cli.quick" in result.stderr
    assert "mansioni.i18n.framework" not in result.stderr
    assert "typer" not in result.stderr
