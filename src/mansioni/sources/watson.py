"""Reading Watson's files: ``frames`` (the finished frames) and ``state`` (the running one).

Watson (td-watson, checked against 2.1.0) keeps both as JSON in its folder:

- ``frames``: a list of ``[start, stop, project, id, tags, updated_at]``, times in
  whole seconds since the epoch (UTC), ``id`` a uuid4 hex string, ``tags`` a list of
  strings. Watson's own ``Frame`` takes 4 to 6 fields (``tags`` and ``updated_at``
  have defaults), and so does this reader. Frames come in the order they were made,
  not in time order. An empty (0-byte) file is an empty list, as in Watson.
- ``state``: ``{"project": ..., "start": ..., "tags": [...]}`` while a frame runs,
  ``{}`` when none does.

A project may follow the convention ``Client/Task``; the reader keeps it whole, as
the project, and leaves the splitting to the mapping.

A frames file of years holds hundreds of thousands of frames: it is read through
twice, a chunk at a time, never held whole (as text or as JSON values). The first
time, when ``read_frames`` is called, only checks that it is a JSON list, so that a
file that is not fails at once, before anything else is done; the second, as the
rows are taken, reads its frames one by one.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from json.decoder import WHITESPACE
from pathlib import Path

from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.sources.record import BadRow, SourceEntry, content_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

FRAMES = "frames"
STATE = "state"

#: Instants outside years 1970-9999 are not times any tool of ours can show.
_LATEST = 253402300799

_SPACE = WHITESPACE.match
_AFTER_VALUE = frozenset(",] \t\n\r")
_decode = json.JSONDecoder().raw_decode


def default_path() -> Path:
    """Watson's folder: ``$WATSON_DIR`` if set and not empty, else click's
    ``get_app_dir("watson")``, the rule Watson itself follows (copied here because
    mansioni does not import click): ``%APPDATA%\\watson`` on Windows (the home folder
    if APPDATA is unset), ``~/Library/Application Support/watson`` on macOS, else
    ``$XDG_CONFIG_HOME/watson`` (``~/.config/watson`` when XDG_CONFIG_HOME is unset;
    an empty one is used as it is, as click does)."""
    explicit = os.environ.get("WATSON_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA") or os.path.expanduser("~"), "watson")
    if sys.platform == "darwin":
        return Path(os.path.expanduser("~/Library/Application Support"), "watson")
    return Path(os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config")), "watson")


def read_frames(path: Path) -> Iterator[SourceEntry | BadRow]:
    """Every frame of ``path`` (Watson's folder or its ``frames`` file), in file order.

    ``line`` is the frame's position in the list, from 1; ``key`` is Watson's frame id.
    A frame that cannot be read is a ``BadRow``; a file that cannot be read, or is not
    a JSON list at all, raises ``InputError`` here, at the call, before any row is taken.
    """
    file = _frames_file(path)
    if file is None:
        return iter(())
    return _rows(file.name, _checked_frames(file))


def _rows(name: str, frames: Iterator[object]) -> Iterator[SourceEntry | BadRow]:
    """The rows of ``frames``; a frame whose id an earlier frame has is a ``BadRow``.

    The ids seen are a set, and ``ids`` the id each line brought first (None for the
    others): a line number for each id would be an object for each frame, for a message
    most files never need. The map from id to line is made from ``ids`` at the first id
    used again."""
    seen: set[str] = set()
    ids: list[str | None] = []
    first_line: dict[str, int] | None = None
    for line, frame in enumerate(frames, start=1):
        row = _frame(name, line, frame)
        key = row.key if isinstance(row, SourceEntry) else None
        if key is not None and key in seen:
            if first_line is None:
                first_line = {id_: at for at, id_ in enumerate(ids, start=1) if id_ is not None}
            row = BadRow(
                name,
                line,
                _("the id {id} is used again (first at line {first}).").format(
                    id=key, first=first_line[key]
                ),
            )
            key = None
        elif key is not None:
            seen.add(key)
            if first_line is not None:
                first_line[key] = line
        ids.append(key)
        yield row


def running_frame(path: Path) -> SourceEntry | BadRow | None:
    """The frame running in Watson's ``state`` file beside ``frames`` (``path`` is the
    folder or the frames file), with ``end`` None; None when no frame runs (no file,
    an empty file, ``{}``, or no project, as Watson reads it). A state that cannot be
    read is a ``BadRow``, so it does not stop the import of the finished frames."""
    path = Path(path).expanduser()
    file = (path if path.is_dir() else path.parent) / STATE
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        return BadRow(STATE, 1, _("it cannot be read: {reason}.").format(reason=exc))
    if not text.strip():
        return None
    try:
        state = json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly nested JSON
        return BadRow(STATE, 1, _("it is not JSON: {reason}.").format(reason=exc))
    if not isinstance(state, dict):
        return BadRow(STATE, 1, _("it is not a JSON object: {value}.").format(value=_show(state)))
    if not state.get("project"):
        return None
    return _entry(
        STATE,
        1,
        start=state.get("start"),
        end=None,
        project=state["project"],
        key=None,
        tags=state.get("tags") or [],
    )


def _frames_file(path: Path) -> Path | None:
    """The frames file named by ``path``; None for a Watson folder that has a state
    but no frames yet (a first frame still running)."""
    path = Path(path).expanduser()
    example = _("For example: {example}").format(example="mansioni import watson ~/.config/watson")
    if path.is_dir():
        if (path / FRAMES).is_file():
            return path / FRAMES
        if (path / STATE).is_file():
            return None
        raise InputError(
            _("{path} is not a Watson folder: it has no frames file.").format(path=path),
            hint=example,
        )
    if not path.exists():
        raise InputError(_("There is no {path}.").format(path=path), hint=example)
    return path


#: How much of a frames file is read at a time (characters).
_CHUNK = 1 << 16


def _checked_frames(file: Path) -> Iterator[object]:
    """The frames of ``file``, one at a time; checked whole first (``InputError`` now if
    the file cannot be read or is not a JSON list), then read again as they are taken.

    The file stays open in between: Watson saves it by replacing it, so the frames read
    are those that were checked. Where the chunked reading finds anything wrong, the
    whole file is read the plain way, which refuses it with ``json``'s own words (or,
    should it not, is what is read)."""
    try:
        handle = open(file, encoding="utf-8", newline="")  # closed by _frames_of, or below
    except OSError:
        return iter(_load_frames(file))
    try:
        for _frame_value in _elements(handle):
            pass
        handle.seek(0)
    except (OSError, ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
        handle.close()
        return iter(_load_frames(file))
    return _frames_of(handle, file)


def _frames_of(handle: TextIO, file: Path) -> Iterator[object]:
    with handle:
        try:
            yield from _elements(handle)
        except OSError as exc:
            raise _unreadable(file, exc) from None


class _Malformed(ValueError):
    """The text is not one JSON list (``json.loads`` says how)."""


class _Chunks:
    """The text of a file, read a chunk at a time: ``text[at:]`` is what is left of
    the chunks read so far."""

    def __init__(self, handle: TextIO) -> None:
        self.handle = handle
        self.text = ""
        self.at = 0
        self.ended = False

    def more(self) -> bool:
        """Read the next chunk; False at the end of the file."""
        chunk = "" if self.ended else self.handle.read(_CHUNK)
        if not chunk:
            self.ended = True
            return False
        self.text = self.text[self.at :] + chunk
        self.at = 0
        return True

    def next_char(self) -> str:
        """The next character that is not JSON's whitespace, left unread; "" at the end."""
        while True:
            self.at = _SPACE(self.text, self.at).end()
            if self.at < len(self.text):
                return self.text[self.at]
            if not self.more():
                return ""

    def value(self) -> object:
        """The JSON value that starts at the next character."""
        self.next_char()
        while True:
            try:
                value, end = _decode(self.text, self.at)
            except json.JSONDecodeError:
                if self.more():  # cut short by the chunk's end, maybe
                    continue
                raise
            # A value is followed by a comma, a bracket or whitespace: anything else (or
            # nothing yet) may be a number going on in the next chunk ("0." of "0.5").
            if (end == len(self.text) or self.text[end] not in _AFTER_VALUE) and self.more():
                continue
            self.at = end
            return value


def _elements(handle: TextIO) -> Iterator[object]:
    """The values of the JSON list in ``handle``, one by one; a ``ValueError`` (or a
    ``RecursionError``) where ``json.loads`` would refuse the whole text. An empty file
    is an empty list."""
    chunks = _Chunks(handle)
    if not chunks.more():
        return
    if chunks.next_char() != "[":
        raise _Malformed
    chunks.at += 1
    if chunks.next_char() == "]":
        chunks.at += 1
    else:
        while True:
            yield chunks.value()
            after = chunks.next_char()
            chunks.at += 1
            if after == "]":
                break
            if after != ",":
                raise _Malformed
    if chunks.next_char():
        raise _Malformed  # something after the list


def _unreadable(file: Path, exc: OSError) -> InputError:
    return InputError(
        _("Could not read {file}: {reason}.").format(file=file, reason=exc.strerror or exc),
        hint=_("Watson keeps its frames as a JSON list in the file frames of its folder."),
    )


def _load_frames(file: Path) -> list:
    """The whole frames file at once: what ``_checked_frames`` falls back on."""
    hint = _("Watson keeps its frames as a JSON list in the file frames of its folder.")
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise _unreadable(file, exc) from None
    if not raw:
        return []
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError too
        raise InputError(
            _("{file} is not a Watson frames file: {reason}.").format(file=file, reason=exc),
            hint=hint,
        ) from None
    if not isinstance(data, list):
        raise InputError(
            _("{file} is not a Watson frames file: it holds no list of frames.").format(file=file),
            hint=hint,
        )
    return data


def _frame(file: str, line: int, frame: object) -> SourceEntry | BadRow:
    if not isinstance(frame, list) or not 4 <= len(frame) <= 6:
        return BadRow(
            file,
            line,
            _(
                "it is not a frame: Watson writes [start, stop, project, id, tags, updated_at], here {value}."
            ).format(value=_show(frame)),
        )
    start, stop, project, key = frame[:4]
    tags = frame[4] if len(frame) > 4 and frame[4] is not None else []
    if not isinstance(key, str) or not key:
        return BadRow(file, line, _("the id is not text: {value}.").format(value=_show(key)))
    if stop is None:
        return BadRow(file, line, _("it has no end."))
    return _entry(file, line, start=start, end=stop, project=project, key=key, tags=tags)


def _entry(
    file: str,
    line: int,
    *,
    start: object,
    end: object,
    project: object,
    key: str | None,
    tags: object,
) -> SourceEntry | BadRow:
    """One Watson frame (``end`` None for the running one), checked field by field."""
    begin = _instant(start)
    if begin is None:
        return BadRow(file, line, _("the start is not a time: {value}.").format(value=_show(start)))
    finish = None
    if end is not None:
        finish = _instant(end)
        if finish is None:
            return BadRow(file, line, _("the end is not a time: {value}.").format(value=_show(end)))
        if finish < begin:
            return BadRow(file, line, _("its end comes before its start."))
    if not isinstance(project, str) or not project.strip():
        return BadRow(
            file, line, _("the project is not a name: {value}.").format(value=_show(project))
        )
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        return BadRow(
            file, line, _("the tags are not a list of words: {value}.").format(value=_show(tags))
        )
    if key is None:  # the running frame has no id yet
        key = content_key("watson", "running", begin, project)
    return SourceEntry(
        file, line, key, begin, finish, None, None, project, None, tuple(dict.fromkeys(tags))
    )


def _instant(value: object) -> int | None:
    """Whole seconds since the epoch, as Watson writes them (an integral float too)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 0 <= value <= _LATEST:
        return value
    return None


def _show(value: object) -> str:
    """A value as JSON, cut short: what the user would look for in the file."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
