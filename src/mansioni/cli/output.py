"""Where a report, an export or a page goes: the terminal, or a file written whole.

A file is written next to its final name and moved into place only once complete
and on disk (``os.replace`` after ``fsync``): a killed process or a full disk
leaves the previous file as it was, never half a report.
"""

from __future__ import annotations

import os
import sys
import tempfile

from mansioni.errors import InputError, StoreError
from mansioni.i18n import _


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


def emit(text: str, path: str | None) -> None:
    """Print ``text``, or write it to ``path`` whole (``-`` also means the terminal)."""
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    write_file(path, text.encode("utf-8"))


def write_file(path: str, data: bytes) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(
            _("There is no folder {folder} to write {file} in.").format(
                folder=folder, file=os.path.basename(path)
            ),
            hint=_("Write it to an existing folder, e.g. -o ~/rossi-nov.html"),
        )
    if os.path.isdir(path):
        raise InputError(
            _("{path} is a folder; give a file name.").format(path=path),
            hint=_("For example: -o {path}").format(path=os.path.join(path, "report.html")),
        )
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".mansioni-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o644 & ~_umask())
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        raise StoreError(
            _("Could not write {path}: {reason}.").format(path=path, reason=exc.strerror or exc),
            hint=_("Check the folder is writable and the disk has room; nothing was written."),
        ) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
