"""The configuration file: ``config.toml`` in the user's configuration folder.

One flat table of settings (``KEYS``; docs/reference/configuration.md tells each).
For every setting an environment variable that sets it wins over the file, and the
file wins over the built-in default. The language, the zone, the store and the
person are resolved where they are used (``i18n``, ``clock``, ``store.paths``);
this module reads the file, checks its values and writes it.

A file with a problem (not TOML, unreadable, a value of the wrong kind) is a
``InputError`` naming the key and the file: :func:`check` raises it, and
``store.paths.store_url`` calls :func:`check` before any store is opened, so a
command never touches the store with a bad file. The language alone is read
leniently (:func:`lenient`): the error itself must be said in some language.

Only the standard library is imported here, and only ``os`` and ``sys`` at import
time: ``status`` pays one ``stat`` for a file that does not exist, ``tomllib``
when it does.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from typing import Any

APP_NAME = "mansioni"
FILENAME = "config.toml"
#: The variable that names another file (tests, or a file kept elsewhere).
ENV_FILE = "MANSIONI_CONFIG"


class Key:
    """One setting of the file: its ``name``, ``example`` (a line of the file that works,
    shown with every error about this key) and ``env`` (the environment variables that
    win over the file, first first). A plain class: ``typing.NamedTuple`` would cost
    ``status`` the import of ``typing``."""

    __slots__ = ("name", "example", "env")

    def __init__(self, name: str, example: str, env: tuple[str, ...] = ()) -> None:
        self.name, self.example, self.env = name, example, env


KEYS: tuple[Key, ...] = (
    Key("name", 'name = "Vera Bianchi"'),
    Key("contact", 'contact = "vera@example.org, +39 333 123 4567"'),
    Key("user", 'user = "vera"', ("MANSIONI_USER",)),
    Key("language", 'language = "it"', ("MANSIONI_LANG",)),
    Key("timezone", 'timezone = "Europe/Rome"', ("MANSIONI_TZ",)),
    Key("currency", 'currency = "EUR"'),
    Key("rate", "rate = 28.50"),
    Key("hour_value", "hour_value = 90"),
    Key("rounding", 'rounding = "15m"'),
    Key("minimum", 'minimum = "30m"'),
    Key("week_start", 'week_start = "monday"'),
    Key("trial_days", "trial_days = 90"),
    Key("timer_limit", 'timer_limit = "8h"'),
    Key("store", 'store = "~/Documents/mansioni.db"', ("MANSIONI_DB", "MANSIONI_HOME")),
)
BY_NAME = {key.name: key for key in KEYS}

#: The days a week may start on, as ``datetime.date.weekday()`` numbers.
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "lunedi": 0,
    "martedi": 1,
    "mercoledi": 2,
    "giovedi": 3,
    "venerdi": 4,
    "sabato": 5,
    "domenica": 6,
}
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


# -- where the file is ---------------------------------------------------------------------


def file_path() -> str:
    """``MANSIONI_CONFIG``, else ``config.toml`` in the user's configuration folder
    (``platformdirs.user_config_dir``; on Linux its XDG rule, written out to spare the
    import, and held equal to it by a test)."""
    explicit = os.environ.get(ENV_FILE, "").strip()
    if explicit:
        return os.path.expanduser(explicit)
    if sys.platform == "linux":
        base = os.environ.get("XDG_CONFIG_HOME", "").strip()
        if not base:
            base = os.path.expanduser("~/.config")
        return os.path.join(base, APP_NAME, FILENAME)
    import platformdirs

    return os.path.join(platformdirs.user_config_dir(APP_NAME, appauthor=False), FILENAME)


# -- reading -------------------------------------------------------------------------------


class FileData:
    """What the file at ``path`` holds: whether it ``exists``, its table (``data``: empty
    when it is missing or has a problem) and ``problem``: ``None``, or what is wrong with
    the whole file, ``("read", reason)``, ``("encoding", "")``, ``("syntax", "line,column")``."""

    __slots__ = ("path", "exists", "data", "problem")

    def __init__(
        self,
        path: str,
        exists: bool,
        data: dict[str, Any],
        problem: tuple[str, str] | None = None,
    ) -> None:
        self.path, self.exists, self.data, self.problem = path, exists, data, problem


_cache: dict[str, tuple[tuple[int, ...], FileData]] = {}
_SYNTAX_PLACE = r"\(at line (\d+), column (\d+)\)"


def read(path: str | None = None) -> FileData:
    """The file at ``path`` (default :func:`file_path`), read once while it is unchanged.

    Never raises, and says nothing in any language: :func:`check` turns a problem into
    an error (the language itself comes from this file)."""
    path = file_path() if path is None else path
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return FileData(path, False, {})
    except OSError as exc:
        return FileData(path, True, {}, ("read", exc.strerror or str(exc)))
    signature = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    cached = _cache.get(path)
    if cached is not None and cached[0] == signature:
        return cached[1]
    found = _parse_file(path)
    _cache[path] = (signature, found)
    return found


def _parse_file(path: str) -> FileData:
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except OSError as exc:
        return FileData(path, True, {}, ("read", exc.strerror or str(exc)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return FileData(path, True, {}, ("encoding", ""))
    data = simple_toml(text)
    if data is not None:
        return FileData(path, True, data)
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        import re

        place = re.search(_SYNTAX_PLACE, str(exc))
        if place:
            where = ",".join(place.groups())
        elif "end of document" in str(exc):
            last = text.rsplit("\n", 1)[-1]
            where = f"{text.count(chr(10)) + 1},{len(last) + 1}"
        else:
            where = ""
        return FileData(path, True, {}, ("syntax", where))
    return FileData(path, True, data)


_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def simple_toml(text: str) -> dict[str, Any] | None:
    """The table of a file written plainly, else ``None`` (``tomllib`` then reads it).

    Plainly: each line blank, a comment, or ``key = value`` with a bare key and a value
    that is a string without escapes, a whole number, a decimal number or a boolean,
    maybe followed by a comment. That is what ``config set`` writes and what the
    documentation shows; ``tomllib`` costs ``status`` some 5 ms of imports, this nothing.
    A test holds it equal to ``tomllib`` on every text it accepts.
    """
    table: dict[str, Any] = {}
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # a lone CR is not a line's end in TOML
    for line in text.split("\n"):
        if any(c < " " and c != "\t" or c == "\x7f" for c in line):
            return None
        line = line.strip(" \t")
        if not line or line.startswith("#"):
            continue
        key, eq, rest = line.partition("=")
        key, rest = key.strip(" \t"), rest.strip(" \t")
        if not eq or not key or not set(key) <= _BARE or key in table or not rest:
            return None
        if rest[0] in "\"'":
            end = rest.find(rest[0], 1)
            if end < 0 or (rest[0] == '"' and "\\" in rest[:end]):
                return None
            value: Any = rest[1:end]
            if value == "" and rest.startswith(rest[0] * 3):
                return None  # a multi-line string
            after = rest[end + 1 :].lstrip(" \t")
        else:
            word, _sep, comment = rest.partition("#")
            word, after = word.rstrip(" \t"), "#" + comment if _sep else ""
            if word in ("true", "false"):
                value = word == "true"
            else:
                digits = word[1:] if word[:1] == "-" else word
                whole, dot, fraction = digits.partition(".")
                if not whole.isdecimal() or not whole.isascii() or (len(whole) > 1 and whole[0] == "0"):  # fmt: skip
                    return None
                if dot and not (fraction.isdecimal() and fraction.isascii()):
                    return None
                value = float(word) if dot else int(word)
                if not dot and not -(2**63) <= value < 2**63:
                    return None
        if after and not after.startswith("#"):
            return None
        table[key] = value
    return table


def lenient(key: str) -> Any:
    """The file's raw value for ``key``, or ``None`` (no file, a problem, not there): for
    the language, read before any error can be said."""
    return read().data.get(key)


# -- checking ------------------------------------------------------------------------------


def _error(key: str, path: str, reason: str) -> Exception:
    from mansioni.errors import InputError
    from mansioni.i18n import _

    return InputError(
        _("{key} in the configuration file {path}: {reason}").format(
            key=key, path=path, reason=reason
        ),
        hint=_("For example: {example}").format(example=BY_NAME[key].example),
    )


def file_error(found: FileData) -> Exception | None:
    """The error of a file that cannot be used as a whole, else ``None``."""
    if found.problem is None:
        return None
    from mansioni.errors import InputError
    from mansioni.i18n import _

    kind, detail = found.problem
    if kind == "read":
        return InputError(
            _("Cannot read the configuration file {path}: {reason}.").format(
                path=found.path, reason=detail
            ),
            hint=_("Check the file, or name another one with MANSIONI_CONFIG."),
        )
    if kind == "encoding":
        return InputError(
            _("The configuration file {path} is not UTF-8 text.").format(path=found.path),
            hint=_("Save it as UTF-8, or name another one with MANSIONI_CONFIG."),
        )
    if detail:
        line, column = detail.split(",")
        message = _("The configuration file {path} is not valid TOML (line {line}, column {column}).").format(path=found.path, line=line, column=column)  # fmt: skip
    else:
        message = _("The configuration file {path} is not valid TOML.").format(path=found.path)
    return InputError(message, hint=_('Each setting is one line, like: timezone = "Europe/Rome"'))


def parsed(found: FileData) -> tuple[dict[str, Any], list[str]]:
    """The file's known settings, each checked and made plain (see :func:`parse`), and its
    unknown keys; raises the ``InputError`` of the first problem."""
    error = file_error(found)
    if error is not None:
        raise error
    values: dict[str, Any] = {}
    unknown: list[str] = []
    for name, raw in found.data.items():
        if name not in BY_NAME:
            unknown.append(name)
            continue
        try:
            values[name] = parse(name, raw)
        except _Bad as bad:
            raise _error(name, found.path, bad.reason) from None
    return values, unknown


_warned: set[str] = set()


def check() -> dict[str, Any]:
    """The file's settings, checked (an ``InputError`` naming the key and the file when one
    is wrong); an unknown key is said once on stderr, as a warning, and ignored."""
    found = read()
    if not found.exists:
        return {}
    values, unknown = parsed(found)
    if unknown and found.path not in _warned:
        _warned.add(found.path)
        from mansioni.i18n import _

        sys.stderr.write(
            _(
                "Warning: the configuration file {path} has settings mansioni does not know, ignored: {keys}. Known ones: {known}."
            ).format(
                path=found.path,
                keys=", ".join(sorted(unknown)),
                known=", ".join(k.name for k in KEYS),
            )
            + "\n"
        )
    return values


def value(key: str) -> Any:
    """The file's checked value for ``key``, ``None`` when the file does not set it."""
    return check().get(key)


# -- the values ----------------------------------------------------------------------------


class _Bad(Exception):
    """A value that does not fit its key; ``reason`` says why, in the user's language."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _wrong_kind() -> _Bad:
    from mansioni.i18n import _

    return _Bad(_("This kind of value does not fit here."))


def _from_input(call: Any, *args: Any) -> Any:
    """``call(*args)``, its ``InputError`` as a ``_Bad``."""
    from mansioni.errors import InputError

    try:
        return call(*args)
    except InputError as exc:
        return _raise(exc.message)


def _raise(reason: str) -> Any:
    raise _Bad(reason)


def _text(raw: Any, limit: int, name: str) -> str:
    from mansioni.i18n import _

    if not isinstance(raw, str):
        raise _wrong_kind()
    text = raw.strip()
    if not text:
        raise _Bad(_("It is empty."))
    if len(text) > limit:
        raise _Bad(_("It is too long ({limit} characters at most).").format(limit=limit))
    from mansioni.domain.text import check_text

    return _from_input(lambda: check_text(text, field=name, example=BY_NAME[name].example))


def _money(raw: Any) -> int:
    from mansioni.i18n import _

    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _wrong_kind()
    if isinstance(raw, int | float) and raw < 0:
        raise _Bad(_("It must not be negative."))
    text = repr(raw) if isinstance(raw, float) else str(raw)
    if isinstance(raw, str) and raw.strip().startswith("-"):
        raise _Bad(_("It must not be negative."))
    from mansioni.domain.values import parse_money

    return _from_input(parse_money, text)


def _minutes(raw: Any) -> int:
    """A duration: ``"15m"``, ``"1h"`` (any form ``--rounding`` takes), or whole minutes."""
    from mansioni.i18n import _

    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise _wrong_kind()
    if isinstance(raw, int):
        if not 1 <= raw <= 7 * 24 * 60:
            raise _Bad(_("Write it as a duration, like 15m or 1h."))
        return raw
    from mansioni.domain.timeparse import parse_duration

    duration = _from_input(parse_duration, raw)
    return int(duration.total_seconds() // 60) or 1


def _days(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise _wrong_kind()
    from mansioni.domain.values import parse_days

    return _from_input(parse_days, str(raw))


def _language(raw: Any) -> str:
    from mansioni.i18n import SUPPORTED, _, code_of

    if not isinstance(raw, str):
        raise _wrong_kind()
    code = code_of(raw)
    if code is None:
        raise _Bad(_("Choose one of: {choices}").format(choices=", ".join(SUPPORTED)))
    return code


def _zone(raw: Any) -> str:
    from mansioni.clock import valid_zone
    from mansioni.i18n import _

    if not isinstance(raw, str):
        raise _wrong_kind()
    name = raw.strip()
    if not name or not valid_zone(name):
        raise _Bad(
            _(
                "{text!r} is not a time zone. Use an IANA name, like Europe/Rome or America/New_York."
            ).format(text=raw)
        )
    return name


def _currency(raw: Any) -> str:
    if not isinstance(raw, str):
        raise _wrong_kind()
    from mansioni.domain.values import parse_currency

    return _from_input(parse_currency, raw)


def _week_start(raw: Any) -> int:
    from mansioni.i18n import _

    if not isinstance(raw, str):
        raise _wrong_kind()
    import unicodedata

    word = unicodedata.normalize("NFKD", raw.strip().lower())
    word = "".join(c for c in word if not unicodedata.combining(c))
    if word not in WEEKDAYS:
        raise _Bad(_("Choose one of: {choices}").format(choices=", ".join(WEEKDAY_NAMES)))
    return WEEKDAYS[word]


def _store(raw: Any) -> str:
    """A database URL (``MANSIONI_DB``'s form), or the path of a SQLite file: absolute, or
    from ``~``."""
    from mansioni.i18n import _

    text = _text(raw, 2000, "store")
    if "://" in text:
        return text
    path = os.path.expanduser(text)
    if not os.path.isabs(path):
        raise _Bad(
            _("Write a database URL, or the full path of the store's file (it may start with ~).")
        )
    return f"sqlite:///{path}"


_PARSERS: dict[str, Any] = {
    "name": lambda raw: _text(raw, 200, "name"),
    "contact": lambda raw: _text(raw, 300, "contact"),
    "user": lambda raw: _text(raw, 100, "user"),
    "language": _language,
    "timezone": _zone,
    "currency": _currency,
    "rate": _money,
    "hour_value": _money,
    "rounding": _minutes,
    "minimum": _minutes,
    "week_start": _week_start,
    "trial_days": _days,
    "timer_limit": _minutes,
    "store": _store,
}


def parse(key: str, raw: Any) -> Any:
    """``raw`` (a TOML value, or text typed after ``config set``) as what ``key`` means: a
    plain text, a language code, cents (``rate``, ``hour_value``), minutes (``rounding``,
    ``minimum``, ``timer_limit``), a weekday number (``week_start``), days (``trial_days``), a database URL
    (``store``). A value that does not fit raises ``_Bad``."""
    return _PARSERS[key](raw)


def shown_value(key: str, value: Any) -> str:
    """A checked value as ``config show`` and ``info`` show it."""
    if key in ("rate", "hour_value"):
        return f"{value // 100}.{value % 100:02d}"
    if key in ("rounding", "minimum"):
        return f"{value}m"
    if key == "timer_limit":
        hours, minutes = divmod(value, 60)
        return "".join([f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""])
    if key == "week_start":
        return WEEKDAY_NAMES[value]
    if key == "store":
        from mansioni.store.paths import scrub

        return scrub(value, value)
    return str(value)


def toml_literal(key: str, text: str) -> str:
    """The TOML value ``config set KEY TEXT`` writes: what was typed, as a string, or the
    checked value where it reads better (a number of days, an amount, a code)."""
    value = parse(key, text)
    if key == "trial_days":
        return str(value)
    if key in ("rate", "hour_value"):
        return str(value // 100) if value % 100 == 0 else f"{value // 100}.{value % 100:02d}"
    if key == "language":
        return toml_string(value)
    if key == "currency":
        return toml_string(value)
    if key == "week_start":
        return toml_string(WEEKDAY_NAMES[value])
    return toml_string(text.strip())


# -- every setting in use, and where it comes from --------------------------------------------

#: What applies when neither the environment nor the file sets a key (``None``: nothing).
DEFAULTS: dict[str, Any] = {
    "currency": "EUR",
    "week_start": 0,
    "trial_days": 90,
    "timer_limit": 480,  # minutes: domain.forgotten.DEFAULT_LIMIT
}


class Setting:
    """One setting in use: its checked value (``None``: not set) and where it comes from,
    ``kind`` being ``env`` (``origin``: the variable), ``file`` (``origin``: its path),
    ``system`` or ``default``."""

    __slots__ = ("key", "value", "kind", "origin")

    def __init__(self, key: str, value: Any, kind: str, origin: str) -> None:
        self.key, self.value, self.kind, self.origin = key, value, kind, origin

    def shown(self) -> str:
        from mansioni.i18n import _

        return _("(not set)") if self.value is None else shown_value(self.key, self.value)

    def source(self) -> str:
        from mansioni.i18n import _

        if self.kind == "env":
            return self.origin
        if self.kind == "file":
            return _("configuration file")
        if self.kind == "system":
            return _("system")
        return _("default")

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value
            if self.value is None or self.key == "trial_days"
            else shown_value(self.key, self.value),
            "source": self.kind,
            "origin": self.origin or None,
        }


def settings() -> list[Setting]:
    """Every key with the value in use and its source, as ``info`` and ``config show``
    tell them; the ``InputError`` of a bad file, as every command."""
    from mansioni import clock
    from mansioni.i18n import language_source
    from mansioni.store.paths import store_source

    values = check()
    path = file_path()
    found = []
    for key in KEYS:
        if key.name == "language":
            found.append(Setting(key.name, *language_source()))
        elif key.name == "timezone":
            found.append(Setting(key.name, *clock.zone_source()))
        elif key.name == "user":
            found.append(Setting(key.name, *clock.person_source()))
        elif key.name == "store":
            found.append(Setting(key.name, *store_source()))
        elif key.name in values:
            found.append(Setting(key.name, values[key.name], "file", path))
        else:
            found.append(Setting(key.name, DEFAULTS.get(key.name), "default", ""))
    return found


# -- defaults for the catalog and the calendar ------------------------------------------------


def client_defaults() -> dict[str, Any]:
    """What ``client add`` takes from the file when its option is not given, by column."""
    values = check()
    columns = {
        "currency": "currency",
        "hour_value": "hour_value_cents",
        "rate": "rate_cents",
        "rounding": "rounding_minutes",
        "minimum": "minimum_minutes",
    }
    return {column: values[key] for key, column in columns.items() if key in values}


def task_defaults() -> dict[str, Any]:
    """What ``task add`` takes from the file when its option is not given, by column."""
    values = check()
    return {"trial_days": values["trial_days"]} if "trial_days" in values else {}


def week_start() -> int:
    """The first day of a calendar week (``date.weekday()``: 0 is Monday, the default)."""
    found = value("week_start")
    return 0 if found is None else found


def timer_limit() -> int:
    """How long a timer may run, in seconds, before it looks forgotten (8 hours unless set;
    ``domain.forgotten``)."""
    found = value("timer_limit")
    return (DEFAULTS["timer_limit"] if found is None else found) * 60


# -- writing -------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}  # fmt: skip


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    import re

    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def toml_scalar(value: Any) -> str | None:
    """A TOML literal for a plain value (text, whole number, boolean), else ``None``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, float) and value == value and value not in (float("inf"), float("-inf")):
        return repr(value)
    return None


def _key_line(key: str) -> re.Pattern[str]:
    import re

    quoted = "|".join(re.escape(q) for q in (key, f'"{key}"', f"'{key}'"))
    return re.compile(rf"^\s*(?:{quoted})\s*=")


def edited(text: str, key: str, literal: str | None) -> str | None:
    """``text`` (the file) with ``key = literal`` (``None``: the key removed), every other
    line as it was, comments included; ``None`` when that cannot be done line by line
    (the key's value runs over several lines, ...): the result is checked by reading it
    back with ``tomllib``, and must hold exactly the same table but for ``key``."""
    import tomllib

    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    expected = dict(before)
    if literal is None:
        expected.pop(key, None)
    else:
        expected[key] = tomllib.loads(f"k = {literal}")["k"]
    lines = text.splitlines(keepends=True)
    top = next((i for i, line in enumerate(lines) if line.lstrip().startswith("[")), len(lines))
    pattern = _key_line(key)
    found = [i for i in range(top) if pattern.match(lines[i])]
    new_line = None if literal is None else f"{toml_key(key)} = {literal}\n"
    if found:
        for i in reversed(found[1:]):
            del lines[i]
        if new_line is None:
            del lines[found[0]]
        else:
            lines[found[0]] = new_line
    elif new_line is not None:
        if top > 0 and not lines[top - 1].endswith("\n"):
            lines[top - 1] += "\n"
        lines.insert(top, new_line)
    result = "".join(lines)
    try:
        if tomllib.loads(result) != expected:
            return None
    except tomllib.TOMLDecodeError:
        return None
    return result


def dumps(table: dict[str, Any]) -> str | None:
    """A flat table of plain values as TOML, else ``None``."""
    out = []
    for key, item in table.items():
        literal = toml_scalar(item)
        if literal is None:
            return None
        out.append(f"{toml_key(key)} = {literal}\n")
    return "".join(out)


def write_setting(key: str, literal: str | None) -> str:
    """Set ``key`` to the TOML ``literal`` in the file (``None``: remove it), keeping every
    other line; written whole or not at all (a file beside it, renamed over it). Returns
    the path written. A file that is not TOML is left as it is (its ``InputError``)."""
    from mansioni.errors import InputError
    from mansioni.i18n import _

    found = read()
    error = file_error(found)
    if error is not None:
        raise error
    target = os.path.realpath(found.path)  # a linked file (a dotfiles folder) stays linked
    text = ""
    if found.exists:
        with open(target, encoding="utf-8") as file:
            text = file.read()
    new = edited(text, key, literal)
    if new is None:
        import tomllib

        table = dict(found.data)
        table.pop(key, None)
        if literal is not None:
            table[key] = tomllib.loads(f"k = {literal}")["k"]
        new = dumps(table)
    if new is None:
        raise InputError(
            _(
                "The configuration file {path} is written in a way this command cannot change."
            ).format(path=found.path),
            hint=_("Change it with a text editor: {example}").format(example=BY_NAME[key].example),
        )
    _replace(target, new)
    _cache.pop(found.path, None)
    return found.path


def _replace(target: str, text: str) -> None:
    import tempfile

    folder = os.path.dirname(target) or "."
    os.makedirs(folder, mode=0o700, exist_ok=True)
    try:
        mode = os.stat(target).st_mode & 0o777
    except FileNotFoundError:
        mode = 0o600  # it may hold a database URL with a password
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{FILENAME}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
