"""Translation layer: every string a user reads goes through ``_``.

The language comes from ``MANSIONI_LANG``, then the configuration file's
``language``, then the usual locale variables (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``). English is the source
language and the fallback. Only the standard library is imported here: this
module is on the path of the commands typed many times a day.
"""

from __future__ import annotations

import os

SUPPORTED = ("en", "it")
DEFAULT = "en"
DOMAIN = "mansioni"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "locale")

TYPE_CHECKING = False
if TYPE_CHECKING:
    import gettext

_translation: gettext.NullTranslations | None = None
_language: str | None = None


def code_of(value: str) -> str | None:
    """The supported language ``value`` names (``it``, ``it_IT.UTF-8``, ``en-GB``), else None."""
    code = value.strip().split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return code if code in SUPPORTED else None


def language_source() -> tuple[str, str, str]:
    """The language in use and where it comes from: ``(code, kind, origin)``, the kind
    being ``env`` (origin: the variable), ``file`` (the configuration file) or
    ``default``. ``MANSIONI_LANG`` wins over the file, the file over the locale variables
    (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); else English. The file is read
    leniently: a bad value there is said by the command (``mansioni.config.check``), in
    the language the rest decides."""
    explicit = os.environ.get("MANSIONI_LANG")
    if explicit and code_of(explicit):
        return code_of(explicit) or DEFAULT, "env", "MANSIONI_LANG"
    from mansioni import config

    found = config.lenient("language")
    if isinstance(found, str) and code_of(found):
        return code_of(found) or DEFAULT, "file", config.file_path()
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        # LANGUAGE may hold a priority list ("it:en").
        for item in (value or "").split(":"):
            code = code_of(item) if item else None
            if code:
                return code, "env", var
    return DEFAULT, "default", ""


def _from_env() -> str:
    return language_source()[0]


def language() -> str:
    """The two-letter code of the language in use (``en`` or ``it``)."""
    global _language
    if _language is None:
        _language = _from_env()
    return _language


#: The Babel locale that formats dates, numbers and money in each language.
BABEL_LOCALE = {"en": "en_GB", "it": "it_IT"}


def babel_locale() -> str:
    return BABEL_LOCALE[language()]


def set_language(code: str | None) -> None:
    """Switch language (``None``: read the environment again on next use)."""
    global _language, _translation
    if code is not None and code not in SUPPORTED:
        raise ValueError(code)
    _language = code
    _translation = None


def translation() -> gettext.NullTranslations:
    """The catalog of the language in use (``gettext`` is imported only when needed)."""
    global _translation
    if _translation is None:
        import gettext

        if language() == DEFAULT:
            _translation = gettext.NullTranslations()
        else:
            _translation = gettext.translation(
                DOMAIN, localedir=LOCALE_DIR, languages=[language()], fallback=True
            )
    return _translation


def _(message: str) -> str:
    """Translate ``message`` into the language in use."""
    if language() == DEFAULT:  # the source language: no catalog to read
        return message
    return translation().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if language() == DEFAULT:
        return singular if n == 1 else plural
    return translation().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message
