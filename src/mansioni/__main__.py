"""``mansioni`` and ``python -m mansioni``: the quick path first, else the full command line."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mansioni.errors import MansioniError


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "__complete":  # a shell asks at Tab: before anything heavy
        from mansioni.complete import main as complete

        _exit(complete(args[1:]))
    from mansioni.cli.stdout import check_stdout
    from mansioni.errors import MansioniError

    check_stdout()  # every write to stdout whole, or a StoreError: never a cut file
    code: int | None = None
    try:
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
    except MansioniError as exc:  # stdout failed outside a command (the quick path's lines)
        code = _report(exc, code)
    _exit(code)


def _exit(code: int) -> None:
    """Flush and leave without tearing down the interpreter (SQLAlchemy's teardown costs
    a quarter of a second); every file and connection is already closed by then.

    What is still buffered for stdout is written here: if the disk is full now, that
    is said (``mansioni.cli.stdout.check_stdout``) and the status is 3.
    """
    from mansioni.errors import MansioniError

    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `mansioni log | head`: the reader is gone, that is fine
        pass
    except MansioniError as exc:
        code = _report(exc, code)
    try:
        sys.stderr.flush()
    except OSError:  # nowhere left to say anything
        pass
    os._exit(code)


def _report(exc: MansioniError, code: int | None) -> int:
    """Say ``exc`` on stderr; the status is the command's own failure, else the error's."""
    from mansioni.cli.errors import report

    try:
        report(exc)
    except OSError:  # stderr is on the full disk too: the status still tells
        pass
    return code if code else int(exc.exit_code)


if __name__ == "__main__":
    main()
