"""Turning database failures into ``StoreError`` with a message a person can act on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from mansioni.errors import StoreError
from mansioni.i18n import _


def describe(
    error: str | BaseException, path: str | None = None, *, message: str | None = None
) -> StoreError:
    """The ``StoreError`` for a database failure: ``error`` is the exception (or, for a
    case the caller names itself, SQLite's words), ``path`` the store file it is about
    (``None``: not a SQLite file, or not known), ``message`` the error's words as they
    may be shown (a driver's words scrubbed of the URL's secrets).

    A store SQLite itself reports damaged (SQLITE_CORRUPT, SQLITE_NOTADB: decided on
    the error's code, never on its words) is marked, so that no command writes into it
    until ``mansioni doctor`` finds it sound again."""
    from mansioni.store import sqlite_setup

    message = str(error) if message is None else message
    text = message.lower()
    if sqlite_setup.is_damage(error):  # type: ignore[arg-type]
        if path is not None:
            sqlite_setup.mark_damaged(path, message)
        if sqlite_setup.primary_code(error) == sqlite3.SQLITE_NOTADB:  # type: ignore[arg-type]
            return StoreError(
                _("The store file is damaged or is not a mansioni store."),
                hint=_(
                    "If a backup copy lies next to it (mansioni.db.*.bak), restore that; mansioni info shows where."
                ),
            )
        return damaged_error()
    if "disk i/o error" in text:
        # SQLite says SQLITE_IOERR, not SQLITE_FULL, when the -shm or the -wal cannot
        # grow for lack of space.
        if path is not None and sqlite_setup.disk_nearly_full(path):
            return disk_full_error()
        # An I/O error at commit (SQLITE_IOERR_FSYNC) may come after the change reached
        # the -wal: SQLite may then find it there on the next open.
        return StoreError(
            _(
                "The disk reported an error while the store was in use (disk I/O error): the last change may not have been saved; mansioni status and mansioni log show what was."
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
        return disk_full_error()
    if "readonly" in text or "read-only" in text or "permission" in text:
        return read_only_error()
    return StoreError(_("The store could not be used: {reason}").format(reason=message))


def disk_full_error() -> StoreError:
    """No room on the disk: the transaction was rolled back whole."""
    return StoreError(
        _("The disk is full: nothing was changed and the store is intact."),
        hint=_("Free some space, then run the command again."),
    )


def read_only_error() -> StoreError:
    """The store's file, folder or disk cannot be written: nothing was."""
    return StoreError(
        _("The store cannot be written (read-only file or folder). Nothing was changed."),
        hint=_("Check the permissions of the data directory (mansioni info shows where it is)."),
    )


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
        raise describe(exc, path) from None
