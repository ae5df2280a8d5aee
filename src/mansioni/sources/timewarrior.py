"""Reading Timewarrior's data files: ``data/YYYY-MM.data``, one interval a line.

A line, as Timewarrior writes it (``Interval::serialize``, 1.4 and later)::

    inc 20261019T070000Z - 20261019T083000Z # Newsletter "Studio Rossi" bozza # "Prima bozza"
    inc 20261127T083000Z # Fatture "Studio Rossi"        (open: no end)

Times are UTC, ``YYYYMMDDTHHMMSSZ``. Tags come after a ``#``, sorted; a tag is quoted
(``"..."``, with ``\\"`` for a quote) when it holds a space, a quote or one of
``+-/()<^!=~_%``. The annotation comes after a second ``#``, always quoted the same
way. Timewarrior never escapes a backslash when it writes, and refuses to save a tag
or an annotation that would not read back the same ("Failed encode / decode check").

Reading follows Timewarrior's own lexer (checked against timew 1.4.3 with the lines of
``tests/fixtures/import/timewarrior/quirks``), quirks included, so that an import sees
the tags ``timew export`` shows:

- words are split at ASCII white space only (space, tab, CR, LF, VT, FF);
- a word that starts with ``"`` or ``'`` is a quoted string up to the same quote, with
  the escapes ``\\" \\' \\\\ \\b \\f \\n \\r \\t \\v``, ``\\uXXXX`` and ``U+XXXX``
  (any other ``\\c`` is ``c``); when no quote closes it, it is a plain word;
- a word that starts with digits is cut before an operator character, as a number:
  ``12*3`` is the two tags ``12`` and ``*3`` (so Timewarrior refuses to write that tag);
- other words are taken as they are, backslashes included, but lose a pair of quotes
  that opens and closes them (a quote left unclosed by the rule above);
- a ``#`` word, quoted or not, ends the tags; the annotation is the words after it,
  joined by one space; duplicate tags count once.

Stricter than Timewarrior: a line that is not ``inc <start> [- <end>] [# ...]`` with
real times, or whose end comes before its start, is a ``BadRow`` (Timewarrior would
drop the text it does not expect, or read a nonsense interval). Blank lines are
skipped (Timewarrior stops at them).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from mansioni.errors import InputError
from mansioni.i18n import _
from mansioni.sources.record import BadRow, SourceEntry, content_key

#: What Timewarrior's lexer takes for white space: ASCII only (it looks at bytes).
_BLANK = " \t\n\r\v\f"
_SPACE = frozenset(_BLANK)
#: After a number, one of these (or white space, or the end) lets the number end.
_OPERATOR = frozenset("+-*/()<>^!%=~")
_QUOTES = "\"'"
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?(?:[0-9]+(?:\.[0-9]*)?)?)?")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_STAMP = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z")
_MONTH_FILE = re.compile(r"[0-9]{4}-[0-9]{2}\.data")
#: What a backslash makes of the character after it (any other stays as it is).
_ESCAPES = {
    '"': '"',
    "'": "'",
    "\\": "\\",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
}


class _Unreadable(ValueError):
    """A line that is not an interval; the message is the reason shown to the user."""


def default_path() -> Path:
    """Timewarrior's folder, by its own rule (src/paths.cpp, 1.5 and later):
    ``$TIMEWARRIORDB`` if set (and not empty); else ``~/.timewarrior`` if it exists
    (the only place up to 1.4, and still first); else, on Unix and macOS,
    ``$XDG_DATA_HOME/timewarrior`` (``~/.local/share/timewarrior``); on Windows
    ``~/.timewarrior``. The data files are in its ``data`` folder."""
    explicit = os.environ.get("TIMEWARRIORDB")
    if explicit:
        return Path(explicit)
    legacy = Path(os.path.expanduser("~/.timewarrior"))
    if legacy.is_dir() or sys.platform.startswith("win"):
        return legacy
    base = os.environ.get("XDG_DATA_HOME", os.path.expanduser("~/.local/share"))
    return Path(base, "timewarrior")


def read_data(path: Path) -> Iterator[SourceEntry | BadRow]:
    """Every interval in the month files of ``path``: Timewarrior's folder (holding
    ``data``), its ``data`` folder, or one ``YYYY-MM.data`` file. Files are read in
    name order (which is time order), lines in file order; ``line`` counts from 1 in
    its file. ``key`` hashes start and end only, so a retag or a new annotation is
    the same interval; ``tags`` keep the file's order; ``note`` is the annotation."""
    for file in _month_files(Path(path).expanduser()):
        yield from _read_file(file)


def parse_line(text: str) -> tuple[int, int | None, tuple[str, ...], str | None]:
    """``(start, end, tags, annotation)`` of one line; ``end`` None for an open
    interval, ``annotation`` None for none. Raises ``ValueError`` with the reason."""
    words = _words(text)
    if not words or words[0] != "inc":
        raise _Unreadable(_('it does not start with "inc".'))
    if len(words) == 1 or words[1] == "#":
        raise _Unreadable(_("it has no start time."))
    start = _instant(words[1], _("the start is not a time: {value}."))
    end = None
    at = 2
    if at < len(words) and words[at] == "-":
        if at + 1 >= len(words):
            raise _Unreadable(_("the end is not a time: {value}.").format(value='""'))
        end = _instant(words[at + 1], _("the end is not a time: {value}."))
        if end < start:
            raise _Unreadable(_("its end comes before its start."))
        at += 2
    if at < len(words) and words[at] != "#":
        raise _Unreadable(
            _('after the times comes {value} instead of "#" and the tags.').format(
                value=_show(words[at])
            )
        )
    rest = words[at + 1 :]
    tags = rest[: rest.index("#")] if "#" in rest else rest
    note = " ".join(rest[len(tags) + 1 :]) if "#" in rest else ""
    return start, end, tuple(dict.fromkeys(tags)), note or None


def _month_files(path: Path) -> list[Path]:
    example = _("For example: {example}").format(
        example="mansioni import timewarrior ~/.timewarrior"
    )
    if not path.exists():
        raise InputError(_("There is no {path}.").format(path=path), hint=example)
    if path.is_file():
        return [path]
    folder = path / "data" if (path / "data").is_dir() else path
    try:
        names = sorted(entry.name for entry in folder.iterdir() if entry.is_file())
    except OSError as exc:
        raise InputError(
            _("Could not read {file}: {reason}.").format(file=folder, reason=exc.strerror or exc),
            hint=example,
        ) from None
    if folder is path and not any(name.endswith(".data") for name in names):
        raise InputError(
            _(
                "{path} is not a Timewarrior folder: it has no data folder and no YYYY-MM.data files."
            ).format(path=path),
            hint=example,
        )
    return [folder / name for name in names if _MONTH_FILE.fullmatch(name)]


def _read_file(file: Path) -> Iterator[SourceEntry | BadRow]:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise InputError(
            _("Could not read {file}: {reason}.").format(file=file, reason=exc.strerror or exc),
            hint=_("Timewarrior's data files are data/YYYY-MM.data in its folder."),
        ) from None
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            yield BadRow(file.name, number, _("it is not UTF-8 text."))
            continue
        if not text.strip(_BLANK):
            continue
        try:
            start, end, tags, note = parse_line(text)
        except _Unreadable as exc:
            yield BadRow(file.name, number, str(exc))
            continue
        key = content_key("timewarrior", start, end)
        yield SourceEntry(file.name, number, key, start, end, None, None, None, None, tags, note)


def _instant(word: str, reason: str) -> int:
    """Seconds since the epoch of a ``YYYYMMDDTHHMMSSZ`` word, checked strictly."""
    found = _STAMP.fullmatch(word)
    if found is not None:
        try:
            moment = datetime(*map(int, found.groups()), tzinfo=UTC)
        except ValueError:
            pass
        else:
            return int(moment.timestamp())
    raise _Unreadable(reason.format(value=_show(word)))


def _words(text: str) -> list[str]:
    """The words of a line as Timewarrior's lexer splits and unquotes them."""
    words = []
    at, size = 0, len(text)
    while True:
        while at < size and text[at] in _SPACE:
            at += 1
        if at >= size:
            return words
        if text[at] in _QUOTES:
            quoted = _quoted(text, at)
            if quoted is not None:
                word, at = quoted
                words.append(word)
                continue
        number = _NUMBER.match(text, at)
        if number is not None and (
            number.end() == size or text[number.end()] in _SPACE or text[number.end()] in _OPERATOR
        ):
            words.append(number.group())
            at = number.end()
            continue
        end = at
        while end < size and text[end] not in _SPACE:
            end += 1
        words.append(_unquote(text[at:end]))
        at = end


def _quoted(text: str, at: int) -> tuple[str, int] | None:
    """The string quoted at ``text[at]`` with its escapes resolved, and where it ends;
    None when no quote closes it (then it is a plain word)."""
    quote = text[at]
    out = []
    at += 1
    size = len(text)
    while at < size:
        char = text[at]
        if char == quote:
            return "".join(out), at + 1
        if text.startswith(("U+", "\\u"), at) and _HEX4.fullmatch(text, at + 2, at + 6):
            out.append(_codepoint(text[at + 2 : at + 6]))
            at += 6
        elif char == "\\":
            if at + 1 >= size:
                return None  # a backslash at the end: Timewarrior reads past the line
            out.append(_ESCAPES.get(text[at + 1], text[at + 1]))
            at += 2
        else:
            out.append(char)
            at += 1
    # No closing quote; Timewarrior still takes the string when what it read ends with
    # the quote (from an escape): the word "abc\" reads as abc.
    body = "".join(out)
    return (body[:-1], at) if body.endswith(quote) else None


def _codepoint(digits: str) -> str:
    value = int(digits, 16)
    if 0xD800 <= value <= 0xDFFF:
        raise _Unreadable(
            _("it holds {value}, which is not a character.").format(value=_show("\\u" + digits))
        )
    return chr(value) if value else ""  # U+0000 ends a C string: Timewarrior drops it


def _unquote(word: str) -> str:
    """A plain word in matching quotes loses them (Timewarrior's ``Lexer::dequote``)."""
    if len(word) >= 2 and word[0] in _QUOTES and word[-1] == word[0]:
        return word[1:-1]
    return word


def _show(value: str) -> str:
    """A word as the user would look for it in the file: quoted, cut short."""
    text = value if len(value) <= 60 else value[:57] + "..."
    return '"' + text + '"'
