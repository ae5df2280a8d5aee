"""The one place where an expected error becomes a message and an exit status."""

from __future__ import annotations

import sys

from mansioni.errors import MansioniError
from mansioni.i18n import _


def report(exc: MansioniError) -> int:
    """Print ``exc`` as one clear line (and its example) on stderr; return its exit status."""
    lines = [_("Error: {message}").format(message=exc.message)]
    if exc.hint:
        lines.append("  " + exc.hint)
    from mansioni.domain.text import shown  # a name from the store or a file may be in it

    print("\n".join(shown(line, lines=True) for line in lines), file=sys.stderr)
    return int(exc.exit_code)
