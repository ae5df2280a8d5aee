"""Turning database failures into ``StoreError`` with a message a person can act on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from mansioni.errors import StoreError
from mansioni.i18n import _


def describe(message: str, path: str | None = None) -> StoreError:
    """The ``StoreError`` for SQLite's ``message`` about the store file ``path`` (by
    default the one this process opened last). A store SQLite calls malformed is
    marked damaged, so that no command writes into it until ``mansioni doctor`` finds
    it sound again."""
    from mansioni.store import sqlite_setup

    text = message.lower()
    path = path or sqlite_setup.last_opened()
    if "malformed" in text or "corrupt" in text:
        if path is not None:
            sqlite_setup.mark_damaged(path, message)
        return damaged_error()
    if "disk i/o error" in text:
        # SQLite says SQLITE_IOERR, not SQLITE_FULL, when the -shm or the -wal cannot
        # grow for lack of space.
        if path is not None and sqlite_setup.disk_nearly_full(path):
            return describe("database or disk is full")
        return StoreError(
            _(
                "The disk reported an error while the store was in use (disk I/O error). Nothing was changed."
            ),
            hint=_("Check the disk, then run mansioni doctor to check the store."),
        )
    if path is not None and ("readonly" in text or "read-only" in text):
        if sqlite_setup.is_marked_damaged(path):
            return damaged_error()
    if path is not None and "unable to open" in text and not sqlite_setup.can_write(path):
        text = "readonly"
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
    if "not a database" in text:
        return StoreError(
            _("The store file is damaged or is not a mansioni store."),
            hint=_(
                "If a backup copy lies next to it (mansioni.db.*.bak), restore that; mansioni info shows where."
            ),
        )
    return StoreError(_("The store could not be used: {reason}").format(reason=message))


def damaged_error() -> StoreError:
    """The store is damaged: nothing is written to it until ``mansioni doctor`` passes."""
    return StoreError(
        _(
            "The store is damaged: nothing was changed, and nothing will be written to it until it is repaired."
        ),
        hint=_(
            "Run mansioni doctor to see what is wrong and where your newest backup is; reading commands (log, export) still work as far as the store can be read."
        ),
    )


@contextmanager
def translate_sqlite_error(path: str | None = None) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise describe(str(exc), path) from None
