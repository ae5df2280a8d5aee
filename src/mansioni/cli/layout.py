"""Text laid out for the terminal it is printed in: no line wider than the terminal, and
no word ever split across two lines or cut inside.

- ``wrap`` and ``fit`` break prose between words (a word longer than a whole line, a
  path or a command, stays whole on a line of its own: cut, it would be wrong);
- ``with_command`` keeps a command to paste on one line, under the sentence that
  names it, when the two do not fit on one line;
- ``grid`` lays out columns: each as wide as its widest cell, a header on two lines
  (between words) where that saves room, a name shortened at a word boundary with an
  ellipsis where nothing else fits; ``None`` when even then the columns do not fit,
  so the caller can lay the rows out another way (``stacked``, or its own);
- ``show`` prints lines, styled (bold, red) on a terminal, as plain text elsewhere.

Widths are counted in characters. Rich is imported only to style lines on a terminal.
"""

from __future__ import annotations

import re
import sys
import textwrap
from dataclasses import dataclass

from mansioni.domain.text import shorten

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

#: The spaces between two columns.
GAP = 2
#: The least width a shortened name keeps: below it a name says too little.
NAME_FLOOR = 12
#: The lines a header may take, broken between its words.
HEADER_LINES = 2

#: A line to print, and its Rich style on a terminal ("" for none).
Styled = tuple[str, str]


#: Holds two words together while a text is wrapped (text shown has no control character).
_JOIN = "\x00"
#: A number and the short word after it (``2 h``, ``45 minutes``, ``23 nov``), and a short
#: word before a year (``nov 2026``): a line never breaks between them.
_TOGETHER = (
    re.compile(r"(\d) ([^\W\d]{1,7}\b)"),
    re.compile(r"(\b[^\W\d]{3,5}) (\d{4}\b)"),
)


def _joined(text: str) -> str:
    for pattern in _TOGETHER:
        text = pattern.sub(lambda m: m[1] + _JOIN + m[2], text)
    return text


def wrap(text: str, width: int, *, indent: str = "", hanging: str | None = None) -> list[str]:
    """``text`` broken between words into lines of at most ``width`` characters: the first
    after ``indent``, the others after ``hanging`` (``indent`` if not given). A number
    stays with its unit and a day with its month and year (``2 h 7 min``, ``23 nov
    2026``); a word longer than a line is left whole, on a line of its own."""
    hanging = indent if hanging is None else hanging
    room = max(width, len(indent) + 1, len(hanging) + 1)
    lines = textwrap.wrap(
        _joined(text),
        room,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )
    if not lines:
        return [indent.rstrip()]
    # a group too long for a line is broken between its words after all
    out = []
    for line in lines:
        if len(line) > room and _JOIN in line:
            lead = indent if not out else hanging
            out.extend(
                textwrap.wrap(
                    line[len(lead) :].replace(_JOIN, " "),
                    room,
                    initial_indent=lead,
                    subsequent_indent=hanging,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        else:
            out.append(line.replace(_JOIN, " "))
    return out


def fit(lines: Iterable[str], width: int, *, hanging: int = 2) -> list[str]:
    """Each of ``lines`` wrapped to ``width``: a line's continuation keeps its indent and
    goes ``hanging`` spaces further in. Empty lines stay."""
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip(" "))]
        out.extend(wrap(line.strip(), width, indent=lead, hanging=lead + " " * hanging))
    return out


#: Where a sentence hands over to a command to paste (``… without a decision: mansioni …``).
_COMMANDS = (": mansioni ", ": rm ", ": chmod ")


def with_command(
    text: str, width: int, *, indent: str = "", hanging: str | None = None
) -> list[str]:
    """A sentence ending in a command (``…: mansioni decide …``, ``…: rm …``) in lines of
    ``width``: whole if it fits; else the sentence wrapped between words, then the
    command whole on a line of its own, so it is copied and pasted in one piece. The
    first line starts after ``indent``, the others after ``hanging`` (two spaces further
    in than ``indent`` if not given)."""
    hanging = indent + "  " if hanging is None else hanging
    if len(indent) + len(text) <= width:
        return [indent + text]
    at = max(text.rfind(marker) for marker in _COMMANDS)
    if at < 0:
        return wrap(text, width, indent=indent, hanging=hanging)
    sentence, command = text[: at + 1], text[at + 2 :]
    return [
        *wrap(sentence, width, indent=indent, hanging=hanging),
        *command_lines(command, width, indent=hanging),
    ]


def command_lines(command: str, width: int, *, indent: str = "") -> list[str]:
    """A command to paste, on one line after ``indent`` if it fits; else broken between
    its shell words with a ``\\`` at each line's end (every shell reads the lines as one
    command), its later lines two spaces further in. A quoted name stays one word."""
    if len(indent) + len(command) <= width:
        return [indent + command]
    lines: list[str] = []
    line = indent
    for word in _shell_words(command):
        if line.strip() and len(line) + 1 + len(word) + 2 > width:
            lines.append(line + " \\")
            line = indent + "  " + word
        else:
            line = f"{line} {word}" if line.strip() else line + word
    return [*lines, line]


def _shell_words(command: str) -> list[str]:
    """``command`` split at its spaces, but not at one inside quotes (``'Caffè Ôrso/Inbox'``)."""
    words, current, quote = [], "", ""
    for char in command:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == " ":
            if current:
                words.append(current)
            current = ""
            continue
        current += char
    return [*words, current] if current else words


def _header_width(header: str) -> int:
    """The least width that holds ``header`` in ``HEADER_LINES`` lines, broken between words."""
    words = header.split()
    if not words:
        return 0
    width = max(len(word) for word in words)
    while len(wrap(header, width)) > HEADER_LINES:
        width += 1
    return width


@dataclass(frozen=True)
class Column:
    """One column of a ``grid``: its header, and how its cells are drawn."""

    header: str
    #: Numbers are aligned on the right.
    right: bool = False
    #: Names may be shortened at a word boundary (``Studio Cantù…``) when room is short;
    #: every other cell is always shown whole.
    name: bool = False
    #: Spaces before each cell (not before the header): a duty under its client's heading.
    lead: int = 0


@dataclass(frozen=True)
class Grid:
    """Columns given their widths: ``head()`` draws the header's lines, ``row()`` a row."""

    columns: tuple[Column, ...]
    widths: tuple[int, ...]

    @property
    def width(self) -> int:
        return sum(self.widths) + GAP * (len(self.widths) - 1)

    def head(self) -> list[str]:
        parts = [
            wrap(c.header, w) if len(c.header) > w else [c.header]
            for c, w in zip(self.columns, self.widths, strict=True)
        ]
        height = max(len(p) for p in parts)
        # a header on two lines sits on the lower line, next to its column's cells
        parts = [[""] * (height - len(p)) + p for p in parts]
        return [self._line([p[i] for p in parts], lead=False) for i in range(height)]

    def row(self, cells: Sequence[str]) -> str:
        return self._line(cells, lead=True)

    def _line(self, cells: Sequence[str], *, lead: bool) -> str:
        out = []
        for column, width, cell in zip(self.columns, self.widths, cells, strict=True):
            pad = column.lead if lead else 0
            text = cell
            if column.name and len(text) > width - pad:
                text = shorten(text, width - pad)
            text = " " * pad + text
            out.append(text.rjust(width) if column.right else text.ljust(width))
        return (" " * GAP).join(out).rstrip()


def grid(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> Grid | None:
    """Widths for ``columns`` so that the header and ``rows`` fit in ``width``, or ``None``.

    Each column is first as wide as its header and its widest cell. When that is too
    wide, headers go on two lines (between words), the widest saving first; then the
    name columns give up room, down to ``NAME_FLOOR`` (or their longest name), where
    names are shortened at a word boundary. No other cell is ever cut.
    """
    columns = tuple(columns)
    gaps = GAP * (len(columns) - 1)

    def cells(i: int) -> list[int]:
        return [len(row[i]) + columns[i].lead for row in rows]

    natural = [max([len(c.header), *cells(i)]) for i, c in enumerate(columns)]
    widths = list(natural)
    excess = sum(widths) + gaps - width
    if excess <= 0:
        return Grid(columns, tuple(widths))
    # headers on two lines, where a header is what makes a column wide (a name column
    # gives up its room last, below)
    savings = []
    for i, column in enumerate(columns):
        least = max(max(cells(i), default=0), _header_width(column.header))
        if not column.name and least < widths[i]:
            savings.append((widths[i] - least, i))
    for saving, i in sorted(savings, reverse=True):
        if excess <= 0:
            break
        widths[i] -= saving  # all of it: a header on two lines leaves no room to keep
        excess -= saving
    # names shortened, the widest name column first
    for i in sorted(
        (i for i, c in enumerate(columns) if c.name), key=lambda i: widths[i], reverse=True
    ):
        if excess <= 0:
            break
        column = columns[i]
        floor = max(
            _header_width(column.header),
            min(max(cells(i), default=0), NAME_FLOOR + column.lead),
        )
        take = min(max(0, widths[i] - floor), excess)
        widths[i] -= take
        excess -= take
    if excess > 0:
        return None
    return Grid(columns, tuple(widths))


def first_fit(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    width: int,
    layouts: Sequence[Sequence[int]],
) -> tuple[Grid, tuple[int, ...]] | None:
    """The first of ``layouts`` (each a choice of columns, by index, the fullest first)
    whose ``grid`` fits ``width``, and that choice; ``None`` if none does."""
    for chosen in layouts:
        drawn = grid(
            [columns[i] for i in chosen], [[row[i] for i in chosen] for row in rows], width
        )
        if drawn is not None:
            return drawn, tuple(chosen)
    return None


def table_lines(
    columns: Sequence[Column],
    groups: Sequence[tuple[str | None, Sequence[Sequence[str]]]],
    width: int,
    layouts: Sequence[Sequence[int]] = (),
) -> list[Styled]:
    """A table for a terminal ``width`` columns wide: its header, then each group's
    heading (if any: a client's name, in bold) and rows. The columns are the first of
    ``layouts`` that fits (every column if none is given); when none fits, each row is
    ``stacked``, with every column."""
    layouts = layouts or (tuple(range(len(columns))),)
    found = first_fit(columns, [row for _heading, rows in groups for row in rows], width, layouts)
    lines: list[Styled] = []
    if found is not None:
        lines += [(line, "bold") for line in found[0].head()]
    for heading, rows in groups:
        if heading is not None:
            lines += [(line, "bold") for line in wrap(heading, width, hanging="  ")]
        if found is None:
            lines += [(line, "") for line in stacked(columns, rows, width, lead=columns[0].lead)]
            continue
        drawn, chosen = found
        lines += [(drawn.row([row[i] for i in chosen]), "") for row in rows]
    return lines


def stacked(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int, *, lead: int = 0
) -> list[str]:
    """Rows too wide for columns, one after the other: the first cell on a line of its
    own, then ``Header: value`` for the others, wrapped between the pairs (between words
    only in a pair longer than a line)."""
    out = []
    indent = " " * lead
    for row in rows:
        out.extend(wrap(row[0], width, indent=indent, hanging=indent + "  "))
        # each header with its value, on one line where the line has room
        pairs = [
            (f"{c.header}: {cell}" if c.header else cell).replace(" ", _JOIN)
            for c, cell in zip(columns[1:], row[1:], strict=True)
            if cell
        ]
        if pairs:
            out.extend(wrap("; ".join(pairs), width, indent=indent + "  ", hanging=indent + "  "))
    return out


def show(lines: Iterable[str | Styled]) -> None:
    """Print ``lines``: on a terminal with their styles, else as plain text. The lines
    are laid out already: they are never wrapped again."""
    styled = [(line, "") if isinstance(line, str) else line for line in lines]
    if not sys.stdout.isatty():
        from mansioni.cli.common import echo_lines

        echo_lines([text for text, _style in styled])
        return
    from rich.text import Text

    from mansioni.cli.common import console

    out = console()
    for text, style in styled:
        out.print(Text(text, style=style), soft_wrap=True)
