#!/usr/bin/env python
"""Maintain the translation catalogs of mansioni (gettext domain ``mansioni``).

Usage (from anywhere; paths are relative to the project root)::

    python scripts/i18n.py extract   # source -> src/mansioni/locale/mansioni.pot
    python scripts/i18n.py update    # .pot   -> it.po and en.po (translations kept)
    python scripts/i18n.py compile   # every .po -> .mo next to it
    python scripts/i18n.py check     # exit 1 if anything is missing or untranslated
    python scripts/i18n.py all       # extract, update, compile; list what is left to translate

The strings are found with Babel's extraction API, following ``babel.cfg``, with
the keywords of ``mansioni.i18n``: ``_``, ``N_`` (marked now, translated later)
and ``ngettext`` (singular and plural).

The files are written so that diffs stay small and meaningful: no source
locations (they change whenever a line moves), messages sorted by msgid, no
creation date in the template, and a file is rewritten only when its content
changes. Updating never uses fuzzy matching: a msgid that changed in the source
is a new, untranslated message (the old one is dropped and printed, so its
translation can be reused by hand).

English is the source language: ``en.po`` lists every msgid with an empty
msgstr, so English text comes straight from the source.

Babel is imported inside the functions, as everywhere on the hot path of the
project (see ``[tool.ruff.lint.flake8-tidy-imports]`` in ``pyproject.toml``).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - only for annotations
    from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "babel.cfg"
DOMAIN = "mansioni"
LOCALE_DIR = ROOT / "src" / "mansioni" / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
#: The languages with a catalog. English is the source language (empty msgstr).
LANGUAGES = ("en", "it")
#: The language whose catalog must be complete.
TRANSLATED = "it"
#: The same keywords as ``mansioni.i18n``: ``ngettext`` takes singular and plural.
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "N_": None, "ngettext": (1, 2)}
WIDTH = 76
TEAMS = {"en": "English", "it": "Italiano"}
#: The usual gettext plural rule (CLDR adds a third "many" form for Italian millions,
#: which GNU tools and translators do not expect).
PLURAL_FORMS = {"en": "nplurals=2; plural=(n != 1);", "it": "nplurals=2; plural=(n != 1);"}
AUTHORS = "The mansioni authors"
HEADER_COMMENT = """\
# {title} for mansioni.
# This file is distributed under the same license as the mansioni project.
#"""
_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def say(text: str = "", *, err: bool = False) -> None:
    """Print a line; a closed pipe (``... all | head``) must not stop the work half-way."""
    stream = sys.stderr if err else sys.stdout
    try:
        print(text, file=stream, flush=True)
    except BrokenPipeError:
        # Send the rest of the output nowhere, and go on writing the files.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())


# --- reading ---------------------------------------------------------------------


def extract_messages() -> dict[str | tuple[str, ...], list[tuple[str, int]]]:
    """Every message marked in the source: msgid (a tuple for plurals) -> locations."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(CONFIG, encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename=str(CONFIG))
    found: dict[str | tuple[str, ...], list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault(message, []).append((filename, lineno))
    return found


def read_catalog(path: Path) -> Catalog:
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        return read_po(f)


def _key(msgid: str | tuple[str, ...]) -> str:
    """The msgid a catalog is indexed by (the singular, for a plural message)."""
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _translated(message) -> bool:  # noqa: ANN001 - a babel Message
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings)


def placeholders(text: str | Iterable[str]) -> set[str]:
    """The ``{...}`` fields of a brace-format string (``{{``/``}}`` are not fields)."""
    texts = [text] if isinstance(text, str) else list(text)
    return {m.group(1) for t in texts for m in _PLACEHOLDER.finditer(t)}


# --- writing ---------------------------------------------------------------------


def _po_bytes(catalog: Catalog, *, drop_creation_date: bool = False) -> bytes:
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(
        buf,
        catalog,
        width=WIDTH,
        no_location=True,
        sort_output=True,
        ignore_obsolete=True,
        include_previous=False,
    )
    data = buf.getvalue()
    if drop_creation_date:
        data = re.sub(rb'^"POT-Creation-Date: [^"]*"\n', b"", data, flags=re.M)
    return data


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled form of ``catalog`` (fuzzy and untranslated messages left out)."""
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


# --- commands --------------------------------------------------------------------


def extract() -> int:
    """Write the template ``mansioni.pot`` from the source."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(
        project="mansioni",
        version=_version(),
        copyright_holder=AUTHORS,
        charset="utf-8",
        fuzzy=False,
    )
    catalog.header_comment = HEADER_COMMENT.format(title="Translations template")
    for msgid, locations in extract_messages().items():
        catalog.add(msgid, None, locations)
    written = _write_if_changed(TEMPLATE, _po_bytes(catalog, drop_creation_date=True))
    say(f"{_rel(TEMPLATE)}: {len(catalog)} messages{'' if written else ' (unchanged)'}")
    return 0


def update() -> int:
    """Merge the template into every language's .po, keeping existing translations."""
    from babel.messages.catalog import Catalog

    if not TEMPLATE.exists():
        say(f"{_rel(TEMPLATE)} is missing: run 'extract' first.", err=True)
        return 1
    template = read_catalog(TEMPLATE)
    for lang in LANGUAGES:
        path = po_path(lang)
        if path.exists():
            catalog = read_catalog(path)
        else:
            catalog = Catalog(
                locale=lang,
                domain=DOMAIN,
                project="mansioni",
                copyright_holder=AUTHORS,
                last_translator=AUTHORS,
                language_team=TEAMS.get(lang, lang),
                charset="utf-8",
                fuzzy=False,
            )
            catalog.header_comment = HEADER_COMMENT.format(
                title=f"{TEAMS.get(lang, lang)} messages"
            )
            if lang in PLURAL_FORMS:
                catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[lang])]
        catalog.update(
            template,
            no_fuzzy_matching=True,
            update_header_comment=False,
            # Keep the catalog's own creation date: the template has none, and a
            # date that changed on every run would make the .po and .mo churn.
            update_creation_date=False,
        )
        catalog.version = template.version
        dropped = sorted(_key(m.id) for m in catalog.obsolete.values())
        written = _write_if_changed(path, _po_bytes(catalog))
        missing = sum(1 for m in catalog if m.id and not _translated(m))
        note = "" if written else " (unchanged)"
        say(f"{_rel(path)}: {len(catalog)} messages, {missing} without msgstr{note}")
        for msgid in dropped:
            say(f"  dropped (no longer in the source): {msgid!r}")
    return 0


def compile_catalogs() -> int:
    """Compile every .po under the locale directory to a .mo next to it."""
    for path in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        catalog = read_catalog(path)
        mo = path.with_suffix(".mo")
        written = _write_if_changed(mo, mo_bytes(catalog))
        say(f"{_rel(mo)}{'' if written else ' (unchanged)'}")
    return 0


def problems() -> list[str]:
    """What keeps the catalogs from being complete and consistent, one line each."""
    found: list[str] = []
    source = {_key(msgid) for msgid in extract_messages()}
    for lang in LANGUAGES:
        path = po_path(lang)
        if not path.exists():
            found.append(f"{_rel(path)} is missing")
            continue
        catalog = read_catalog(path)
        present = {_key(m.id) for m in catalog if m.id}
        for msgid in sorted(source - present):
            found.append(f"{lang}: not in the catalog: {msgid!r}")
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != mo_bytes(catalog):
            found.append(f"{_rel(mo)} is missing or older than its .po (run 'compile')")
        if lang != TRANSLATED:
            continue
        for message in sorted((m for m in catalog if m.id), key=lambda m: _key(m.id)):
            msgid = _key(message.id)
            if message.fuzzy:
                found.append(f"{lang}: fuzzy: {msgid!r}")
            elif not _translated(message):
                found.append(f"{lang}: untranslated: {msgid!r}")
            elif placeholders(message.id) != placeholders(message.string):
                found.append(f"{lang}: placeholders differ: {msgid!r}")
    return found


def check() -> int:
    """Exit 1, listing the problems, unless the catalogs are complete and compiled."""
    found = problems()
    for line in found:
        say(line)
    if found:
        say(f"{len(found)} problem(s).", err=True)
        return 1
    say("Catalogs complete.")
    return 0


def untranslated(lang: str = TRANSLATED) -> list[str]:
    catalog = read_catalog(po_path(lang))
    return sorted(_key(m.id) for m in catalog if m.id and (m.fuzzy or not _translated(m)))


def run_all() -> int:
    """``extract``, ``update`` and ``compile``, then list what is left to translate."""
    for step in (extract, update, compile_catalogs):
        if step() != 0:
            return 1
    left = untranslated()
    if left:
        say(f"\nStill untranslated in {TRANSLATED}.po ({len(left)}):")
        for msgid in left:
            say(f"  {msgid!r}")
    else:
        say(f"\nEvery message is translated in {TRANSLATED}.po.")
    return 0


COMMANDS = {
    "extract": extract,
    "update": update,
    "compile": compile_catalogs,
    "check": check,
    "all": run_all,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/i18n.py", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "command",
        choices=COMMANDS,
        help="extract: .pot; update: .po; compile: .mo; check: exit 1 if incomplete; "
        "all: extract, update and compile",
    )
    args = parser.parse_args(argv)
    return COMMANDS[args.command]()


if __name__ == "__main__":
    sys.exit(main())
