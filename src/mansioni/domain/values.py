"""Parsing the small values people type for clients and tasks: money, days, choices."""

from __future__ import annotations

import re

from mansioni.errors import InputError
from mansioni.i18n import _

_MONEY = re.compile(
    r"^\s*(?:€|\$|£)?\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*(?:€|eur|usd|gbp|chf)?\s*$", re.I
)
_DAYS = re.compile(r"^\s*(\d{1,4})\s*(d|g|w|s|days?|giorni|weeks?|settimane)?\s*$", re.I)
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")


def parse_money(text: str) -> int:
    """``28``, ``28.50``, ``28,50``, ``€28`` -> cents (``2850``). Never negative."""
    match = _MONEY.match(text)
    if not match:
        raise InputError(
            _("Cannot understand the amount {text!r}.").format(text=text),
            hint=_("Write it like 28, 28.50 or 28,50"),
        )
    units, fraction = match.groups()
    return int(units) * 100 + int((fraction or "0").ljust(2, "0"))


def parse_days(text: str) -> int:
    """``90``, ``90d``, ``90g``, ``12w`` -> days (1 to 3650)."""
    match = _DAYS.match(text)
    days = 0
    if match:
        number, unit = int(match.group(1)), (match.group(2) or "d").lower()
        days = number * 7 if unit[0] in "ws" else number
    if not 1 <= days <= 3650:
        raise InputError(
            _("Cannot understand the trial length {text!r}.").format(text=text),
            hint=_("Write it in days or weeks, like 90d or 12w"),
        )
    return days


def parse_currency(text: str) -> str:
    if not _CURRENCY.match(text.strip()):
        raise InputError(
            _("{text!r} is not a currency code.").format(text=text),
            hint=_("Use a three-letter ISO code, like EUR, USD or CHF"),
        )
    return text.strip().upper()


def parse_choice(text: str, choices: dict[str, str], *, what: str) -> str:
    """Map what was typed (English or Italian word) to a stored value."""
    key = text.strip().lower()
    if key in choices:
        return choices[key]
    raise InputError(
        _("{text!r} is not a valid {what}.").format(text=text, what=what),
        hint=_("Choose one of: {choices}").format(choices=", ".join(sorted(set(choices)))),
    )


BASIS_WORDS = {
    "occurrence": "occurrence",
    "esecuzione": "occurrence",
    "week": "week",
    "settimana": "week",
    "month": "month",
    "mese": "month",
}

STATE_WORDS = {
    "trial": "trial",
    "prova": "trial",
    "active": "active",
    "attiva": "active",
    "handed-back": "handed_back",
    "handed_back": "handed_back",
    "ripresa": "handed_back",
    "archived": "archived",
    "archiviata": "archived",
}
