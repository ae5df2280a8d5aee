"""The command-line framework's own words (Typer) in the user's language.

Typer marks some of its strings with the standard ``gettext``: panel titles,
``[required]``, "No such command", the error hint. It binds ``gettext.gettext`` when its
modules are imported (``from gettext import gettext as _``), and ``typer.rich_utils``
also translates a few texts at import time (``OPTIONS_PANEL_TITLE = _("Options")``). So
:func:`install` (before Typer is imported) and :func:`prepare_help` (before
``typer.rich_utils`` is, the first time a help page or an error is drawn) import them
while ``gettext.gettext`` is the ``framework`` catalog's, then give the standard library
its own functions back. Nothing in Typer is changed, nothing in ``os.environ`` either.

The rest Typer writes in plain English: "Usage: ", the help of ``--help``, the usage
errors ("Missing argument", "No such option", ...). Those are ours to say:
``mansioni.cli.app`` gives every command a usage line and a ``--help`` in the user's
language (public methods of Typer's command classes) and passes each usage error's
message through :func:`translate_usage_error`, with the words of :data:`USAGE_ERROR_WORDS`
taken from the ``mansioni`` catalog. A test checks that Typer still writes each of them
(:data:`LITERALS`).

English needs nothing: :func:`install` is then a no-op and the rest returns its input.
A missing catalog or any surprise leaves the framework in English; the command line
always works.
"""

from __future__ import annotations

import os
import re
import sys

from mansioni.i18n import DEFAULT, LOCALE_DIR, N_, _, language

TYPE_CHECKING = False
if TYPE_CHECKING:
    import gettext

DOMAIN = "framework"

#: The words Typer puts in a usage error without ``gettext``: where they stand in its
#: message, what of the match is kept before them, and the msgid that says them.
USAGE_ERROR_WORDS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^Missing argument\b"), "", N_("Missing argument")),
    (re.compile(r"^Missing option\b"), "", N_("Missing option")),
    (re.compile(r"^Missing parameter\b"), "", N_("Missing parameter")),
    (re.compile(r"^No such option:"), "", N_("No such option:")),
    (re.compile(r" \(Possible options:"), " (", N_("Possible options:")),
    (re.compile(r"^Invalid value for\b"), "", N_("Invalid value for")),
    (re.compile(r"^Invalid value:"), "", N_("Invalid value:")),
    (
        re.compile(r"^Got unexpected extra argument\(s\)"),
        "",
        N_("Got unexpected extra argument(s)"),
    ),
    (re.compile(r"\. Did you mean\b(?=.*\?$)"), ". ", N_("Did you mean")),
)

#: Whole parts of a usage error said anew (Typer's and its validator's English, with the
#: values they name): the pattern, and the msgid its named groups fill.
USAGE_ERROR_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Option (?P<name>'[^']*') requires an argument\."), N_("{name} needs a value.")),
    (
        re.compile(r"Option (?P<name>'[^']*') does not take a value\."),
        N_("{name} takes no value."),
    ),
    (
        re.compile(r"Input should be a valid integer(, unable to parse string as an integer)?"),
        N_("a whole number is needed"),
    ),
    (
        re.compile(r"Input should be greater than or equal to (?P<n>-?\d+)"),
        N_("it must be at least {n}"),
    ),
    (
        re.compile(r"Input should be less than or equal to (?P<n>-?\d+)"),
        N_("it must be at most {n}"),
    ),
)
#: "Did you mean 'report', 'export'?": the last of several suggestions joined with "or".
_SUGGESTIONS = re.compile(r"(?P<names>'[^']*'(?:, '[^']*')*), (?P<last>'[^']*')\?$")

#: The English texts Typer writes without ``gettext`` and that are said in the user's
#: language here or in ``mansioni.cli.app`` (a test checks Typer still writes each).
LITERALS: tuple[str, ...] = (
    "Usage: ",
    "Show this message and exit.",
    "Missing {param_type}",
    "No such option: ",
    "(Possible options: ",
    "Invalid value for ",
    "Invalid value: ",
    "Got unexpected extra argument(s) ",
    "Did you mean ",
    "an argument.",
    "does not take a value.",
)

_installed: str | None = None
_catalog: gettext.NullTranslations | None = None  # the framework's, once installed


def catalog_path(lang: str) -> str:
    return os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", f"{DOMAIN}.mo")


def install(lang: str | None = None) -> bool:
    """Translate Typer's gettext words into ``lang`` (default: the language in use).

    Call it before Typer is imported. True if the framework now speaks ``lang``.
    """
    global _installed, _catalog
    lang = lang or language()
    if lang == DEFAULT or _installed is not None:
        return _installed == lang
    try:
        import gettext

        catalog = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)
        if type(catalog) is gettext.NullTranslations:  # no catalog: stay in English
            return False
        _import_speaking(catalog, "typer.core")
    except Exception:  # never break the command line over a translation
        return False
    _installed, _catalog = lang, catalog
    return True


def prepare_help() -> None:
    """Import ``typer.rich_utils`` (help pages, error panels) in the installed language.

    Cheap when it is already imported or when the framework speaks English.
    """
    if _catalog is None or "typer.rich_utils" in sys.modules:
        return
    try:
        _import_speaking(_catalog, "typer.rich_utils")
    except Exception:  # never break the command line over a translation
        pass


def _import_speaking(catalog, module: str) -> None:  # noqa: ANN001 - a gettext catalog
    """Import ``module`` while ``gettext.gettext`` is the catalog's, then restore the stdlib."""
    import gettext
    import importlib

    saved = gettext.gettext, gettext.ngettext
    gettext.gettext, gettext.ngettext = catalog.gettext, catalog.ngettext
    try:
        importlib.import_module(module)
    finally:
        gettext.gettext, gettext.ngettext = saved


def translate_usage_error(text: str) -> str:
    """A usage error's message with Typer's English words in the language in use."""
    if language() == DEFAULT:
        return text
    for pattern, kept, msgid in USAGE_ERROR_WORDS:
        match = pattern.search(text)
        if match:
            text = text[: match.start()] + kept + _(msgid) + text[match.end() :]
    for phrase, msgid in USAGE_ERROR_PHRASES:
        match = phrase.search(text)
        if match:
            said = _(msgid).format(**match.groupdict())
            text = text[: match.start()] + said + text[match.end() :]
    match = _SUGGESTIONS.search(text)
    if match:
        said = _("{names} or {last}").format(**match.groupdict()) + "?"
        text = text[: match.start()] + said
    return text
