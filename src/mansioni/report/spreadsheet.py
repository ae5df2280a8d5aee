"""CSV that opens correctly in a spreadsheet, and cannot run as one.

Two promises, for every CSV the tool writes:

- **It opens right.** UTF-8 with a byte-order mark (Excel reads accents only with
  it; LibreOffice does not mind it), and the separators the user's spreadsheet
  expects in her language: ``,`` between cells and ``.`` in decimals in English;
  ``;`` and ``,`` in Italian, as Excel and LibreOffice do with an Italian locale.
  Numbers the tool computes are written bare, so they arrive as numbers.
- **It is inert** (OWASP, "CSV Injection"). A text cell that would begin with
  ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a line feed is prefixed
  with a single quote, so a task called ``=HYPERLINK(...)`` shows as text and is
  never evaluated. Only text is neutralised: an ``int``, ``float`` or ``Decimal``
  is a number the tool computed, and a negative one stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

#: A cell starting with one of these is read as a formula by some spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
BOM = "\ufeff"


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    decimal: str


DIALECTS = {"en": Dialect(",", "."), "it": Dialect(";", ",")}


def dialect(language: str) -> Dialect:
    return DIALECTS.get(language, DIALECTS["en"])


def safe_text(text: str) -> str:
    """``text`` as a cell no spreadsheet will evaluate."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value: object, d: Dialect) -> str:
    """One cell: numbers bare with the dialect's decimal mark, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int to Python, not to a reader
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        number = value if isinstance(value, Decimal) else Decimal(repr(value))
        if not number.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return format(number, "f").replace(".", d.decimal)
    return safe_text(str(value))


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[object]], *, language: str) -> str:
    """The whole CSV document, byte-order mark included."""
    d = dialect(language)
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=d.delimiter, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in headers])
    for row in rows:
        writer.writerow([cell(v, d) for v in row])
    return out.getvalue()
