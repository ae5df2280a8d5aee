"""The command-line framework's own words (Typer, its vendored Click) in the user's language.

Typer marks a few strings with the standard ``gettext`` (panel titles, ``[required]``,
the error hints), several of them at import time: ``from gettext import gettext as _``
followed by ``OPTIONS_PANEL_TITLE = _("Options")``. :func:`install` therefore runs
before Typer is imported: it lends the ``framework`` catalog to ``gettext.gettext``
while Typer's modules are imported (so they bind it), then gives the standard library
its own functions back; nothing in ``os.environ`` changes.

The vendored Click writes the rest in plain English ("Usage: ", "Missing argument",
"No such option", the help of ``--help``); :func:`install` rewrites those few texts
(:data:`LITERALS`; a test checks they are still in Typer's source).

English needs nothing: :func:`install` is then a no-op. A missing catalog or any
surprise leaves the framework in English; the command line always works.
"""

from __future__ import annotations

import os
import re

from mansioni.i18n import DEFAULT, LOCALE_DIR, language

DOMAIN = "framework"

#: The English texts the vendored Click writes without ``gettext`` and that are rewritten
#: here, with the file of ``typer/`` that holds them (a test checks they are still there).
LITERALS: tuple[tuple[str, str], ...] = (
    ("_click/formatting.py", "Usage: "),
    ("_click/decorators.py", "Show this message and exit."),
    ("_click/exceptions.py", "Missing {param_type}"),
    ("_click/exceptions.py", "No such option: "),
    ("_click/exceptions.py", "(Possible options: "),
    ("_click/exceptions.py", "Invalid value for "),
    ("_click/exceptions.py", "Invalid value: "),
    ("_click/core.py", "Got unexpected extra argument(s) "),
)
_PARAM_TYPES = {"argument": "Argomento", "option": "Opzione", "parameter": "Parametro"}
_MESSAGE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Missing (argument|option|parameter)\b"), ""),  # see _rewrite
    (re.compile(r"^No such option: "), "Opzione inesistente: "),
    (re.compile(r"\(Possible options: "), "(Opzioni possibili: "),
    (re.compile(r"^Invalid value for "), "Valore non valido per "),
    (re.compile(r"^Invalid value: "), "Valore non valido: "),
    (re.compile(r"^Got unexpected extra argument\(s\) "), "Argomenti in eccesso "),
)

_installed: str | None = None


def catalog_path(lang: str) -> str:
    return os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", f"{DOMAIN}.mo")


def install(lang: str | None = None) -> bool:
    """Translate the framework into ``lang`` (default: the language in use).

    Call it before Typer is imported. True if the framework now speaks ``lang``.
    """
    global _installed
    lang = lang or language()
    if lang == DEFAULT or _installed == lang:
        return _installed == lang
    try:
        import gettext

        catalog = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)
        if type(catalog) is gettext.NullTranslations:  # no catalog: stay in English
            return False
        _bind_typer(gettext, catalog)
        if lang == "it":
            _rewrite_click_literals()
    except Exception:  # never break the command line over a translation
        return False
    _installed = lang
    return True


def _bind_typer(gettext, catalog) -> None:  # noqa: ANN001 - the stdlib module, a catalog
    """Import Typer while ``gettext.gettext`` is the catalog's, then restore the stdlib."""
    saved = gettext.gettext, gettext.ngettext
    gettext.gettext, gettext.ngettext = catalog.gettext, catalog.ngettext
    try:
        import typer.core
        import typer.rich_utils  # noqa: F401 - imported for its import-time strings
    finally:
        gettext.gettext, gettext.ngettext = saved


def _rewrite(text: str) -> str:
    for pattern, replacement in _MESSAGE_RULES:
        if not replacement:
            text = pattern.sub(lambda m: f"{_PARAM_TYPES[m.group(1)]} mancante", text, count=1)
        else:
            text = pattern.sub(replacement, text, count=1)
    return text


def _rewrite_click_literals() -> None:
    """Italian for the texts the vendored Click writes without ``gettext``."""
    from typer import rich_utils
    from typer._click import core, exceptions, formatting

    write_usage = formatting.HelpFormatter.write_usage

    def italian_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:  # noqa: ANN001
        write_usage(self, prog, args, "Uso: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = italian_usage  # type: ignore[method-assign]
    usage = r"(?P<usage>Uso: )"
    if usage not in rich_utils.OptionHighlighter.highlights:
        rich_utils.OptionHighlighter.highlights.append(usage)

    get_help_option = core.Command.get_help_option

    def italian_help_option(self, ctx):  # noqa: ANN001, ANN202
        option = get_help_option(self, ctx)
        if option is not None and option.help == "Show this message and exit.":
            option.help = "Mostra questo messaggio ed esce."
        return option

    core.Command.get_help_option = italian_help_option  # type: ignore[method-assign]

    for cls in (
        exceptions.UsageError,
        exceptions.BadParameter,
        exceptions.MissingParameter,
        exceptions.NoSuchOption,
    ):
        original = cls.__dict__.get("format_message", cls.format_message)
        cls.format_message = _rewriting(original)  # type: ignore[method-assign]


def _rewriting(method):  # noqa: ANN001, ANN202
    def format_message(self) -> str:  # noqa: ANN001
        return _rewrite(method(self))

    return format_message
