"""Where a report, an export or a page goes: the terminal, or a file written whole.

A file is written next to its final name and moved into place only once complete
and on disk (``os.replace`` after ``fsync``): a killed process or a full disk
leaves the previous file as it was, never half a report.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from mansioni.errors import InputError, StoreError
from mansioni.i18n import _
from mansioni.store.paths import is_store_file, sqlite_path, store_url


def choose_format(value: str, allowed: tuple[str, ...], *, example: str) -> str:
    """``value`` lower-cased if it is one of ``allowed``; else a clear error."""
    chosen = value.strip().lower()
    if chosen not in allowed:
        raise InputError(
            _("{text!r} is not a format here; choose one of: {formats}.").format(
                text=value, formats=", ".join(allowed)
            ),
            hint=_("For example: {example}").format(example=example),
        )
    return chosen


def to_terminal(path: str | None) -> bool:
    return path is None or path == "-"


def check_output(path: str | None) -> None:
    """Refuse, before anything is read or written, a file that cannot be written."""
    if to_terminal(path):
        return
    assert path is not None
    name = os.path.basename(path) or "report.txt"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(
            _("There is no folder {folder} to write {file} in.").format(folder=folder, file=name),
            hint=_("Write it to an existing folder, e.g. -o {path}").format(
                path=os.path.join("~", name)
            ),
        )
    if os.path.isdir(path):
        raise InputError(
            _("{path} is a folder; give a file name.").format(path=path),
            hint=_("For example: -o {path}").format(path=os.path.join(path, "report.html")),
        )
    store = sqlite_path(store_url())
    if store is not None and is_store_file(path, store):
        raise InputError(
            _("{path} is the store itself: writing there would destroy it.").format(path=path),
            hint=_("Write to another file, e.g. -o {path}").format(path=os.path.join("~", name)),
        )


@contextmanager
def sink(path: str | None, *, private: bool = False) -> Iterator[Callable[[str], object]]:
    """A ``write(text)`` to the terminal, or to ``path`` written whole.

    The file gets mode 0600 when ``private`` (a backup holds every client's data),
    else the usual 0644 less the umask. UTF-8 whatever the terminal's encoding, so
    the same data always gives the same bytes.
    """
    if to_terminal(path):
        raw = getattr(sys.stdout, "buffer", None)
        if raw is None:  # a test runner's captured stdout
            yield sys.stdout.write
            sys.stdout.flush()
            return
        sys.stdout.flush()
        yield lambda text: raw.write(text.encode("utf-8"))
        raw.flush()
        return
    assert path is not None
    check_output(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".mansioni-", suffix=".part")
    except OSError as exc:
        raise _write_failed(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as out:

            def write(text: str) -> None:
                try:
                    out.write(text.encode("utf-8"))
                except OSError as exc:
                    raise _write_failed(path, exc) from None

            yield write  # an error of the caller's own passes through as it is
            try:
                out.flush()
                os.fsync(out.fileno())
                os.chmod(temporary, 0o600 if private else 0o644 & ~_umask())
                os.replace(temporary, path)
            except OSError as exc:
                raise _write_failed(path, exc) from None
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _write_failed(path: str, exc: OSError) -> StoreError:
    return StoreError(
        _("Could not write {path}: {reason}.").format(path=path, reason=exc.strerror or exc),
        hint=_("Check the folder is writable and the disk has room; nothing was written."),
    )


def emit(text: str, path: str | None) -> None:
    """Print ``text``, or write it to ``path`` whole (``-`` also means the terminal)."""
    with sink(path) as write:
        write(text)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
