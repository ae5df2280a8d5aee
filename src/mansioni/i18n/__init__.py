"""Translation layer: every string a user reads goes through ``_``.

The language comes from ``MANSIONI_LANG``, then the usual locale variables
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``). English is the source
language and the fallback. Only the standard library is imported here: this
module is on the path of the commands typed many times a day.
"""

from __future__ import annotations

import gettext as _gettext
import os
from pathlib import Path

SUPPORTED = ("en", "it")
DEFAULT = "en"
DOMAIN = "mansioni"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_translation: _gettext.NullTranslations | None = None
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


def set_language(code: str | None) -> None:
    """Switch language (``None``: read the environment again on next use)."""
    global _language, _translation
    if code is not None and code not in SUPPORTED:
        raise ValueError(code)
    _language = code
    _translation = None


def translation() -> _gettext.NullTranslations:
    global _translation
    if _translation is None:
        lang = language()
        if lang == DEFAULT:
            _translation = _gettext.NullTranslations()
        else:
            _translation = _gettext.translation(
                DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True
            )
    return _translation


def _(message: str) -> str:
    """Translate ``message`` into the language in use."""
    return translation().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translation().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet."""
    return message
