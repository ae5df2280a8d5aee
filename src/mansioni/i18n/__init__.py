"""Translation layer: every string a user reads goes through ``_``.

The language comes from ``MANSIONI_LANG``, then the usual locale variables
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``). English is the source
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


def _from_env() -> str:
    explicit = os.environ.get("MANSIONI_LANG")
    candidates = [explicit] if explicit else []
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            # LANGUAGE may hold a priority list ("it:en").
            candidates.extend(value.split(":"))
    for value in candidates:
        code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
        if code in SUPPORTED:
            return code
    return DEFAULT


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
