"""Standard output, checked: every write to it is whole, or raises a ``StoreError``.

``check_stdout`` puts this in place of Python's own stdout once, before any output:
every write to it, whoever makes it (an export, a table, a timer's line), is written
whole or said, so a full disk behind ``>`` is never a silently cut file.

Every command imports this module first (``mansioni.__main__``), the ones typed all
day too: it imports nothing of its own until a write fails (the error's words, the
translations, the disk-full rule).
"""

from __future__ import annotations

import io
import os
import sys

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from mansioni.errors import StoreError


def output_failed(exc: OSError) -> StoreError:
    """What to say when standard output could not be written (not a closed pipe)."""
    from mansioni.errors import StoreError
    from mansioni.i18n import _
    from mansioni.store.sqlite_setup import no_room

    if no_room(exc):
        return StoreError(
            _("The disk is full: the output was not written whole."),
            hint=_("Free some space, then run the command again."),
        )
    return StoreError(_("Could not write the output: {reason}.").format(reason=exc.strerror or exc))


def write_all(fd: int, data: bytes | bytearray | memoryview) -> None:
    """Write every byte of ``data`` to ``fd``, or raise ``output_failed``.

    ``os.write`` may write less than asked (a disk filling up); the rest is written
    until the disk refuses, and that refusal is raised. (Python's own buffered
    stdout loses the rest of a short write without a word.) A reader gone away
    stays a ``BrokenPipeError``, which the command line treats as the end of the
    output.
    """
    view = memoryview(data).cast("B")
    while view:
        try:
            written = os.write(fd, view)
        except BrokenPipeError:
            raise
        except BlockingIOError:  # a non-blocking descriptor inherited from the caller
            import select

            select.select([], [fd], [])
            continue
        except OSError as exc:
            raise output_failed(exc) from None
        if written <= 0:
            import errno

            raise output_failed(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
        view = view[written:]


class _CheckedStdout(io.RawIOBase):
    """File descriptor 1, where every write is whole or raises ``output_failed``.

    After a failure it swallows what is still buffered, so the error is said once
    and leaving the program does not fail a second time on the same full disk.
    """

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self.failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data) -> int:  # noqa: ANN001 - bytes, bytearray or memoryview
        size = memoryview(data).nbytes
        if not self.failed:
            try:
                write_all(self._fd, data)
            except Exception as exc:
                from mansioni.errors import StoreError  # imported by output_failed already

                if isinstance(exc, StoreError):
                    self.failed = True
                raise
        return size


def check_stdout() -> None:
    """Put a checked standard output in place of Python's (once, before any output).

    Encoding, error handling and line buffering stay those Python chose; only the
    writing underneath changes. A terminal, or a captured or missing stdout, is left
    as it is.
    """
    stream = sys.stdout
    fd = file_descriptor(stream)
    if fd is None or isinstance(
        getattr(getattr(stream, "buffer", None), "raw", None), _CheckedStdout
    ):
        return
    stream.flush()
    sys.stdout = io.TextIOWrapper(
        io.BufferedWriter(_CheckedStdout(fd)),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=stream.line_buffering,
        write_through=getattr(stream, "write_through", False),
    )


def file_descriptor(stream: object) -> int | None:
    """The descriptor behind ``stream`` if it is a file or a pipe; ``None`` for a
    terminal (which cannot fill up, and on Windows takes text, not bytes) or a
    captured stream that has none."""
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return None
    return None if os.isatty(fd) else fd
