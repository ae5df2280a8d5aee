"""Text a person types or a file holds: refused on the way in, made visible on the way out.

Some characters are not text but orders to the terminal that shows them. A control
character (Unicode category Cc: the C0 codes, DEL and the C1 codes) can set the
window's title (``ESC ] 0 ; … BEL``), move the cursor, clear the screen or hide
what follows; a bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069)
makes the text after it read in another order than it is stored. Either can make
a name or a note look like something else.

- ``check_text`` refuses them in what a person types, naming the field (a note may
  hold tabs and line breaks, and nothing else of the kind);
- ``shown`` writes each one visibly, ``\\x1b`` or ``\\u202e``, wherever text from the
  store or from a file reaches a terminal or a page; every other character is left
  as it is, so text without them is shown unchanged.

Exports and backups keep the text exact: they are data, not views.
"""

from __future__ import annotations

from mansioni.errors import InputError
from mansioni.i18n import _

TYPE_CHECKING = False  # ``typing`` stays off the quick path; see mansioni.store.db
if TYPE_CHECKING:
    from collections.abc import Callable

#: The characters of Unicode category Cc: C0 (U+0000-U+001F), DEL and C1 (U+007F-U+009F).
CONTROLS = frozenset(map(chr, (*range(0x20), *range(0x7F, 0xA0))))
#: The bidirectional overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
BIDI = frozenset(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x206A))))
HIDDEN = CONTROLS | BIDI
#: What a note may hold of them: tabs and line breaks.
NOTE_ALLOWED = frozenset("\t\n")


def visible(char: str) -> str:
    """How one hidden character is written: ``\\x1b``, ``\\x9b``, ``\\u202e``."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_SHOWN = {ord(c): visible(c) for c in HIDDEN}
_SHOWN_LINES = {code: text for code, text in _SHOWN.items() if chr(code) not in NOTE_ALLOWED}


def shown(text: str, *, lines: bool = False) -> str:
    """``text`` with every control character and direction override written visibly;
    with ``lines``, tabs and line breaks are kept (a note shown on several lines)."""
    if HIDDEN.isdisjoint(text):
        return text
    return text.translate(_SHOWN_LINES if lines else _SHOWN)


def one_line(text: str) -> str:
    """A note on a one-line view: any run of whitespace (line breaks too) as one space,
    the rest as ``shown``."""
    return shown(" ".join(text.split()))


def shorten(text: str, width: int, *, whole_words: bool = False) -> str:
    """``text`` in at most ``width`` characters: whole, or cut where a word ends (before a
    space, or after a ``/``) with an ellipsis: ``Studio Cantù Commercialisti`` in 20 is
    ``Studio Cantù…``. Only a first word longer than ``width`` is cut inside, since
    nothing else would fit; with ``whole_words``, not even that one: the ellipsis alone
    says there is more (a note beside a name in ``log``)."""
    if len(text) <= width:
        return text
    if width < 2:
        return "…"[: max(width, 0)]
    room = width - 1  # what is left beside the ellipsis
    ends = [i for i in range(1, room + 1) if text[i] == " " or text[i - 1] == "/"]
    head = text[: ends[-1]].rstrip(" /") if ends else ""
    if not head and not whole_words:
        head = text[:room]
    return head + "…"


#: What ``json.dumps(..., ensure_ascii=False)`` leaves raw of them (it escapes C0 only).
_JSON_RAW = {ord(c): f"\\u{ord(c):04x}" for c in HIDDEN if ord(c) >= 0x7F}


def json_text(
    data: object,
    *,
    indent: int | None = 2,
    separators: tuple[str, str] | None = None,
    default: Callable[[object], object] | None = None,
    allow_nan: bool = True,
) -> str:
    """``data`` as JSON for a terminal: UTF-8 text as it is, but every control character
    and direction override as a ``\\uXXXX`` escape, so the value read back is exact and
    the terminal shows it rather than obeys it. ``separators``, ``default`` and
    ``allow_nan`` are ``json.dumps``'s (an export's compact lines, a backup's BLOBs)."""
    import json

    text = json.dumps(
        data,
        ensure_ascii=False,
        indent=indent,
        separators=separators,
        default=default,
        allow_nan=allow_nan,
    )
    return text if HIDDEN.isdisjoint(text) else text.translate(_JSON_RAW)


def check_text(text: str, *, field: str, example: str, note: bool = False) -> str:
    """``text`` as it is, if it holds none of those characters (a ``note`` may hold tabs
    and line breaks); else ``InputError`` naming ``field`` (a whole phrase, like "The
    note") with ``example`` (a working command) as the hint."""
    if HIDDEN.isdisjoint(text):
        return text
    allowed = NOTE_ALLOWED if note else frozenset()
    for position, char in enumerate(text, start=1):
        if char in HIDDEN and char not in allowed:
            raise InputError(
                _(
                    "{field} cannot contain control characters: it has {char} at character {n}."
                ).format(field=field, char=visible(char), n=position),
                hint=_("For example: {example}").format(example=example),
            )
    return text
