"""The one place where an expected error becomes a message and an exit status.

Every error is said the same way, on stderr: ``Error: what went wrong``, then, indented,
what to do, its example naming one of the user's own duties. A usage error of the
command line (an unknown option, a missing argument) too: :func:`usage`.
"""

from __future__ import annotations

import sys

from mansioni.errors import MansioniError, StoreError
from mansioni.i18n import _


def report(exc: MansioniError) -> int:
    """Print ``exc`` as one clear line (and its example) on stderr; return its exit status.

    The example of the hint names one of the user's own duties (``services.examples``),
    unless the store itself is the trouble."""
    hint = exc.hint
    if hint and not isinstance(exc, StoreError):
        from mansioni.services.examples import own_names

        hint = own_names(hint)
    return _say(exc.message, [hint] if hint else [], int(exc.exit_code))


def usage(message: str, usage_line: str | None, command: str) -> int:
    """A usage error (its message already in the user's language), with the command's
    usage line and where its help is; exit status 2."""
    hints = [usage_line] if usage_line else []
    return _say(message, [*hints, _("Help: {command} --help").format(command=command)], 2)


def _say(message: str, hints: list[str], status: int) -> int:
    lines = [_("Error: {message}").format(message=message)]
    lines.extend("  " + hint for hint in hints)
    from mansioni.domain.text import shown  # a name from the store or a file may be in it

    print("\n".join(shown(line, lines=True) for line in lines), file=sys.stderr)
    return status
