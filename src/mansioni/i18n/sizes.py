"""A size in bytes as a person reads it, in the language's number format."""

from __future__ import annotations

from mansioni.i18n import _, babel_locale


def file_size(size: int) -> str:
    """``size`` bytes in KB below a megabyte, else in MB, one decimal at most."""
    from babel.numbers import format_decimal

    if size < 1024 * 1024:
        return _("{n} KB").format(n=format_decimal(size / 1024, "#,##0.#", locale=babel_locale()))
    return _("{n} MB").format(
        n=format_decimal(size / 1024 / 1024, "#,##0.#", locale=babel_locale())
    )
