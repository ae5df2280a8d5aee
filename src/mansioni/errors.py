"""The one exception family of mansioni.

Every error a user can cause or meet is a ``MansioniError``. Each class carries
the process exit status it maps to; the command line turns any of them into one
clear line on stderr (plus an example of what works, where input was bad) and
never a traceback. The statuses are documented in ``docs/reference/exit-codes.md``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # the command could not do what was asked (nothing to stop, conflict)
    BAD_INPUT = 2  # the input or the usage was wrong; nothing was written
    STORE = 3  # the store cannot be used (newer schema, locked, disk full, unreadable)
    INTERRUPTED = 130  # Ctrl-C


class MansioniError(Exception):
    """Base class: an expected error with a message meant for the user."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class InputError(MansioniError):
    """Something typed cannot be understood or is not allowed; ``hint`` shows what works."""

    exit_code = ExitCode.BAD_INPUT


class NotFoundError(InputError):
    """A client, task or entry named by the user does not exist."""


class AmbiguousError(InputError):
    """A name matches more than one client or task; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[str], *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.candidates = candidates


class ConflictError(MansioniError):
    """The request is understood but conflicts with the stored state (e.g. nothing to stop)."""

    exit_code = ExitCode.FAILURE


class StoreError(MansioniError):
    """The store cannot be opened, upgraded or written."""

    exit_code = ExitCode.STORE
