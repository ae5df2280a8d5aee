"""Days said in prose, as the user's language writes them.

``6 Dec 2026`` in English, ``6 dic 2026`` in Italian: never an ISO date in a sentence,
never a zero-padded day. Where a preposition comes before a day, the whole phrase is
made here, because in Italian the article fused with it depends on how the number is
said: "dal 6 dic", but "dall'8 dic", "dall'1", "dall'11"; "al 6", "all'8".
"""

from __future__ import annotations

from datetime import date

from mansioni.i18n import _, babel_locale, language

#: Days whose number is said starting with a vowel in Italian: uno, otto, undici.
_ELIDED = frozenset({1, 8, 11})


def day(value: date) -> str:
    """A day with its year: "6 Dec 2026" / "6 dic 2026"."""
    from babel.dates import format_date

    return format_date(value, "d MMM y", locale=babel_locale())


def day_no_year(value: date) -> str:
    from babel.dates import format_date

    return format_date(value, "d MMM", locale=babel_locale())


def weekday(value: date, *, year: bool = True) -> str:
    """A day with its weekday, as a heading, a table's row or a time's day writes it:
    "Sun 6 Dec 2026" / "dom 6 dic 2026"; without ``year``, "Sun 6 Dec" / "dom 6 dic"."""
    from babel.dates import format_date

    return format_date(value, "EEE d MMM y" if year else "EEE d MMM", locale=babel_locale())


def since(value: date) -> str:
    """ "since 6 Dec 2026" / "dal 6 dic 2026", "dall'8 dic 2026"."""
    if language() == "it":
        return ("dall'" if value.day in _ELIDED else "dal ") + day(value)
    return _("since {date}").format(date=day(value))


def span(start: date, end: date) -> str:
    """ "from 19 Oct to 6 Dec 2026" / "dal 19 ott al 6 dic 2026": the year said once
    where both days fall in it."""
    first = day(start) if start.year != end.year else day_no_year(start)
    if language() == "it":
        opening = ("dall'" if start.day in _ELIDED else "dal ") + first
        closing = ("all'" if end.day in _ELIDED else "al ") + day(end)
        return f"{opening} {closing}"
    return _("from {start} to {end}").format(start=first, end=day(end))


def interval(first: date, last: date) -> str:
    """``1–30 Nov 2026``, ``19 Oct – 16 Nov 2026``: a span of days as each language writes
    it in a heading or a parenthesis (a period, an invoice's); never a padded day
    (CLDR's Italian would write ``01–30 nov 2026``)."""
    import re

    from babel.dates import format_interval

    if first == last:
        return day(first)
    text = format_interval(first, last, "yMMMd", locale=babel_locale())
    return re.sub(r"(?<!\d)0(\d)(?!\d)", r"\1", text)  # only days are numbers below 10
