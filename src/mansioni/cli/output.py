"""Where a report, an export or a page goes: the terminal, or a file written whole.

A file is written next to its final name and moved into place only once complete
and on disk (``os.replace`` after ``fsync``): a killed process or a full disk
leaves the previous file as it was, never half a report. Only a regular file is
ever replaced: a link, a named pipe or a device at the path is refused.

Standard output is checked too, in one place (``check_stdout``): every write to it,
whoever makes it (an export, a table, a timer's line), is written whole or raises a
``StoreError``, so a full disk behind ``>`` is said, never a silently cut file.
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import contextmanager

from mansioni.errors import InputError, StoreError
from mansioni.i18n import _
from mansioni.store.paths import is_store_file, sqlite_path, store_url
from mansioni.store.sqlite_setup import no_room

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


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
    if os.path.isdir(path) and not os.path.islink(path):
        raise InputError(
            _("{path} is a folder; give a file name.").format(path=path),
            hint=_("For example: -o {path}").format(path=os.path.join(path, "report.html")),
        )
    from mansioni.services.export import refuse_special

    refuse_special(path, lambda target: f"-o {target}")
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
    the same data always gives the same bytes. A write that fails (a full disk)
    raises a ``StoreError``; a file is then not written at all.
    """
    if to_terminal(path):
        fd = _file(sys.stdout)
        if fd is None:  # a terminal (it cannot fill up), or a test runner's captured stdout
            raw = getattr(sys.stdout, "buffer", None)
            if raw is None:
                yield sys.stdout.write
                sys.stdout.flush()
                return
            sys.stdout.flush()
            yield lambda text: raw.write(text.encode("utf-8"))
            raw.flush()
            return
        sys.stdout.flush()
        yield lambda text: write_all(fd, text.encode("utf-8"))
        return
    assert path is not None
    check_output(path)
    import tempfile

    from mansioni.services.export import refuse_special, write_failed

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".mansioni-", suffix=".part")
    except OSError as exc:
        raise write_failed(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as out:

            def write(text: str) -> None:
                try:
                    out.write(text.encode("utf-8"))
                except OSError as exc:
                    raise write_failed(path, exc) from None

            yield write  # an error of the caller's own passes through as it is
            try:
                out.flush()
                os.fsync(out.fileno())
                os.chmod(temporary, 0o600 if private else 0o644 & ~_umask())
                # Again at the last moment: what stands at the path now is what is replaced.
                refuse_special(path, lambda target: f"-o {target}")
                os.replace(temporary, path)
            except OSError as exc:
                raise write_failed(path, exc) from None
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def emit(text: str, path: str | None) -> None:
    """Print ``text``, or write it to ``path`` whole (``-`` also means the terminal)."""
    with sink(path) as write:
        write(text)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- standard output, checked -------------------------------------------------------------


def output_failed(exc: OSError) -> StoreError:
    """What to say when standard output could not be written (not a closed pipe)."""
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
            except StoreError:
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
    fd = _file(stream)
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


def _file(stream: object) -> int | None:
    """The descriptor behind ``stream`` if it is a file or a pipe; ``None`` for a
    terminal (which cannot fill up, and on Windows takes text, not bytes) or a
    captured stream that has none."""
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return None
    return None if os.isatty(fd) else fd
