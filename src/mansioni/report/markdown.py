"""Markdown for an e-mail: text that stays literal, and pipe tables.

Every name a user typed (a client, a task, a note) may hold Markdown's markup
characters; escaped, a task called ``~~x~~`` or ``a|b`` shows as written and never
strikes through text or breaks a table. Line breaks become spaces: one cell, one line.
Any other control character, or a direction override, is written visibly
(``domain.text.shown``), so the file cannot drive the terminal it is shown in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mansioni.domain.text import shown

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~&!])")


def escape(text: object) -> str:
    """``text`` as literal Markdown: one line, its markup characters escaped."""
    one_line = shown(" ".join(str(text).splitlines()).replace("\t", " "))
    return _SPECIAL.sub(r"\\\1", one_line)


def table(
    headers: Sequence[object], rows: Sequence[Sequence[object]], *, numeric: frozenset[int]
) -> list[str]:
    """A pipe table, every cell escaped; ``numeric`` columns aligned right."""
    rule = ["---:" if i in numeric else "---" for i in range(len(headers))]
    return [
        "| " + " | ".join(escape(h) for h in headers) + " |",
        "| " + " | ".join(rule) + " |",
        *("| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows),
    ]
