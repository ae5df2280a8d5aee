"""Turning database failures into ``StoreError`` with a message a person can act on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from mansioni.errors import StoreError
from mansioni.i18n import _


def describe(message: str) -> StoreError:
    text = message.lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            _("The store is busy: another mansioni command is writing. Nothing was changed."),
            hint=_("Try again in a moment."),
        )
    if "full" in text or "no space" in text:
        return StoreError(
            _("The disk is full: nothing was changed and the store is intact."),
            hint=_("Free some space, then run the command again."),
        )
    if "readonly" in text or "read-only" in text or "permission" in text:
        return StoreError(
            _("The store cannot be written (read-only file or folder). Nothing was changed."),
            hint=_(
                "Check the permissions of the data directory (mansioni info shows where it is)."
            ),
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StoreError(
            _("The store file is damaged or is not a mansioni store."),
            hint=_(
                "If a backup copy lies next to it (mansioni.db.*.bak), restore that; mansioni info shows where."
            ),
        )
    return StoreError(_("The store could not be used: {reason}").format(reason=message))


@contextmanager
def translate_sqlite_error() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise describe(str(exc)) from None
