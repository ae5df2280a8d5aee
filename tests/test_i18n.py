"""The translation catalogs: complete, consistent with the source, compiled, and used.

The catalogs are maintained with ``python scripts/i18n.py all`` (extract, update,
compile); a failure here usually means a new ``_()`` string needs that run and an
Italian translation in ``src/mansioni/locale/it/LC_MESSAGES/mansioni.po``.
"""

from __future__ import annotations

import importlib.util
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from mansioni import i18n
from mansioni.i18n import _, language, set_language

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "mansioni" / "locale"
LANGUAGES = ("en", "it")
#: The markers of ``mansioni.i18n``; ``ngettext`` takes singular and plural.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
LOCALE_VARIABLES = ("MANSIONI_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "mansioni.po"


def read_catalog(path: Path) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f)


def key(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def messages(catalog: Catalog) -> dict[str, Message]:
    return {key(m.id): m for m in catalog if m.id}


def fields(text: str) -> set[str]:
    """The replacement fields of a ``str.format`` template, as written: ``{text!r}``."""
    found = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            found.add(
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
    return found


@pytest.fixture(scope="module")
def source() -> dict[str | tuple[str, ...], list[tuple[str, int]]]:
    """Every message marked in the source, as ``babel.cfg`` and the keywords find them."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[str | tuple[str, ...], list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault(message, []).append((filename, lineno))
    return found


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    return {lang: read_catalog(po_path(lang)) for lang in LANGUAGES}


@pytest.fixture
def italian():
    set_language("it")
    try:
        yield
    finally:
        set_language(None)


@pytest.fixture
def no_locale(monkeypatch) -> None:
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


# --- extraction ------------------------------------------------------------------


def test_the_extraction_finds_the_whole_source(source) -> None:
    files = {
        Path(filename).as_posix() for locations in source.values() for filename, _ in locations
    }
    assert "No timer running." in source
    assert any(f.endswith("cli/timer_view.py") for f in files)
    assert any(f.endswith("domain/timeparse.py") for f in files)
    assert len(source) > 100


def test_every_marker_is_extracted() -> None:
    code = b'_("now")\nN_("later")\nngettext("one entry", "{n} entries", n)\nprint("not me")\n'
    found = [
        message
        for _lineno, message, _comments, _context in extract(
            "python", io.BytesIO(code), keywords=KEYWORDS
        )
    ]
    assert found == ["now", "later", ("one entry", "{n} entries")]


def test_no_marker_hides_inside_an_f_string() -> None:
    """Babel cannot see into f-strings (before Python 3.12 they are one token): a
    ``_()`` there would never reach the catalog and stay English in Italian."""
    import tokenize

    hidden = []
    for path in sorted((ROOT / "src" / "mansioni").rglob("*.py")):
        with path.open("rb") as source_file:
            for token in tokenize.tokenize(source_file.readline):
                if token.type == tokenize.STRING and re.match(r"[rbRB]*[fF]", token.string):
                    if re.search(r"\{[^}]*\b(_|N_|ngettext)\(", token.string):
                        hidden.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert not hidden, hidden


def test_the_script_uses_the_same_keywords_and_paths() -> None:
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.KEYWORDS == KEYWORDS
    assert script.LOCALE_DIR == LOCALE_DIR
    assert script.po_path("it") == po_path("it")
    assert script.DOMAIN == i18n.DOMAIN


# --- completeness ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_source_message_is_in_the_catalog(source, catalogs, lang) -> None:
    present = messages(catalogs[lang])
    missing = sorted(key(msgid) for msgid in source if key(msgid) not in present)
    assert not missing, f"not in {lang}.po (run: python scripts/i18n.py all): {missing}"


def test_every_source_message_is_translated_into_italian(source, catalogs) -> None:
    present = messages(catalogs["it"])
    problems = []
    for msgid in sorted(source, key=key):
        message = present.get(key(msgid))
        if message is None:
            problems.append(f"missing: {key(msgid)!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {key(msgid)!r}")
        elif not all(forms(message.string)):
            problems.append(f"untranslated: {key(msgid)!r}")
    assert not problems, "\n".join(problems)


def test_the_catalogs_hold_nothing_fuzzy_or_stale(source, catalogs) -> None:
    wanted = {key(msgid) for msgid in source}
    for lang, catalog in catalogs.items():
        assert not catalog.fuzzy, f"{lang}.po header is fuzzy"
        assert [m.id for m in catalog if m.id and m.fuzzy] == []
        stale = sorted(set(messages(catalog)) - wanted)
        assert not stale, f"{lang}.po lists messages no longer in the source: {stale}"


def test_english_is_the_source_language(catalogs) -> None:
    translated = [m.id for m in catalogs["en"] if m.id and any(forms(m.string))]
    assert translated == []
    assert str(catalogs["it"].locale) == "it"
    assert catalogs["it"].num_plurals == 2


# --- consistency of the Italian text ---------------------------------------------


def test_placeholders_are_kept_exactly(catalogs) -> None:
    problems = []
    for msgid, message in messages(catalogs["it"]).items():
        ids = forms(message.id)
        for index, translated in enumerate(forms(message.string)):
            original = ids[min(index, len(ids) - 1)]
            if fields(translated) != fields(original):
                problems.append(
                    f"{msgid!r}: {sorted(fields(original))} != {sorted(fields(translated))}"
                )
    assert not problems, "\n".join(problems)


def test_placeholders_include_conversions() -> None:
    assert fields("No client matches {query!r}.") == {"{query!r}"}
    assert fields("{n} days, {{literal}}") == {"{n}"}
    assert fields("Nessun cliente corrisponde a {query}.") != fields("No client matches {query!r}.")


def test_italian_texts_format_like_the_english_ones(catalogs) -> None:
    formatted = 0
    for msgid, message in messages(catalogs["it"]).items():
        if "python-brace-format" not in message.flags:
            continue
        names = {f for text in forms(message.id) for f in fields(text)}
        values = {re.split(r"[!:.\[]", f[1:-1])[0]: 7 for f in names}
        for translated in forms(message.string):
            assert translated.format(**values), msgid
            formatted += 1
    assert formatted > 50


#: A quoted text on an example command line: what a user types, said in each language.
QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")


def test_command_lines_commands_and_options_are_not_translated(catalogs) -> None:
    from typer.main import get_command

    from mansioni.cli.app import app

    group = get_command(app)
    commands = set(group.commands)  # type: ignore[attr-defined]
    assert {"start", "stop", "client", "task", "undo"} <= commands
    problems = []
    for msgid, message in messages(catalogs["it"]).items():
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        for translated in forms:  # every plural form must keep them
            if "\n\n$ " in msgid:
                # The command line is kept; only a quoted text (a note, a change) is
                # written in each language ("--note 'settimanale, Mailchimp'").
                example = QUOTED.sub("…", msgid.split("\n\n", 1)[1])
                if not QUOTED.sub("…", translated).endswith("\n\n" + example):
                    problems.append(f"example line changed: {msgid!r}")
            for option in re.findall(r"--[a-z][a-z-]*", msgid):
                if option not in translated:
                    problems.append(f"{option} missing: {msgid!r}")
            for command in re.findall(r"\bmansioni ([a-z]+)", msgid):
                if command in commands and f"mansioni {command}" not in translated:
                    problems.append(f"'mansioni {command}' missing: {msgid!r}")
    assert not problems, "\n".join(problems)


def test_the_glossary_is_followed(catalogs) -> None:
    it = messages(catalogs["it"])
    assert it["Client"].string == "Cliente"
    assert it["Task"].string == "Mansione"
    assert it["Entries"].string == "Registrazioni"
    assert it["Client's estimate"].string == "Stima del cliente"
    assert it["per occurrence"].string == "per esecuzione"
    assert it["Hourly rate: {rate}"].string == "Tariffa oraria: {rate}"
    assert it["Value of the client's hour: {value}"].string == "Valore orario del cliente: {value}"
    assert it["Client's oversight: {time}"].string == "Supervisione del cliente: {time}"
    assert it["Rounding"].string == "Arrotondamento"
    assert it["running"].string == "in corso"
    assert (
        "registro delle modifiche"
        in it[
            "Clients: {client}, tasks: {task}, entries: {entry}, changes journaled: {operation}"
        ].string
    )
    assert "periodo di prova" in it["Trial length: 90d, 12w."].string


# --- compiled catalogs -----------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalog_is_up_to_date(catalogs, lang) -> None:
    buf = io.BytesIO()
    write_mo(buf, catalogs[lang], use_fuzzy=False)
    mo = po_path(lang).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing (run: python scripts/i18n.py compile)"
    assert mo.read_bytes() == buf.getvalue(), f"{mo} is stale (run: python scripts/i18n.py compile)"


def test_the_italian_catalog_is_served_at_runtime(catalogs, italian) -> None:
    assert language() == "it"
    for msgid, message in messages(catalogs["it"]).items():
        if isinstance(message.id, tuple):
            singular, plural = message.id
            assert i18n.ngettext(singular, plural, 1) == message.string[0]
            assert i18n.ngettext(singular, plural, 5) == message.string[1]
        else:
            assert _(msgid) == message.string


def test_no_timer_running_in_italian(italian) -> None:
    assert _("No timer running.") == "Nessun timer in corso."


def test_english_is_the_identity() -> None:
    set_language("en")
    try:
        assert _("No timer running.") == "No timer running."
        assert i18n.ngettext("{n} entry", "{n} entries", 2) == "{n} entries"
    finally:
        set_language(None)


def test_an_unknown_message_falls_back_to_english(italian) -> None:
    assert _("A sentence nobody has marked yet.") == "A sentence nobody has marked yet."


# --- language detection ----------------------------------------------------------


def test_mansioni_lang_selects_italian(no_locale, monkeypatch) -> None:
    monkeypatch.setenv("MANSIONI_LANG", "it")
    set_language(None)
    assert language() == "it"
    assert _("No timer running.") == "Nessun timer in corso."


def test_lang_selects_italian(no_locale, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "it_IT.UTF-8")
    set_language(None)
    assert language() == "it"
    assert _("No timer running.") == "Nessun timer in corso."


def test_an_unsupported_lang_falls_back_to_english(no_locale, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    set_language(None)
    assert language() == "en"
    assert _("No timer running.") == "No timer running."


def test_mansioni_lang_overrides_lang(no_locale, monkeypatch) -> None:
    monkeypatch.setenv("LANG", "it_IT.UTF-8")
    monkeypatch.setenv("MANSIONI_LANG", "en")
    set_language(None)
    assert language() == "en"
    assert _("No timer running.") == "No timer running."


def test_language_priority_list_and_lc_all(no_locale, monkeypatch) -> None:
    monkeypatch.setenv("LANGUAGE", "de:it:en")
    set_language(None)
    assert language() == "it"
    monkeypatch.delenv("LANGUAGE")
    monkeypatch.setenv("LC_ALL", "it_CH.UTF-8@euro")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    set_language(None)
    assert language() == "it"


def test_no_locale_at_all_is_english(no_locale) -> None:
    set_language(None)
    assert language() == "en"


def test_set_language_refuses_an_unknown_code() -> None:
    with pytest.raises(ValueError):
        set_language("de")
