"""Where a report, an export or a page goes: the terminal, or a file written whole.

A file is written next to its final name and moved into place only once complete
and on disk (``os.replace`` after ``fsync``): a killed process or a full disk
leaves the previous file as it was, never half a report. Only a regular file is
ever replaced: a link, a named pipe or a device at the path is refused.

Every file written says so, in one place (``sink``): ``Wrote the report for Studio Rossi,
1–30 Nov 2026 (HTML) to rossi-nov.html.`` on standard error, once the file is in place;
each command names what it wrote (``what``), and where it names nothing the path alone
is said.

Standard output is checked too, in one place (``mansioni.cli.stdout``): every write to
it, whoever makes it (an export, a table, a timer's line), is written whole or raises a
``StoreError``, so a full disk behind ``>`` is said, never a silently cut file.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

from mansioni.cli.stdout import file_descriptor, write_all
from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.store.paths import is_store_file, sqlite_path, store_url

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
    from mansioni.services.export import refuse_special

    refuse_special(path, lambda target: f"-o {target}", name_in_folder="report.html")
    store = sqlite_path(store_url())
    if store is not None and is_store_file(path, store):
        raise InputError(
            _("{path} is the store itself: writing there would destroy it.").format(path=path),
            hint=_("Write to another file, e.g. -o {path}").format(path=os.path.join("~", name)),
        )


#: Each file format as a person names it, in ``Wrote the report ... (HTML) to ...``.
FORMAT_NAMES = {
    "html": "HTML",
    "md": "Markdown",
    "csv": "CSV",
    "json": "JSON",
    "jsonl": "JSON Lines",
}


def format_name(fmt: str) -> str:
    """``HTML``, ``Markdown``...; ``text`` for a table written to a file."""
    return FORMAT_NAMES.get(fmt) or _("text")


def wrote(path: str, what: str | None = None) -> None:
    """Say, on standard error, that ``path`` was written, and with what."""
    from mansioni.domain.text import shown

    if what:
        line = _("Wrote {what} to {path}.").format(what=what, path=shown(path))
    else:
        line = _("Wrote {path}.").format(path=shown(path))
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


@contextmanager
def sink(
    path: str | None, *, private: bool = False, what: str | None = None
) -> Iterator[Callable[[str], object]]:
    """A ``write(text)`` to the terminal, or to ``path`` written whole.

    The file gets mode 0600 when ``private`` (a backup holds every client's data),
    else the usual 0644 less the umask. UTF-8 whatever the terminal's encoding, so
    the same data always gives the same bytes. A write that fails (a full disk)
    raises a ``StoreError``; a file is then not written at all. Once it is in place,
    the user is told (``wrote``): ``what`` it holds, in words, and where.
    """
    if to_terminal(path):
        fd = file_descriptor(sys.stdout)
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
    wrote(path, what)


def emit(text: str, path: str | None, *, what: str | None = None) -> None:
    """Print ``text``, or write it to ``path`` whole (``-`` also means the terminal) and
    say so, naming ``what`` it holds."""
    with sink(path, what=what) as write:
        write(text)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
