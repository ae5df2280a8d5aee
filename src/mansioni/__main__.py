"""``mansioni`` and ``python -m mansioni``: the quick path first, else the full command line."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    code: int | None = None
    if args and args[0] in ("start", "stop", "cancel", "status"):
        from mansioni.cli.quick import run

        code = run(args)
    if code is None:
        from mansioni.i18n import language

        if language() != "en":  # the framework's own words, before Typer is imported
            from mansioni.i18n import framework

            framework.install()
        from mansioni.cli.app import run_app

        code = run_app(args)
    _exit(code)


def _exit(code: int) -> None:
    """Flush and leave without tearing down the interpreter (SQLAlchemy's teardown costs
    a quarter of a second); every file and connection is already closed by then."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # `mansioni log | head`: the reader is gone, that is fine
        pass
    os._exit(code)


if __name__ == "__main__":
    main()
