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
    print("\n".join(lines), file=sys.stderr)
    return int(exc.exit_code)
